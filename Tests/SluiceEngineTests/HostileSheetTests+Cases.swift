import Testing

/// A hostile SQLite sheet, as a developer would write it, and the one refusal it must draw: the
/// refused construct and where it points in the sheet. `{METASTORE}`, `{OTHER}`, `{VACUUM}` and
/// `{FUTURE_TASK}` stand for the metastore's path, another tenant's file, a file outside every
/// target and the id of a task that does not exist yet; none of them stands before the refused
/// construct on its line, so positions hold whatever they expand to.
struct HostileSQLiteSheet: Sendable, CustomTestStringConvertible {
    var sql: String
    var construct: String
    var line: Int
    var column: Int
    var statement: Int

    init(_ sql: String, _ construct: String, _ line: Int, _ column: Int, statement: Int = 0) {
        self.sql = sql
        self.construct = construct
        self.line = line
        self.column = column
        self.statement = statement
    }

    var testDescription: String { sql.debugDescription }
}

/// A legitimate SQLite migration and a query on the target that returns `expected` once it ran.
struct LegitimateSQLiteSheet: Sendable, CustomTestStringConvertible {
    var sql: String
    var check: String
    var expected: Int

    init(_ sql: String, check: String, _ expected: Int) {
        self.sql = sql
        self.check = check
        self.expected = expected
    }

    var testDescription: String { sql.debugDescription }
}

extension HostileSheetTests {
    static let forge = "INSERT INTO sluice_migration_history"
    static let forgedColumns = "(type, status, statement, checksum, schemaBefore, schemaAfter, durationMs, taskId, workspace, appliedBy, appliedAt)"

