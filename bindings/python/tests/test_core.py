"""parse_schema, Schema and the objects it holds."""

from __future__ import annotations

import json

import pytest

import astrola
from conftest import SHOP_V1, SHOP_V2


def test_parse_reads_tables_columns_constraints_and_indexes() -> None:
    schema = astrola.parse_schema(SHOP_V2)
    assert schema.dialect == "postgres"
    assert [t.name for t in schema.tables] == ["customers", "order_items", "orders"]
    customers = schema.table("customers")
    assert customers is not None
    assert customers.schema == "public"
    assert customers.qualified_name == "public.customers"
    assert customers.primary_key == ["id"]
    cols = {c.name: c for c in customers.columns}
    assert [c.name for c in customers.columns] == ["id", "email", "full_name", "created_at"]
    assert cols["id"].data_type == "bigint"
    assert cols["id"].identity == "always"
    assert cols["id"].nullable is False
    assert cols["full_name"].nullable is True
    assert cols["full_name"].default is None
    assert cols["created_at"].default == "now()"
    assert cols["email"].generated is None and cols["email"].comment is None

    items = schema.table("public.order_items")
    assert items is not None
    assert items.comment == "One line of an order"
    assert items.primary_key == ["order_id", "sku"]
    kinds = sorted(c.kind for c in items.constraints)
    assert kinds == ["check", "foreign_key", "primary_key"]
    fk = next(c for c in items.constraints if c.kind == "foreign_key")
    assert fk.columns == ["order_id"]
    assert fk.references == "public.orders"
    check = next(c for c in items.constraints if c.kind == "check")
    assert check.columns == [] and check.references is None

    orders = schema.table("orders")
    assert orders is not None
    assert sorted(i.name for i in orders.indexes) == ["orders_customer_idx", "orders_open_idx"]
    partial = next(i for i in schema.indexes if i.name == "orders_open_idx")
    assert partial.table == "public.orders"
    assert partial.schema == "public"
    assert partial.method == "btree"
    assert partial.unique is False
    assert partial.columns == ["placed_at"]
    assert partial.where is not None and "shipped" in partial.where

    [view] = schema.views
    assert (view.schema, view.name, view.materialized) == ("public", "recent_orders", False)
    assert "orders" in view.query
    assert view.columns == [] and view.comment is None
    assert schema.table("missing") is None
    assert schema.table("a.b.c") is None


def test_sequences_types_functions_extensions_and_warnings() -> None:
    sql = """
        CREATE EXTENSION IF NOT EXISTS pgcrypto WITH VERSION '1.3';
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE SEQUENCE ticket_seq AS integer INCREMENT BY 5;
        CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
        CREATE TABLE t (id integer PRIMARY KEY, m mood);
        CREATE RULE r AS ON INSERT TO t DO INSTEAD NOTHING;
    """
    schema = astrola.parse_schema(sql, file="shop.sql")
    [ext] = schema.extensions
    assert (ext.name, ext.version) == ("pgcrypto", "1.3")
    assert ext.schema == "public"
    [mood] = schema.types
    assert (mood.schema, mood.name, mood.kind, mood.labels) == ("public", "mood", "enum", ["sad", "ok", "happy"])
    [seq] = schema.sequences
    assert (seq.schema, seq.name, seq.data_type, seq.start, seq.increment) == ("public", "ticket_seq", "integer", 1, 5)
    assert seq.owned_by is None
    [fn] = schema.functions
    assert fn.name == "add" and fn.schema == "public" and fn.signature.startswith("public.add(")
    assert fn.language == "sql" and fn.returns == "integer" and fn.procedure is False
    [warning] = schema.warnings
    assert warning.file == "shop.sql"
    assert warning.line == 7
    assert warning.column >= 1
    assert "RULE" in warning.message or "unmanaged" in warning.message
    assert str(warning).startswith("shop.sql:7:")
    assert warning.to_dict()["span"]["line"] == 7


def test_json_round_trip_and_equality() -> None:
    schema = astrola.parse_schema(SHOP_V2)
    again = astrola.Schema.from_json(schema.to_json())
    assert again == schema
    assert again != astrola.parse_schema(SHOP_V1)
    assert (schema == "not a schema") is False
    assert schema.to_dict() == json.loads(schema.to_json())
    assert astrola.Schema.from_json(json.dumps(schema.to_dict())) == schema
    # The canonical DDL parses back to the same model.
    assert astrola.parse_schema(schema.to_sql()) == schema
    # Schema equality is the model's: unhashable, like any mutable-equality value.
    with pytest.raises(TypeError):
        hash(schema)


