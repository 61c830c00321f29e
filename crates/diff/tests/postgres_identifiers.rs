//! Awkward identifiers survive a diff and apply on the real server: names
//! with double quotes, spaces, semicolons, comment markers, upper case,
//! unicode and reserved words, for schemas, tables, columns, types, enum
//! labels, constraints, indexes, views, comments, and renames of them.

#[path = "../../core/tests/common/mod.rs"]
mod common;
mod pg_oracle;

use common::postgres::Server;
use pg_oracle::{check, Verdict};

const CURRENT: &str = r#"
CREATE SCHEMA "Sales; DROP TABLE x --";
CREATE TYPE "Sales; DROP TABLE x --"."Mood ""Type""" AS ENUM ('it''s', 'ok; --', 'naïve');
CREATE TABLE "Sales; DROP TABLE x --"."Order" (
    "select" integer PRIMARY KEY,
    "Quo""ted" text,
    "naïve_ü" varchar(10),
    "user" "Sales; DROP TABLE x --"."Mood ""Type""",
    "Old Name" text
);
CREATE TABLE public."table" ("from" bigint PRIMARY KEY, "to" integer);
CREATE INDEX "Idx; --" ON "Sales; DROP TABLE x --"."Order" ("Quo""ted");
CREATE VIEW "View ""V""" AS SELECT "from", "to" FROM public."table";
"#;

const DESIRED: &str = r#"
CREATE SCHEMA "Sales; DROP TABLE x --";
CREATE TYPE "Sales; DROP TABLE x --"."Mood ""Type""" AS ENUM ('it''s', 'ok; --', 'new ''label''; --', 'naïve');
CREATE TABLE "Sales; DROP TABLE x --"."Order" (
    "select" integer PRIMARY KEY,
    "Quo""ted" text NOT NULL DEFAULT 'a''b;--',
    "naïve_ü" varchar(40),
    "user" "Sales; DROP TABLE x --"."Mood ""Type""" DEFAULT 'new ''label''; --',
    "New; Name" text, -- @renamed from="Old Name"
    "Ünïcode Column" timestamptz,
    CONSTRAINT "Check; it" CHECK ("select" > 0)
);
CREATE TABLE public."table" ("from" bigint PRIMARY KEY, "to" bigint, "group" text UNIQUE);
CREATE TABLE "Sales; DROP TABLE x --"."Line ""Item""" (
    id bigint PRIMARY KEY,
    "order" integer REFERENCES "Sales; DROP TABLE x --"."Order" ("select") ON DELETE CASCADE
);
CREATE INDEX "Idx; --" ON "Sales; DROP TABLE x --"."Order" ("Quo""ted", "naïve_ü");
CREATE INDEX "Ünïcode Index" ON "Sales; DROP TABLE x --"."Line ""Item""" ("order");
CREATE VIEW "View ""V""" AS SELECT "from", "to", "group" FROM public."table";
COMMENT ON TABLE "Sales; DROP TABLE x --"."Order" IS 'it''s; DROP TABLE x; --';
COMMENT ON COLUMN public."table"."group" IS 'naïve "quoted"';
"#;

#[test]
fn awkward_identifiers_survive_a_diff_on_the_real_server() {
    let server = Server::connect().unwrap_or_else(|e| panic!("{e}"));
    for (from, to) in [
        (CURRENT, DESIRED),
        (DESIRED, CURRENT),
        ("", DESIRED),
        (DESIRED, ""),
    ] {
        match check(&server, from, to, true) {
            Verdict::Pass => {}
            Verdict::Invalid => panic!("the fixture itself is rejected by PostgreSQL"),
            Verdict::Fail(why) => panic!("{why}"),
        }
    }
}