    static let hostile: [HostileSQLiteSheet] = [
        // Transaction control: escaping Sluice's transaction, in every spelling.
        .init("COMMIT;\nINSERT INTO customers (name) VALUES ('mallory');\nBEGIN;", "COMMIT", 1, 1),
        .init("COMMIT; PRAGMA journal_mode=WAL; BEGIN;", "COMMIT", 1, 1),
        .init("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER);\nINSERT INTO invoices (total) VALUES (10);\nCOMMIT;",
              "COMMIT", 3, 1, statement: 2),
        .init("UPDATE customers SET name = 'x';\nEND;", "COMMIT", 2, 1, statement: 1),
        .init("END TRANSACTION;", "COMMIT", 1, 1),
        .init("DELETE FROM customers;\nROLLBACK;", "ROLLBACK", 2, 1, statement: 1),
        .init("bEgIn ImMeDiAtE;", "BEGIN", 1, 1),
        .init("/*x*/CoMmIt;", "COMMIT", 1, 6),
        .init("-- c\nCOMMIT;", "COMMIT", 2, 1),
        .init("EXPLAIN COMMIT;", "COMMIT", 1, 9),
        .init("INSERT INTO customers (name) VALUES ('a;b');COMMIT;", "COMMIT", 1, 45, statement: 1),
        .init("INSERT INTO customers (name) VALUES ('x'';\nCOMMIT;--');\nDELETE FROM sluice_migration_history;",
              "DELETE FROM sluice_migration_history", 3, 13, statement: 1),
        // Savepoints.
        .init("SAVEPOINT s1;\nDELETE FROM customers;\nRELEASE s1;", "SAVEPOINT", 1, 1),
        .init("DELETE FROM customers;\n  RELEASE SAVEPOINT s1;", "RELEASE", 2, 3, statement: 1),
        .init("INSERT INTO customers (name) VALUES ('x');\nROLLBACK TO s1;", "ROLLBACK TO", 2, 1, statement: 1),
        // Other databases: the metastore, another tenant.
        .init("ATTACH DATABASE '{METASTORE}' AS m; UPDATE m.member SET role='admin' WHERE email='dev@example.com';", "ATTACH DATABASE", 1, 1),
        .init("ATTACH '{OTHER}' AS other;\nDELETE FROM other.customers;\nINSERT INTO other.customers (name) VALUES ('planted');",
              "ATTACH DATABASE", 1, 1),
        .init("SELECT 1;\nDETACH DATABASE m;", "DETACH DATABASE", 2, 1, statement: 1),
        // Pragmas: file and connection settings, the schema's bookkeeping, file paths.
        .init("PRAGMA journal_mode = WAL;", "PRAGMA journal_mode = WAL", 1, 1),
        .init("PRAGMA main.journal_mode = 'wal';", "PRAGMA journal_mode = wal", 1, 1),
        .init("PRAGMA writable_schema = ON;\nUPDATE sqlite_master SET sql = 'CREATE TABLE customers(x)' WHERE name = 'customers';",
              "PRAGMA writable_schema = ON", 1, 1),
        .init("PRAGMA schema_version = 1;", "PRAGMA schema_version = 1", 1, 1),
        .init("CREATE TABLE notes (id INTEGER PRIMARY KEY);\nPRAGMA foreign_keys = ON;", "PRAGMA foreign_keys = ON", 2, 1, statement: 1),
        .init("PRAGMA synchronous = OFF;", "PRAGMA synchronous = OFF", 1, 1),
        .init("PRAGMA locking_mode = EXCLUSIVE;", "PRAGMA locking_mode = EXCLUSIVE", 1, 1),
        .init("PRAGMA database_list;", "PRAGMA database_list", 1, 1),
        .init("PRAGMA cache_size = 100000;", "PRAGMA cache_size = 100000", 1, 1),
        .init("PRAGMA temp_store_directory = '/tmp';", "PRAGMA temp_store_directory = /tmp", 1, 1),
        .init("UPDATE customers SET name = 'x' WHERE id = 1;\nPRAGMA wal_checkpoint(TRUNCATE);", "PRAGMA wal_checkpoint = TRUNCATE", 2, 1,
              statement: 1),
        .init("SELECT * FROM pragma_database_list;", "PRAGMA database_list", 1, 15),
        // Functions and modules that reach outside the target; a copy written outside it.
        .init("SELECT load_extension('/tmp/evil.so');", "load_extension()", 1, 8),
        .init("SELECT 1;\nSELECT fts3_tokenizer('simple');", "fts3_tokenizer()", 2, 8, statement: 1),
        .init("CREATE VIRTUAL TABLE files USING fsdir;", "CREATE VIRTUAL TABLE … USING fsdir", 1, 34),
        .init("VACUUM INTO '{VACUUM}';", "VACUUM INTO", 1, 1),
        // The migration history and the fence, directly and indirectly.
        .init(forge + " " + forgedColumns + "\nVALUES ('MIGRATE', 'DONE', 'forged', 'x', '', '', 0, {FUTURE_TASK}, 'w', 'dev@example.com', 'now');",
              forge, 1, 13),
        .init("REPLACE INTO sluice_migration_history (id, type, status, statement, checksum, schemaBefore, schemaAfter, durationMs, appliedBy, appliedAt)"
              + " VALUES (1, 'MIGRATE', 'DONE', 'x', 'x', '', '', 0, 'dev', 'now');", forge, 1, 14),
        .init("UPDATE sluice_migration_history SET status = 'TAMPERED';", "UPDATE sluice_migration_history", 1, 8),
        .init("DELETE FROM sluice_migration_history;", "DELETE FROM sluice_migration_history", 1, 13),
        .init("Delete From \"SLUICE_MIGRATION_HISTORY\";", "DELETE FROM SLUICE_MIGRATION_HISTORY", 1, 13),
        .init("DROP TABLE sluice_migration_history;", "DROP TABLE sluice_migration_history", 1, 12),
        .init("ALTER TABLE sluice_migration_history ADD COLUMN note TEXT;", "ALTER TABLE sluice_migration_history", 1, 13),
        .init("WITH doomed AS (SELECT id FROM sluice_migration_history)\nDELETE FROM sluice_migration_history WHERE id IN (SELECT id FROM doomed);",
              "DELETE FROM sluice_migration_history", 2, 13),
        .init("CREATE TRIGGER forge AFTER INSERT ON customers BEGIN\n  DELETE FROM sluice_migration_history;\nEND;\nINSERT INTO customers (name) VALUES ('trigger');",
              "DELETE FROM sluice_migration_history", 2, 15),
        .init("CREATE TRIGGER bomb AFTER INSERT ON customers BEGIN DELETE FROM main.sluice_migration_history; END;",
              "DELETE FROM sluice_migration_history", 1, 70),
        // Triggers planted for later, never fired by the sheet: only the words show them.
        .init("CREATE TRIGGER bomb2 AFTER INSERT ON customers BEGIN DELETE FROM [sluice_migration_history]; END;",
              "DELETE FROM sluice_migration_history", 1, 66),
        .init("CREATE TRIGGER bomb3 AFTER INSERT ON customers BEGIN UPDATE OR REPLACE `sluice_migration_history` SET status = 'x'; END;",
              "UPDATE sluice_migration_history", 1, 72),
        .init("CREATE TRIGGER bomb4 AFTER INSERT ON customers BEGIN\n  DELETE /* the */ FROM -- history\n  sluice_migration_history;\nEND;",
              "DELETE FROM sluice_migration_history", 3, 3),
        .init("CREATE TRIGGER bomb5 AFTER DELETE ON customers BEGIN REPLACE INTO Sluice_Run_Fence VALUES ('w', 1, 'now'); END;",
              "INSERT INTO Sluice_Run_Fence", 1, 67),
        .init("CREATE VIEW hv AS SELECT * FROM sluice_migration_history;\nCREATE TRIGGER hv_del INSTEAD OF DELETE ON hv BEGIN DELETE FROM sluice_migration_history WHERE id = old.id; END;\nDELETE FROM hv;",
              "DELETE FROM sluice_migration_history", 2, 65, statement: 1),
        // A trigger a DBA left in the target (outside Sluice) that writes the history when fired.
        .init("SELECT 1;\nINSERT INTO audit_seed (note) VALUES ('fire');", "INSERT INTO sluice_migration_history (in trigger audit_forger)", 2, 1,
              statement: 1),
        .init("CREATE TRIGGER hide AFTER INSERT ON sluice_migration_history BEGIN SELECT 1; END;",
              "CREATE TRIGGER ON sluice_migration_history", 1, 37),
        .init("CREATE TEMP TRIGGER h BEFORE DELETE ON sluice_migration_history BEGIN SELECT RAISE(IGNORE); END;",
              "CREATE TEMP TRIGGER ON sluice_migration_history", 1, 40),
        .init("CREATE INDEX hist_by_status ON sluice_migration_history (status);", "CREATE INDEX ON sluice_migration_history", 1, 32),
        .init("ALTER TABLE customers RENAME TO sluice_migration_history;", "ALTER TABLE … RENAME TO sluice_migration_history", 1, 33),
        .init("CREATE TABLE sluice_shadow (x);", "CREATE TABLE sluice_shadow", 1, 14),
        .init("INSERT INTO sluice_run_fence (workspace, taskRunId, fencedAt) VALUES ('x', 1, 'now');", "INSERT INTO sluice_run_fence", 1, 13),
        .init("DELETE FROM sluice_run_fence;", "DELETE FROM sluice_run_fence", 1, 13),
        .init("DROP TABLE IF EXISTS main.sluice_run_fence;", "DROP TABLE sluice_run_fence", 1, 27),
        // The schema tables, written directly.
        .init("UPDATE sqlite_master SET sql = 'x' WHERE name = 'customers';", "UPDATE sqlite_master", 1, 8),
        .init("DELETE FROM sqlite_schema WHERE name = 'customers';", "DELETE FROM sqlite_schema", 1, 13),
        // Rebuilds that do not follow SQLite's form, or hide a forgery in it.
        .init("PRAGMA foreign_keys=OFF;\nBEGIN;\nDELETE FROM sluice_migration_history;\nCOMMIT;\nPRAGMA foreign_keys=ON;",
              "DELETE FROM sluice_migration_history", 3, 13, statement: 2),
        .init("PRAGMA foreign_keys=OFF;\nBEGIN;\nCREATE TABLE a(x);\nCOMMIT;\nPRAGMA foreign_keys=ON;\nDELETE FROM customers;",
              "PRAGMA foreign_keys = OFF", 1, 1),
    ]