def test_child_objects_round_trip_through_dicts() -> None:
    schema = astrola.parse_schema(SHOP_V2)
    as_dict = schema.to_dict()
    orders = schema.table("orders")
    assert orders is not None
    assert orders.to_dict() == as_dict["tables"]["public.orders"]
    assert json.loads(orders.to_json()) == orders.to_dict()
    assert orders.columns[0].to_dict() == as_dict["tables"]["public.orders"]["columns"][0]
    assert json.loads(orders.columns[0].to_json()) == orders.columns[0].to_dict()
    constraint = orders.constraints[0]
    assert constraint.to_dict() == as_dict["tables"]["public.orders"]["constraints"][constraint.name]
    assert json.loads(constraint.to_json()) == constraint.to_dict()
    index = schema.indexes[0]
    assert index.to_dict() == as_dict["indexes"][f"public.{index.name}"]
    assert json.loads(index.to_json()) == index.to_dict()
    view = schema.views[0]
    assert view.to_dict() == as_dict["views"]["public.recent_orders"]
    assert json.loads(view.to_json()) == view.to_dict()


def test_mysql_and_sqlite_dialects() -> None:
    mysql = astrola.parse_schema(
        "CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(255) NOT NULL, KEY email_idx (email)) ENGINE=InnoDB;",
        "mysql",
    )
    assert mysql.dialect == "mysql"
    users = mysql.table("users")
    assert users is not None
    assert users.schema is None
    assert users.primary_key == ["id"]
    assert [c.name for c in users.columns] == ["id", "email"]
    assert astrola.Schema.from_json(mysql.to_json()) == mysql
    assert astrola.parse_schema("CREATE TABLE a (id INT PRIMARY KEY);", dialect="mariadb").dialect == "mysql"

    sqlite = astrola.parse_schema("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);", dialect="sqlite")
    assert sqlite.dialect == "sqlite"
    notes = sqlite.table("notes")
    assert notes is not None and notes.schema is None
    assert [(c.name, c.nullable) for c in notes.columns] == [("id", True), ("body", False)]
    assert astrola.Schema.from_json(sqlite.to_json()) == sqlite


def test_reprs() -> None:
    schema = astrola.parse_schema(SHOP_V2)
    assert repr(schema) == "<astrola.Schema dialect='postgres' tables=3 views=1 indexes=2 warnings=0>"
    orders = schema.table("orders")
    assert orders is not None
    assert repr(orders) == "<astrola.Table 'public.orders' columns=5>"
    assert repr(orders.columns[0]) == "<astrola.Column 'id' 'bigint' nullable=False>"
    assert repr(schema.indexes[0]) == "<astrola.Index 'public.orders_customer_idx' on 'public.orders' unique=False>"
    pk = next(c for c in orders.constraints if c.kind == "primary_key")
    assert repr(pk) == f"<astrola.Constraint {pk.name!r} kind='primary_key' columns=['id']>"
    assert repr(schema.views[0]) == "<astrola.View 'public.recent_orders' materialized=False>"
    odd = astrola.parse_schema('CREATE TABLE "it\'s ""odd""" ("naïve" int);')
    assert repr(odd.tables[0]) == "<astrola.Table 'public.\"it\\'s \"\"odd\"\"\"' columns=1>"
    assert repr(odd.tables[0].columns[0]) == "<astrola.Column 'naïve' 'integer' nullable=True>"


def test_results_are_frozen_and_typed() -> None:
    schema = astrola.parse_schema(SHOP_V1)
    with pytest.raises(AttributeError):
        schema.dialect = "mysql"  # type: ignore[misc]
    with pytest.raises(TypeError):
        astrola.Schema()
    assert type(schema).__module__ == "astrola"
    assert astrola.Schema.__doc__ and astrola.Table.columns.__doc__


def test_index_keys_are_sql_with_quoting_and_direction() -> None:
    schema = astrola.parse_schema('CREATE TABLE t ("Created At" timestamptz, name text);\nCREATE INDEX t_idx ON t ("Created At" DESC, lower(name));')
    assert schema.indexes[0].columns == ['"Created At" DESC', "(lower(name))"]
