"""Shared inputs of the astrola tests."""

from __future__ import annotations

from pathlib import Path

import pytest

#: The repository root.
REPO = Path(__file__).resolve().parents[3]
#: The shared corpora, next to the repository (`../shared` from its root;
#: read-only, never copied).
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"

#: A small shop schema, as it is.
SHOP_V1 = """\
CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    placed_at timestamptz NOT NULL DEFAULT now(),
    note varchar(200)
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE VIEW recent_orders AS SELECT id, customer_id FROM orders WHERE placed_at > now() - interval '7 days';
"""

#: The same schema as it should be: a column renamed, columns and a table
#: added, a partial index, a comment.
SHOP_V2 = """\
CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    full_name text, -- @renamed from=name
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    placed_at timestamptz NOT NULL DEFAULT now(),
    note varchar(500),
    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped'))
);
CREATE TABLE order_items (
    order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    sku text NOT NULL,
    quantity integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (order_id, sku)
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE INDEX orders_open_idx ON orders (placed_at) WHERE status <> 'shipped';
CREATE VIEW recent_orders AS SELECT id, customer_id FROM orders WHERE placed_at > now() - interval '7 days';
COMMENT ON TABLE order_items IS 'One line of an order';
"""


@pytest.fixture(scope="session")
def corpus() -> Path:
    assert CORPUS.is_dir(), f"the shared corpus is missing at {CORPUS}"
    return CORPUS