    static let rebuildOrders = """
        PRAGMA foreign_keys=OFF;
        BEGIN;
        CREATE TABLE new_orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), total INTEGER NOT NULL CHECK (total >= 0), note TEXT);
        INSERT INTO new_orders SELECT id, customer_id, total, note FROM orders;
        DROP TABLE orders;
        ALTER TABLE new_orders RENAME TO orders;
        CREATE INDEX orders_by_customer ON orders (customer_id);
        PRAGMA foreign_key_check;
        COMMIT;
        PRAGMA foreign_keys=ON;
        """

    /// Drops customer 1, whom orders 1 and 2 still reference.
    static let danglingRebuild = """
        PRAGMA foreign_keys=OFF;
        BEGIN;
        CREATE TABLE new_customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);
        INSERT INTO new_customers SELECT id, name, email FROM customers WHERE id <> 1;
        DROP TABLE customers;
        ALTER TABLE new_customers RENAME TO customers;
        COMMIT;
        PRAGMA foreign_keys=ON;
        """

    static let legitimate: [LegitimateSQLiteSheet] = [
        .init("CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), total INTEGER NOT NULL);",
              check: "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'invoices'", 1),
        .init("CREATE INDEX customers_by_name ON customers (name);", check: "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name = 'customers_by_name'", 1),
        .init("CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;", check: "SELECT COUNT(*) FROM big_orders", 2),
        .init("CREATE TABLE audit (id INTEGER PRIMARY KEY, note TEXT);\nCREATE TRIGGER customers_audit AFTER UPDATE ON customers BEGIN\n  INSERT INTO audit (note) VALUES (new.name);\nEND;\nUPDATE customers SET name = name || '!' WHERE id = 1;",
              check: "SELECT COUNT(*) FROM audit WHERE note = 'Ada!'", 1),
        .init("ALTER TABLE customers ADD COLUMN tier INTEGER NOT NULL DEFAULT 0;", check: "SELECT COUNT(*) FROM pragma_table_info('customers') WHERE name = 'tier'", 1),
        .init("ALTER TABLE customers RENAME COLUMN name TO full_name;", check: "SELECT COUNT(*) FROM customers WHERE full_name = 'Grace'", 1),
        .init("ALTER TABLE orders DROP COLUMN note;", check: "SELECT COUNT(*) FROM pragma_table_info('orders') WHERE name = 'note'", 0),
        .init("ALTER TABLE orders RENAME TO purchases;", check: "SELECT COUNT(*) FROM purchases", 4),
        .init("CREATE TABLE archived_orders AS SELECT * FROM orders WHERE 0;\nINSERT INTO archived_orders SELECT * FROM orders WHERE total < 50;",
              check: "SELECT COUNT(*) FROM archived_orders", 2),
        .init("UPDATE customers SET name = upper(name);", check: "SELECT COUNT(*) FROM customers WHERE name = 'LINUS'", 1),
        .init("DELETE FROM orders WHERE total < 20;", check: "SELECT COUNT(*) FROM orders", 3),
        .init("PRAGMA user_version = 7;", check: "PRAGMA user_version", 7),
        .init("CREATE TABLE invoices (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders(id));\nPRAGMA foreign_key_check;\nPRAGMA table_info(orders);\nPRAGMA integrity_check;",
              check: "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'invoices'", 1),
        .init("CREATE VIRTUAL TABLE customer_search USING fts5(name, email);\nINSERT INTO customer_search (name, email) SELECT name, email FROM customers;",
              check: "SELECT COUNT(*) FROM customer_search WHERE customer_search MATCH 'grace'", 1),
        .init("CREATE VIRTUAL TABLE notes_search USING fts4(body);", check: "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'notes_search'", 1),
        .init("INSERT INTO docs (body) VALUES ('second');", check: "SELECT COUNT(*) FROM docs", 2),
        .init("CREATE VIRTUAL TABLE boxes USING rtree(id, min_x, max_x);\nINSERT INTO boxes VALUES (1, 0, 10);", check: "SELECT COUNT(*) FROM boxes", 1),
        .init(rebuildOrders, check: "SELECT COUNT(*) FROM sqlite_schema WHERE sql LIKE '%CHECK (total >= 0)%'", 1),
        .init("PRAGMA foreign_keys = OFF;\nCREATE TABLE new_customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT UNIQUE);\nINSERT INTO new_customers SELECT id, name, email FROM customers;\nDROP TABLE customers;\nALTER TABLE new_customers RENAME TO customers;\nPRAGMA foreign_keys = ON;",
              check: "SELECT COUNT(*) FROM customers", 3),
        .init("PRAGMA defer_foreign_keys = ON;\nDELETE FROM orders WHERE customer_id = 3;\nDELETE FROM customers WHERE id = 3;",
              check: "SELECT COUNT(*) FROM customers", 2),
        .init("CREATE TABLE scratch (a);\nDROP TABLE scratch;\nANALYZE;\nPRAGMA optimize;", check: "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'scratch'", 0),
    ]
}
