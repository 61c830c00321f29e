"""`classify`, `mask` and `k_anonymity`: the PII API of astrola-pii.

The CLI parity test needs `ASTROLA_CLI` (test.sh builds it); without it
it fails rather than skips.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Optional

import pytest

import astrola
from test_gil import GITLAB, python_progress_during

SCHEMA = """\
CREATE TABLE users (id bigint PRIMARY KEY, name text, email text, ssn text, notes text, created_at timestamptz);
CREATE TABLE products (id bigint PRIMARY KEY, name text, price numeric(10, 2));
CREATE TABLE clientes (id bigint PRIMARY KEY, nombre text, telefono text, fecha_nacimiento date);
COMMENT ON COLUMN products.price IS 'list price';
"""

KEY = b"0123456789abcdef-test-key"
#: The package, untyped: for calls that go outside the typed signatures on
#: purpose (wrong types, non-str sample items).
untyped: Any = astrola
EMAILS = [f"user{i}@example.com" for i in range(30)]
NOT_SSNS = [f"{i * 7919 + 13}" for i in range(40)]


def findings(report: astrola.PiiReport) -> dict[str, list[str]]:
    """Column ("table.column") -> the types found, most confident first."""
    return {f"{c.table}.{c.column}": [f.pii_type for f in c.findings] for c in report.reports}


def column(report: astrola.PiiReport, name: str) -> astrola.ColumnReport:
    found = [c for c in report.reports if f"{c.table}.{c.column}" == name]
    assert found, f"{name} is not in the report: {sorted(findings(report))}"
    return found[0]


def test_names_in_context_person_table_or_not() -> None:
    report = astrola.classify(SCHEMA)
    found = findings(report)
    assert found["public.users.name"] == ["person_name"]
    assert "public.products.name" not in found
    assert found["public.clientes.nombre"] == ["person_name"]
    assert found["public.clientes.telefono"] == ["phone"]
    assert found["public.clientes.fecha_nacimiento"] == ["date_of_birth"]
    assert found["public.users.email"] == ["email"]
    assert report.has_findings
    assert report.sampled_columns == 0
    assert report.name_only_columns == report.columns == 13
    name = column(report, "public.users.name")
    assert name.basis == "name_only"
    assert name.samples is None
    assert name.data_type == "text"
    finding = name.findings[0]
    assert finding.level == "confidential"
    assert set(finding.regulations) >= {"GDPR", "CCPA"}
    assert 0.5 <= finding.confidence <= 1
    assert any("users" in e for e in finding.evidence)
    assert name.level == "confidential"


def test_a_parsed_schema_and_sql_give_the_same_report() -> None:
    assert astrola.classify(astrola.parse_schema(SCHEMA)) == astrola.classify(SCHEMA)
    mysql = "CREATE TABLE `users` (`id` int, `email` varchar(200));"
    assert findings(astrola.classify(mysql, dialect="mysql")) == {"users.email": ["email"]}


def test_samples_reveal_a_notes_column_of_emails_and_refute_an_ssn_column() -> None:
    report = astrola.classify(SCHEMA, {"users": {"notes": EMAILS + [None, None], "ssn": NOT_SSNS}})
    notes = column(report, "public.users.notes")
    assert [f.pii_type for f in notes.findings] == ["email"]
    assert notes.basis == "name_and_samples"
    assert notes.samples is not None
    assert (notes.samples.total, notes.samples.non_null, notes.samples.matched) == (32, 30, {"email": 30})
    ssn = column(report, "public.users.ssn")
    assert not [f for f in ssn.findings if f.pii_type == "us_ssn" and f.confidence >= 0.5], ssn.findings
    assert ssn.notes, "the refuted name evidence is noted"
    assert report.sampled_columns == 2


def test_min_confidence_leaves_out_weaker_findings() -> None:
    everything = astrola.classify(SCHEMA, min_confidence=0.0)
    strict = astrola.classify(SCHEMA, min_confidence=1.0)
    assert sum(len(c.findings) for c in strict.reports) < sum(len(c.findings) for c in everything.reports)
    assert all(f.confidence >= 1.0 for c in strict.reports for f in c.findings)


class OnlyIter:
    """A column type with nothing but `__iter__`, as a dataframe column is."""

    def __init__(self, values: list[Optional[str]]) -> None:
        self.values = values

    def __iter__(self) -> Iterator[Optional[str]]:
        return iter(self.values)


def test_samples_can_be_any_iterable() -> None:
    expected = astrola.classify(SCHEMA, {"users": {"notes": EMAILS}})

    def generator() -> Iterator[str]:
        yield from EMAILS

    iterables: list[Iterable[Optional[str]]] = [tuple(EMAILS), generator(), OnlyIter(list(EMAILS)), iter(EMAILS), {e: 1 for e in EMAILS}.keys()]
    for values in iterables:
        assert astrola.classify(SCHEMA, {"users": {"notes": values}}) == expected, type(values).__name__


def test_missing_values_and_non_str_items() -> None:
    report = untyped.classify(SCHEMA, {"users": {"notes": [*EMAILS, None, math.nan, float("nan")]}})
    stats = column(report, "public.users.notes").samples
    assert stats is not None and (stats.total, stats.non_null) == (33, 30)
    # Non-str items are read as str(item): ints, dates.
    assert untyped.mask([94110, 2.5, True], "redact") == ["[REDACTED]"] * 3
    import datetime

    assert untyped.mask([datetime.date(1980, 5, 17)], "year_of_birth") == ["1980"]


def test_pandas_series_and_dataframe() -> None:
    pd = pytest.importorskip("pandas")
    series = pd.Series(EMAILS + [None])
    expected = astrola.classify(SCHEMA, {"users": {"notes": EMAILS + [None]}})
    assert astrola.classify(SCHEMA, {"users": {"notes": series}}) == expected
    frame = pd.DataFrame({"notes": EMAILS, "ssn": NOT_SSNS[:30]})
    by_frame = astrola.classify(SCHEMA, {"users": frame})
    assert by_frame == astrola.classify(SCHEMA, {"users": {"notes": EMAILS, "ssn": NOT_SSNS[:30]}})
    assert astrola.mask(pd.Series(["94110", None]), "zip3") == ["941**", None]


def test_sample_columns_not_in_the_schema_are_classified_and_listed() -> None:
    report = astrola.classify(SCHEMA, {"users": {"contact": EMAILS}, "leads": {"mail": EMAILS}})
    assert report.unmatched_samples == ["users.contact (<samples>)", "leads.mail (<samples>)"]
    assert findings(report)["leads.mail"] == ["email"]
    assert column(report, "leads.mail").data_type == ""


def test_results_are_typed_immutable_and_serialise_like_the_cli() -> None:
    report = astrola.classify(SCHEMA, {"users": {"notes": EMAILS}})
    as_json = json.loads(report.to_json())
    assert report.to_dict() == as_json
    assert list(as_json) == ["columns", "sampled_columns", "name_only_columns", "reports"]
    notes = column(report, "public.users.notes")
    assert notes.to_dict() == json.loads(notes.to_json())
    assert notes.findings[0].to_dict()["confidence"] == notes.findings[0].confidence
    assert notes.samples is not None and notes.samples.to_dict() == {"total": 30, "non_null": 30, "matched": {"email": 30}}
    assert repr(report).startswith("<astrola.PiiReport columns=13")
    assert repr(notes) == "<astrola.ColumnReport 'public.users.notes' findings=[email] basis='name_and_samples'>"
    assert repr(notes.findings[0]).startswith("<astrola.Finding email confidence=")
    assert repr(notes.samples) == "<astrola.SampleStats total=30 non_null=30 matched={'email': 30}>"
    assert "notes: email" in report.to_text()
    with pytest.raises(AttributeError):
        notes.column = "x"  # type: ignore[misc]
    for cls in [astrola.PiiReport, astrola.ColumnReport, astrola.Finding, astrola.SampleStats, astrola.KAnonymity, astrola.EquivalenceClass]:
        assert cls.__doc__ and cls.__module__ == "astrola"


def test_pseudonymisation_is_keyed_deterministic_and_keeps_the_format() -> None:
    values = ["ana@example.org", "+34 612 345 678", None, "ana@example.org"]
    once = astrola.mask(values, "format_preserving", key=KEY)
    again = astrola.mask(values, "format_preserving", key=KEY)
    other = astrola.mask(values, "format_preserving", key=b"another key of 16+ bytes")
    assert once == again
    assert once[0] == once[3], "the same input gives the same output"
    assert once[0] != other[0] and once[1] != other[1]
    assert once[2] is None
    email = once[0]
    assert email is not None and email != values[0]
    local, _, domain = email.partition("@")
    assert local and domain.endswith(".org")
    phone = once[1]
    assert phone is not None and phone.startswith("+34 ") and len(phone) == len("+34 612 345 678")
    # str keys are their UTF-8 bytes.
    assert astrola.mask(values, "pseudonymize", key=KEY.decode()) == astrola.mask(values, "pseudonymize", key=bytearray(KEY))
    pseudo = astrola.mask(["ana"], "pseudonymize", key=KEY)
    assert pseudo != astrola.mask(["ana"], "pseudonymize", key=KEY + b"!")


def test_each_strategy() -> None:
    assert astrola.mask(["4111-1111-1111-1234"], "partial") == ["****-****-****-1234"]
    assert astrola.mask(["secret"], "redact") == ["[REDACTED]"]
    assert astrola.mask(["abc"], "hash") == ["ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"]
    assert astrola.mask(["1980-05-17"], "year_of_birth") == ["1980"]
    assert astrola.mask(["94110"], "zip3") == ["941**"]
    assert astrola.mask([], "redact") == []


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda: untyped.mask(["x"], "scramble"), "unknown masking strategy"),
        (lambda: untyped.mask(["x"], "pseudonymize"), "needs a key"),
        (lambda: untyped.mask(["x"], "format_preserving", key=b"short"), "at least 16"),
        (lambda: untyped.mask(["x"], "pseudonymize", key=123), "key must be bytes or str"),
        (lambda: untyped.mask(["not a date"], "year_of_birth"), "value 0"),
        (lambda: untyped.mask("abc", "redact"), "iterable of values"),
        (lambda: untyped.mask([b"x"], "redact"), "decode it"),
        (lambda: untyped.mask(["x"], 3), "strategy must be a str"),
        (lambda: untyped.classify(SCHEMA, {"users": {"notes": [b"bytes"]}}), "samples['users']['notes'][0] is bytes"),
        (lambda: untyped.classify(SCHEMA, {"users": {"notes": "a@b.co"}}), "iterable of values"),
        (lambda: untyped.classify(SCHEMA, {"users": {"notes": 3}}), "iterable of values"),
        (lambda: untyped.classify(SCHEMA, {"users": ["notes"]}), "mapping"),
        (lambda: untyped.classify(SCHEMA, {1: {"notes": []}}), "keys of samples must be str"),
        (lambda: untyped.classify(SCHEMA, "users"), "mapping"),
        (lambda: untyped.classify(SCHEMA, min_confidence=2), "between 0 and 1"),
        (lambda: untyped.classify(SCHEMA, min_confidence="high"), "must be a number"),
        (lambda: untyped.classify(42), "expected str (SQL) or Schema"),
        (lambda: untyped.classify(SCHEMA, {"users": {"notes": ["\udc80"]}}), "valid Unicode"),
        (lambda: untyped.k_anonymity([]), "no quasi-identifier"),
        (lambda: untyped.k_anonymity([["a"], ["a", "b"]]), "column 1 has 2 values"),
        (lambda: untyped.k_anonymity("ab"), "iterable of columns"),
        (lambda: untyped.k_anonymity([["a"]], target_k=-1), "non-negative int"),
    ],
)
def test_bad_arguments_raise_invalid_argument(call: Any, needle: str) -> None:
    with pytest.raises(astrola.InvalidArgumentError) as caught:
        call()
    assert caught.value.code == "invalid_argument"
    assert needle in str(caught.value)


def test_bad_sql_raises_parse_error() -> None:
    with pytest.raises(astrola.ParseError) as caught:
        astrola.classify("CREATE TABLE users (id int,")
    assert caught.value.code == "parse_error"


def test_an_iterable_that_raises_passes_its_exception_through() -> None:
    def broken() -> Iterator[str]:
        yield "a@b.co"
        raise KeyError("from the iterable")

    with pytest.raises(KeyError, match="from the iterable"):
        astrola.classify(SCHEMA, {"users": {"notes": broken()}})


def test_huge_values_are_classified_not_refused() -> None:
    huge = "x" * 20_000_000
    report = astrola.classify(SCHEMA, {"users": {"notes": [huge, huge + "@example.com"]}})
    notes = column(report, "public.users.notes")
    assert notes.samples is not None and notes.samples.total == 2
    assert len(astrola.mask([huge], "hash")[0] or "") == 64


def test_k_anonymity_of_quasi_identifiers() -> None:
    zips = ["941", "941", "941", "100", "100"]
    years = ["1980", "1980", "1980", "1990", None]
    result = astrola.k_anonymity([zips, iter(years)], target_k=2, report=2)
    assert (result.k, result.rows, result.classes, result.rows_below_target) == (1, 5, 3, 2)
    assert [(c.values, c.size) for c in result.smallest] == [(["100", "1990"], 1), (["100", None], 1)]
    assert result.to_dict() == json.loads(result.to_json())
    assert astrola.k_anonymity([zips]).k == 2


def test_classify_releases_the_gil() -> None:
    # Parsing and classifying GitLab's thousands of columns runs without the
    # GIL: a loop on this thread goes round millions of times meanwhile.
    assert python_progress_during(lambda: astrola.classify(GITLAB)) > 100_000


def cli() -> str:
    path = os.environ.get("ASTROLA_CLI")
    assert path, "ASTROLA_CLI is not set: point it at the astrola CLI binary (cargo build -p astrola-cli)"
    assert Path(path).is_file(), f"ASTROLA_CLI={path} is not a file"
    return path


def test_json_equals_astrola_pii_format_json(tmp_path: Path) -> None:
    schema = tmp_path / "schema.sql"
    schema.write_text(SCHEMA, encoding="utf-8")
    out = subprocess.run([cli(), "pii", str(schema), "--format", "json"], capture_output=True, text=True, check=False)
    assert out.returncode == 1, out.stderr  # 1: findings
    assert astrola.classify(SCHEMA).to_json() + "\n" == out.stdout
    text = subprocess.run([cli(), "pii", str(schema)], capture_output=True, text=True, check=False)
    assert astrola.classify(SCHEMA).to_text() == text.stdout


def test_samples_match_the_cli_reading_the_same_csv(tmp_path: Path) -> None:
    schema = tmp_path / "schema.sql"
    schema.write_text(SCHEMA, encoding="utf-8")
    rows = list(zip(EMAILS, NOT_SSNS))
    csv = tmp_path / "users.csv"
    csv.write_text("notes,ssn\n" + "".join(f"{a},{b}\n" for a, b in rows), encoding="utf-8")
    out = subprocess.run([cli(), "pii", str(schema), "--samples", f"users={csv}", "--format", "json", "--min-confidence", "0.3"], capture_output=True, text=True, check=False)
    assert out.returncode == 1, out.stderr
    samples = {"users": {"notes": [a for a, _ in rows], "ssn": [b for _, b in rows]}}
    assert astrola.classify(SCHEMA, samples, min_confidence=0.3).to_json() + "\n" == out.stdout
