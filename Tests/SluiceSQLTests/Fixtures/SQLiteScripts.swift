// SQLite migration scripts, kept as Swift literals: SwiftPM warns about any other kind of
// file in a test target that Package.swift does not declare.

extension Script {
    /// A first migration: tables, quoted names, strings and comments full of `;`, empty statements.
    static let sqliteCustomers = Script(
        name: "001_customers.sql",
        text: #"""
-- Migration 001 — Kundenübersicht & Bestellungen (日本語のコメント) 😀
-- Comments may hold semicolons; they must not end anything.

/* Block comment; with a semicolon; and a 'quote' and a "quote" */
PRAGMA foreign_keys = ON;

CREATE TABLE customers (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,          -- "name" is fine; so is ;
    "e-mail" TEXT UNIQUE,
    [group]  TEXT DEFAULT 'standard; default',
    `notes`  TEXT DEFAULT 'it''s; fine'
);

;;  -- empty statements are dropped
;

INSERT INTO customers (name, "e-mail", [group]) VALUES
    ('Zoë Ångström', 'zoe@example.com', 'gold'),
    ('Jürgen; Müller', 'j@example.com', 'a]b'),
    ('O''Brien /* not a comment */', NULL, '-- not a comment');

CREATE TABLE "order items" (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), label TEXT);

CREATE INDEX idx_items_customer ON "order items"(customer_id); CREATE VIEW v_customers AS SELECT name AS "Name;" FROM customers WHERE name <> ';';

INSERT INTO "order items" (label) VALUES ('Ærø—Łódź'); INSERT INTO "order items" (label) VALUES ('naïve; café');

/* multi-line
   comment ; */ UPDATE customers SET notes = 'línea 1
línea 2; still the same string' WHERE id = 1;

SELECT count(*) FROM customers -- the last statement has no semicolon

"""#
    )

    /// Triggers whose bodies hold `;`, `END` in comments, and `CASE … END`.
    static let sqliteTriggers = Script(
        name: "002_triggers.sql",
        text: #"""
-- Triggers: their bodies hold semicolons that do not end the CREATE TRIGGER.
CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL DEFAULT 0, status TEXT);
CREATE TABLE audit_log (id INTEGER PRIMARY KEY, account_id INTEGER, message TEXT, at TEXT DEFAULT CURRENT_TIMESTAMP);

CREATE TRIGGER accounts_audit AFTER UPDATE OF balance ON accounts
FOR EACH ROW
WHEN NEW.balance <> OLD.balance
BEGIN
    INSERT INTO audit_log (account_id, message) VALUES (NEW.id, 'balance changed; see ledger');
    UPDATE accounts SET status = CASE WHEN NEW.balance < 0 THEN 'overdrawn' ELSE 'ok' END WHERE id = NEW.id;
    -- a comment with END; inside the body
    /* and END; here */
END;

CREATE TEMP TRIGGER IF NOT EXISTS accounts_guard BEFORE DELETE ON accounts
BEGIN
    SELECT RAISE(ABORT, 'cannot delete; archive instead') WHERE OLD.balance <> 0;
END
;
create trigger "end" after insert on accounts begin insert into audit_log(message) values ('end'); end;
INSERT INTO accounts (balance) VALUES (10);
UPDATE accounts SET balance = -5 WHERE id = 1;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(FAIL, 'audit rows are final'); END

"""#
    )
}
