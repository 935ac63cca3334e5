// PostgreSQL migration scripts, kept as Swift literals: SwiftPM warns about any other kind of
// file in a test target that Package.swift does not declare.

extension Script {
    /// Dollar quotes, nested comments, E'' strings, DO blocks, Unicode escapes and multi-byte text.
    static let postgresAccounts = Script(
        name: "001_accounts.sql",
        text: #"""
-- Migration 001 — Konten & Buchungen (会計) 😀 — comments may hold ; freely
/* A block comment /* nested; inside */ still a comment; */
SET search_path = public;

CREATE TABLE accounts (
    id           bigserial PRIMARY KEY,
    "Owner;Name" text NOT NULL,
    note         text DEFAULT E'it\'s; escaped',
    created_at   timestamptz NOT NULL DEFAULT now()
);

;; -- empty statements are dropped

INSERT INTO accounts ("Owner;Name", note) VALUES ('Zoë; Ångström', 'semi;colon'), ('O''Brien', $$dollar; quoted$$);

CREATE FUNCTION touch_created_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.created_at := now();  -- ; inside the body
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION describe(n integer) RETURNS text
LANGUAGE plpgsql AS $body$
DECLARE
    s text := $$nested $$ || 'quote;';
BEGIN
    IF n < 0 THEN RETURN 'negative;'; END IF;
    RETURN s;
END;
$body$;

CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts
    FOR EACH ROW EXECUTE FUNCTION touch_created_at();

DO $do$
BEGIN
    RAISE NOTICE 'migrating; please wait';
END
$do$;

DO LANGUAGE plpgsql $$ BEGIN PERFORM 1; END $$;

COMMENT ON TABLE accounts IS U&'Konten\00FCbersicht; d\0061ta'; INSERT INTO accounts ("Owner;Name") VALUES ('Łódź; Ærø'); SELECT 'ünïcödé' AS "列;";

SELECT U&"d\0061t;a" FROM (SELECT 1 AS "dat;a") AS t; SELECT B'1010', X'FF', 'multi
line; string' -- the last statement has no semicolon

"""#
    )

    /// SQL-standard `BEGIN ATOMIC` bodies, a transaction, and a rule with several actions.
    static let postgresRoutines = Script(
        name: "002_sql_routines.sql",
        text: #"""
-- SQL-standard routine bodies (PostgreSQL 14+): BEGIN ATOMIC … END holds semicolons.
CREATE TABLE ledger (id int PRIMARY KEY, amount numeric, kind text);

CREATE FUNCTION add_entry(p_id int, p_amount numeric) RETURNS void
LANGUAGE sql
BEGIN ATOMIC
    INSERT INTO ledger VALUES (p_id, p_amount, CASE WHEN p_amount < 0 THEN 'debit' ELSE 'credit' END);
    UPDATE ledger SET kind = 'checked; twice' WHERE id = p_id;
END;

CREATE OR REPLACE PROCEDURE reset_ledger()
LANGUAGE sql
BEGIN ATOMIC
  DELETE FROM ledger;
  SELECT CASE WHEN count(*) = 0 THEN 'empty' END FROM ledger;
END;

CREATE FUNCTION total() RETURNS numeric LANGUAGE sql RETURN (SELECT sum(amount) FROM ledger);

BEGIN;
UPDATE ledger SET amount = amount * 2;
COMMIT;

CREATE RULE ledger_log AS ON INSERT TO ledger DO ALSO (NOTIFY ledger; NOTIFY audit);

/* Ünïcode before a routine */ CREATE FUNCTION größe() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;

"""#
    )
}
