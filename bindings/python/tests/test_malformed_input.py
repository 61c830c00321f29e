"""No input, however malformed, does anything but succeed or raise an
astrola error: random bytes, truncated real schemas, huge identifiers,
deeply nested expressions and wrong types, fed to every function and
method of the package."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Callable

import pytest

import astrola
from conftest import CORPUS, SHOP_V1, SHOP_V2

SEED = 20250611
NEST = 100_000
WRONG_TYPES: list[Any] = [None, 0, -1, 2**70, 1.5, True, b"CREATE TABLE a (id int);", bytearray(b"x"), [], ["CREATE TABLE a (id int);"], {}, {"sql": "x"}, object(), astrola.Schema]


class Feeder:
    """Calls functions, counting the calls and recording anything raised
    that is not an AstrolaError."""

    def __init__(self) -> None:
        self.calls = 0
        self.failures: list[str] = []

    def __call__(self, name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        try:
            return fn(*args, **kwargs)
        except astrola.AstrolaError:
            return None
        except BaseException as e:  # noqa: BLE001 - anything else is the failure we look for
            shown = ", ".join(repr(a)[:80] for a in args)
            self.failures.append(f"{name}({shown}, {kwargs!r:.80}): {type(e).__name__}: {str(e)[:200]}")
            return None


def corpus_sql() -> list[tuple[str, str]]:
    """Real schemas in each dialect (the first 30 kB of the big ones)."""
    files = [
        ("sakila/postgres-sakila-schema.sql", "postgres"),
        ("sakila/mysql-sakila-schema.sql", "mysql"),
        ("sakila/sqlite-sakila-schema.sql", "sqlite"),
        ("danbooru/structure.sql", "postgres"),
        ("chinook/Chinook_PostgreSql.sql", "postgres"),
        ("chinook/Chinook_MySql.sql", "mysql"),
        ("chinook/Chinook_Sqlite.sql", "sqlite"),
        ("postgres-regress/alter_table.sql", "postgres"),
    ]
    out = []
    for name, dialect in files:
        path = CORPUS / "schemas" / name
        assert path.is_file(), f"missing corpus file {path}"
        out.append((path.read_text(encoding="utf-8", errors="replace")[:30_000], dialect))
    return out


def malformed_sql(rng: random.Random) -> list[tuple[str, str]]:
    """(sql, dialect) pairs: random text, truncations and mutations of real
    SQL, huge identifiers and deep nesting."""
    dialects = ["postgres", "mysql", "sqlite"]
    inputs: list[tuple[str, str]] = []
    for _ in range(3500):
        raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
        inputs.append((raw.decode("utf-8", errors=rng.choice(["replace", "ignore", "surrogateescape"])), rng.choice(dialects)))
        inputs.append((raw.decode("latin-1"), rng.choice(dialects)))
    alphabet = "CREATE TABLE INDEX VIEW ALTER DROP ( ) , ; ' \" ` -- /* */ \n int text NOT NULL DEFAULT CHECK REFERENCES @renamed from="
    for _ in range(1500):
        inputs.append(("".join(rng.choice(alphabet.split(" ") + list("()'\";,`")) + " " for _ in range(rng.randrange(1, 40))), rng.choice(dialects)))
    for sql, dialect in corpus_sql() + [(SHOP_V1, "postgres"), (SHOP_V2, "postgres")]:
        for _ in range(60):
            inputs.append((sql[: rng.randrange(len(sql) + 1)], dialect))
        for _ in range(20):
            start = rng.randrange(len(sql))
            inputs.append((sql[start : start + rng.randrange(1, 3000)], dialect))
        for _ in range(20):
            chars = list(sql[:3000])
            for _ in range(rng.randrange(1, 10)):
                at = rng.randrange(len(chars) + 1)
                if rng.random() < 0.5 and at < len(chars):
                    del chars[at]
                else:
                    chars.insert(at, rng.choice("();,'\"`\\\x00\u00e9\ud7ff-*/"))
            inputs.append(("".join(chars), dialect))
    huge = "a" * 1_000_000
    nest = "(" * NEST + "1" + ")" * NEST
    for dialect in dialects:
        quote = "`" if dialect == "mysql" else '"'
        inputs += [
            (f"CREATE TABLE {quote}{huge}{quote} (id int);", dialect),
            (f"CREATE TABLE {huge} (id int);", dialect),
            (f"CREATE TABLE t ({huge} int DEFAULT '{huge}');", dialect),
            (f"CREATE TABLE t (c int DEFAULT {nest});", dialect),
            (f"CREATE TABLE t (c int CHECK (c > {nest}));", dialect),
            (f"CREATE TABLE t (c int DEFAULT {'(' * NEST}1);", dialect),
            (f"CREATE TABLE t (c int DEFAULT 1{')' * NEST});", dialect),
            (f"CREATE VIEW v AS SELECT {nest} AS x;", dialect),
            ("CREATE TABLE t (c int DEFAULT " + "abs(" * 3000 + "1" + ")" * 3000 + ");", dialect),
            ("CREATE TABLE t (c int DEFAULT " + "1 + " * 20_000 + "1);", dialect),
            ("CREATE TABLE t (c int DEFAULT " + "-" * NEST + "1);", dialect),
            ("CREATE TABLE t (c bool DEFAULT " + "NOT " * NEST + "true);", dialect),
            ("CREATE TABLE t (c int" + "[]" * 10_000 + ");", dialect),
            (f"CREATE TABLE t (c int); CREATE INDEX i ON t ((c + {nest}));", dialect),
            ("CREATE TABLE t (c int -- @renamed from=" + huge + "\n);", dialect),
            ("CREATE TABLE t (c int); " * 20_000, dialect),
            ("\x00", dialect),
            ("", dialect),
        ]
    return inputs


def malformed_json(rng: random.Random, good: str) -> list[str]:
    out = ["[" * NEST + "]" * NEST, '{"format": 1, "dialect": "postgres", "tables": ' + "[" * NEST, "", "null", "{}", '{"format": 1}']
    for _ in range(300):
        chars = list(good)
        for _ in range(rng.randrange(1, 6)):
            at = rng.randrange(len(chars))
            chars[at] = rng.choice('{}[]",:0 a\\')
        out.append("".join(chars))
        out.append(good[: rng.randrange(len(good))])
    return out


def exercise(feed: Feeder, value: Any) -> None:
    """Reads every property and calls every method of a result."""
    if isinstance(value, astrola.Schema):
        feed("Schema.dialect", getattr, value, "dialect")
        for name in ["tables", "views", "indexes", "sequences", "types", "functions", "extensions", "warnings"]:
            for item in feed(f"Schema.{name}", getattr, value, name) or []:
                exercise(feed, item)
        feed("Schema.to_sql", value.to_sql)
        text = feed("Schema.to_json", value.to_json)
        feed("Schema.to_dict", value.to_dict)
        feed("Schema.table", value.table, "t")
        if text is not None:
            feed("Schema.from_json", astrola.Schema.from_json, text)
    elif isinstance(value, astrola.ChangeSet):
        for name in ["changes", "statements", "refused", "suggestions", "unmanaged"]:
            for item in feed(f"ChangeSet.{name}", getattr, value, name) or []:
                exercise(feed, item)
        for method in [value.sql, value.to_json, value.to_dict, value.down_sql]:
            feed(f"ChangeSet.{method.__name__}", method)
        feed("ChangeSet.down", value.down, allow_destructive=True)
    elif isinstance(value, astrola.DriftReport):
        for item in feed("DriftReport.drifts", getattr, value, "drifts") or []:
            exercise(feed, item)
        for method in [value.remediation_sql, value.to_text, value.to_json, value.to_dict]:
            feed(f"DriftReport.{method.__name__}", method)
    elif type(value).__module__ == "astrola":
        cls = type(value)
        for name in dir(cls):
            if name.startswith("_"):
                continue
            attr = feed(f"{cls.__name__}.{name}", getattr, value, name)
            if callable(attr):
                feed(f"{cls.__name__}.{name}()", attr)
            elif isinstance(attr, list):
                for item in attr:
                    if not isinstance(item, str):
                        exercise(feed, item)
        feed(f"{cls.__name__}.__repr__", repr, value)


def test_malformed_inputs_never_escape_as_anything_but_astrola_errors() -> None:
    rng = random.Random(SEED)
    feed = Feeder()
    good = astrola.parse_schema(SHOP_V2)
    good_changes = astrola.diff(SHOP_V1, SHOP_V2)
    sql_inputs = malformed_sql(rng)
    for i, (sql, dialect) in enumerate(sql_inputs):
        schema = feed("parse_schema", astrola.parse_schema, sql, dialect, file="fuzz.sql")
        if i % 8 == 0:
            exercise(feed, schema)
        other = SHOP_V2 if dialect == "postgres" else ""
        changes = feed("diff", astrola.diff, sql, other, dialect=dialect, allow_destructive=bool(i % 2))
        feed("diff", astrola.diff, other, sql, dialect=dialect)
        feed("drift", astrola.drift, sql, other, dialect=dialect)
        if i % 8 == 0:
            exercise(feed, changes)
            exercise(feed, feed("drift", astrola.drift, other, sql, dialect=dialect))
        if schema is not None:
            feed("diff", astrola.diff, schema, good)
            feed("Schema.table", schema.table, sql[:200])
    json_inputs = malformed_json(rng, good.to_json())
    for text in json_inputs:
        exercise(feed, feed("Schema.from_json", astrola.Schema.from_json, text))
    for bad in WRONG_TYPES + [random_text for random_text in ["oracle", "", "POSTGRES", "\udc80"]]:
        feed("parse_schema", astrola.parse_schema, bad)
        feed("parse_schema", astrola.parse_schema, SHOP_V1, bad)
        feed("parse_schema", astrola.parse_schema, SHOP_V1, file=bad)
        feed("Schema.from_json", astrola.Schema.from_json, bad)
        feed("Schema.table", good.table, bad)
        feed("diff", astrola.diff, bad, SHOP_V2)
        feed("diff", astrola.diff, SHOP_V1, bad)
        feed("diff", astrola.diff, SHOP_V1, SHOP_V2, allow_destructive=bad)
        feed("diff", astrola.diff, SHOP_V1, SHOP_V2, dialect=bad)
        feed("drift", astrola.drift, bad, SHOP_V2)
        feed("drift", astrola.drift, SHOP_V1, bad)
        feed("drift", astrola.drift, SHOP_V1, SHOP_V2, dialect=bad)
        feed("ChangeSet.down", good_changes.down, allow_destructive=bad)
        feed("ChangeSet.down_sql", good_changes.down_sql, allow_destructive=bad)

    inputs = len(sql_inputs) + len(json_inputs) + len(WRONG_TYPES) + 4
    assert feed.failures == [], f"{len(feed.failures)} calls raised something else than an AstrolaError:\n" + "\n".join(feed.failures[:30])
    assert inputs >= 10_000, inputs
    assert feed.calls >= 10_000, feed.calls
    print(f"fed {inputs} malformed inputs ({len(sql_inputs)} SQL, {len(json_inputs)} JSON) in {feed.calls} calls")


GOOD_CONFIG = 'pg_version = 12\ntransactional = true\nfail_on = "warning"\n[rules]\ndisable = ["drop-table"]\n[rules.severity]\ntruncate = "info"\n[naming]\nindex = "idx_.*"\n'
GOOD_STATS = '{"tables": {"public.users": {"rows": 48000000, "bytes": 9663676416}, "orders": {"rows": 12}}}'


def mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randrange(1, 6)):
        at = rng.randrange(len(chars))
        chars[at] = rng.choice('{}[]",:=0 a\\\n.-#"\x00é')
    return "".join(chars) if rng.random() < 0.7 else text[: rng.randrange(len(text))]


def lint_options(rng: random.Random, schema: astrola.Schema) -> dict[str, Any]:
    """Keyword arguments of `lint`: good ones, malformed ones and wrong types."""
    rule_ids = [r.id for r in astrola.rules()]
    options: dict[str, Any] = {}
    pick = rng.random
    if pick() < 0.3:
        options["config"] = rng.choice([GOOD_CONFIG, mutate(rng, GOOD_CONFIG), "", "[[[", "x = ", rng.choice(WRONG_TYPES)])
    if pick() < 0.3:
        options["stats"] = rng.choice([GOOD_STATS, mutate(rng, GOOD_STATS), {"tables": {"users": {"rows": rng.randrange(-5, 10**8)}}}, {"tables": {"t": {"rows": 2**70}}}, {"tables": [1]}, rng.choice(WRONG_TYPES)])
    if pick() < 0.2:
        options["disable"] = rng.choice([rng.sample(rule_ids, 3), ["nope"], "drop-table", rng.choice(WRONG_TYPES), [rng.choice(WRONG_TYPES)]])
    if pick() < 0.2:
        options["enable"] = rng.choice([rng.sample(rule_ids, 2), [""], rng.choice(WRONG_TYPES)])
    if pick() < 0.2:
        options["severity"] = rng.choice([{rng.choice(rule_ids): rng.choice(["info", "warning", "error", "fatal"])}, {1: "info"}, rng.choice(WRONG_TYPES)])
    if pick() < 0.2:
        options["pg_version"] = rng.choice([9, 10, 11, 12, 15, 17, 0, 2**40, rng.choice(WRONG_TYPES)])
    if pick() < 0.2:
        options["transactional"] = rng.choice([True, False, rng.choice(WRONG_TYPES)])
    if pick() < 0.2:
        options["schema"] = rng.choice([schema, rng.choice(WRONG_TYPES)])
    if pick() < 0.1:
        options["file"] = rng.choice(["", "é.sql", "\udc80", rng.choice(WRONG_TYPES)])
    return options


def exercise_diagnostics(feed: Feeder, rng: random.Random, sql: str, found: Any, other: str) -> None:
    """Reads every field of each diagnostic, renders it, and applies the
    fixes to its own text and to others."""
    if not isinstance(found, list):
        return
    for d in found[:20]:
        for name in ["rule", "severity", "message", "statement", "help", "table", "validation"]:
            feed(f"Diagnostic.{name}", getattr, d, name)
        exercise(feed, feed("Diagnostic.span", getattr, d, "span"))
        fix = feed("Diagnostic.fix", getattr, d, "fix")
        if fix is not None:
            exercise(feed, fix)
        for method in [d.to_dict, d.to_json, d.__repr__]:
            feed(f"Diagnostic.{method.__name__}", method)
        feed("Diagnostic.render", d.render, sql)
    feed("apply_fixes", astrola.apply_fixes, sql, found)
    feed("apply_fixes", astrola.apply_fixes, sql, found, unsafe=True)
    feed("apply_fixes", astrola.apply_fixes, other, found, unsafe=True)
    feed("apply_fixes", astrola.apply_fixes, sql[: rng.randrange(len(sql) + 1)], found[::-1])


def test_lint_rules_and_apply_fixes_never_fail_on_malformed_input() -> None:
    rng = random.Random(SEED + 1)
    feed = Feeder()
    schema = astrola.parse_schema(SHOP_V2)
    sql_inputs = [sql for sql, _ in malformed_sql(rng)]
    migrations = (CORPUS / "schemas" / "postgres-regress" / "alter_table.sql").read_text(encoding="utf-8")
    for _ in range(600):
        start = rng.randrange(len(migrations))
        sql_inputs.append(mutate(rng, migrations[start : start + rng.randrange(1, 5000)] or "x"))
    for i, sql in enumerate(sql_inputs):
        options = lint_options(rng, schema)
        found = feed("lint", astrola.lint, sql, **options)
        if i % 4 == 0:
            exercise_diagnostics(feed, rng, sql, found, rng.choice(sql_inputs))
        elif isinstance(found, list):
            feed("apply_fixes", astrola.apply_fixes, sql, found)
    for rule in feed("rules", astrola.rules) or []:
        exercise(feed, rule)
    good = astrola.lint("CREATE INDEX i ON t (c);\nALTER TABLE t ALTER COLUMN c SET NOT NULL;\n")
    for bad in WRONG_TYPES + ["", "\udc80", "drop-table", [1], [None], {"drop-table": 1}, iter([1])]:
        for name in ["file", "pg_version", "schema", "stats", "transactional", "config", "disable", "enable", "severity"]:
            feed(f"lint({name}=...)", astrola.lint, "CREATE INDEX i ON t (c);", **{name: bad})
        feed("lint", astrola.lint, bad)
        feed("apply_fixes", astrola.apply_fixes, bad, good)
        feed("apply_fixes", astrola.apply_fixes, "x", bad)
        feed("apply_fixes", astrola.apply_fixes, "x", [good[0], bad])
        feed("apply_fixes", astrola.apply_fixes, "x", good, unsafe=bad)
        feed("Diagnostic.render", good[0].render, bad)
        feed("Diagnostic.__eq__", good[0].__eq__, bad)

    assert feed.failures == [], f"{len(feed.failures)} calls raised something else than an AstrolaError:\n" + "\n".join(feed.failures[:30])
    assert len(sql_inputs) >= 10_000, len(sql_inputs)
    print(f"linted {len(sql_inputs)} malformed inputs in {feed.calls} calls")


def test_render_against_another_text_does_not_panic() -> None:
    sql = "CREATE TABLE t (id int);\nCREATE INDEX i ON t2 (c);\n"
    found = astrola.lint(sql)
    assert found
    for d in found:
        for other in ["", "abc" + "\r" * 40, sql.replace("\n", "\r\n"), sql[:30]]:
            try:
                d.render(other)
            except astrola.AstrolaError:
                pass


def test_classify_mask_and_k_anonymity_never_fail_on_malformed_input() -> None:
    rng = random.Random(SEED + 2)
    feed = Feeder()
    schema = astrola.parse_schema(SHOP_V2)
    inputs: list[Any] = [sql for sql, _ in malformed_sql(rng)][::4] + WRONG_TYPES + ["\udc80", "x" * 5_000_000, iter([1, None, b"x"]), (v for v in ["a", object()])]
    for i, bad in enumerate(inputs):
        samples = rng.choice([bad, {"customers": bad}, {"customers": {"email": bad}}, {"customers": {"email": [bad, "a@b.co", None]}}, {bad: {"x": ["y"]}} if isinstance(bad, str) else None])
        exercise(feed, feed("classify", astrola.classify, rng.choice([bad, schema, SHOP_V1]), samples, min_confidence=rng.choice([0.5, bad])))
        feed("classify", astrola.classify, bad if i % 2 else schema, dialect=rng.choice(["postgres", bad]))
        feed("mask", astrola.mask, rng.choice([bad, [bad], ["a@b.co", bad]]), rng.choice(["redact", "partial", "hash", "pseudonymize", "format_preserving", "year_of_birth", "zip3", bad]), key=rng.choice([None, b"k" * 16, bad]))
        exercise(feed, feed("k_anonymity", astrola.k_anonymity, rng.choice([bad, [bad], [["a"], bad]]), target_k=rng.choice([2, bad]), report=rng.choice([1, bad])))
    assert feed.failures == [], f"{len(feed.failures)} calls raised something else than an AstrolaError:\n" + "\n".join(feed.failures[:30])
    print(f"fed {len(inputs)} malformed inputs to classify, mask and k_anonymity in {feed.calls} calls")
