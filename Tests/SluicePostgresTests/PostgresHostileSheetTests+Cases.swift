import Testing

/// A hostile PostgreSQL sheet, as a developer would write it, and the one refusal it must draw.
/// `{OTHERDB}` stands for another database of the instance, `{FILE}` for a server file that must
/// never appear, `{FUTURE_TASK}` for the id of a task that does not exist yet; none stands before
/// the refused construct on its line.
struct HostilePostgresSheet: Sendable, CustomTestStringConvertible {
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

/// A legitimate PostgreSQL migration and a query on the target that returns `expected` once it ran.
struct LegitimatePostgresSheet: Sendable, CustomTestStringConvertible {
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

extension PostgresHostileSheetTests {
    static let history = "sluice_migration_history"
    static let forgedColumns = "(type, status, statement, checksum, schema_before, schema_after, duration_ms, task_id, workspace, applied_by, applied_at)"

    static let hostile: [HostilePostgresSheet] = [
        // Transaction control.
        .init("COMMIT;\nINSERT INTO customers (name) VALUES ('mallory');\nBEGIN;", "COMMIT", 1, 1),
        .init("CREATE TABLE invoices (id int);\nINSERT INTO invoices VALUES (1);\nCOMMIT;", "COMMIT", 3, 1, statement: 2),
        .init("BEGIN;", "BEGIN", 1, 1),
        .init("UPDATE customers SET name = 'x';\nROLLBACK;", "ROLLBACK", 2, 1, statement: 1),
        .init("END;", "END", 1, 1),
        .init("/* x */ CoMmIt;", "COMMIT", 1, 9),
        .init("-- c\nCOMMIT;", "COMMIT", 2, 1),
        .init("INSERT INTO customers (name) VALUES ('a;b'); COMMIT;", "COMMIT", 1, 46, statement: 1),
        .init("SAVEPOINT s1;\nDELETE FROM customers;", "SAVEPOINT", 1, 1),
        .init("DELETE FROM customers;\nROLLBACK TO SAVEPOINT s1;", "ROLLBACK TO SAVEPOINT", 2, 1, statement: 1),
        .init("PREPARE TRANSACTION 'sluice_hostile';", "PREPARE TRANSACTION", 1, 1),
        // Session state that outlives the task.
        .init("SET search_path = evil, public;", "SET search_path", 1, 1),
        .init("SET SESSION statement_timeout = 0;", "SET statement_timeout", 1, 1),
        .init("RESET ALL;", "RESET ALL", 1, 1),
        .init("SET ROLE postgres;", "SET ROLE", 1, 1),
        .init("SET LOCAL ROLE postgres;", "SET LOCAL ROLE", 1, 1),
        .init("SET SESSION AUTHORIZATION postgres;", "SET SESSION AUTHORIZATION", 1, 1),
        .init("SELECT set_config('search_path', 'evil', false);", "set_config(…, false)", 1, 8),
        .init("LISTEN jobs;", "LISTEN", 1, 1),
        .init("PREPARE wipe AS DELETE FROM customers;", "PREPARE", 1, 1),
        .init("DECLARE c CURSOR WITH HOLD FOR SELECT * FROM customers;", "DECLARE … CURSOR WITH HOLD", 1, 1),
        .init("DISCARD ALL;", "DISCARD ALL", 1, 1),
        .init("LOAD 'auto_explain';", "LOAD", 1, 1),
        .init("SELECT pg_advisory_lock(42);", "pg_advisory_lock()", 1, 8),
        // The instance and other databases.
        .init("ALTER SYSTEM SET work_mem = '1GB';", "ALTER SYSTEM", 1, 1),
        .init("ALTER DATABASE {OTHERDB} SET search_path = hidden;", "ALTER DATABASE … SET", 1, 1),
        .init("ALTER DATABASE {OTHERDB} WITH CONNECTION LIMIT 0;", "ALTER DATABASE", 1, 1),
        .init("CREATE DATABASE hostile_copy;", "CREATE DATABASE", 1, 1),
        .init("DROP DATABASE {OTHERDB};", "DROP DATABASE", 1, 1),
        .init("CREATE ROLE intruder LOGIN SUPERUSER PASSWORD 'hunter2';", "CREATE ROLE", 1, 1),
        .init("CREATE USER intruder2;", "CREATE USER", 1, 1),
        .init("GRANT pg_execute_server_program TO PUBLIC;", "GRANT role membership", 1, 1),
        .init("ALTER ROLE postgres SET application_name = 'owned';", "ALTER ROLE … SET", 1, 1),
        .init("CREATE EVENT TRIGGER watch ON ddl_command_start EXECUTE FUNCTION spy();", "CREATE EVENT TRIGGER", 1, 1),
        .init("CREATE EXTENSION dblink;", "CREATE EXTENSION dblink", 1, 1),
        .init("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'nobody';", "pg_terminate_backend()", 1, 8),
        .init("SELECT pg_reload_conf();", "pg_reload_conf()", 1, 8),
        // Files and programs.
        .init("COPY customers TO '{FILE}';", "COPY … TO file", 1, 1),
        .init("COPY customers (name) FROM '/etc/hostname';", "COPY … FROM file", 1, 1),
        .init("COPY customers TO PROGRAM 'touch {FILE}';", "COPY … TO PROGRAM", 1, 1),
        .init("COPY customers (name) FROM PROGRAM 'echo owned';", "COPY … FROM PROGRAM", 1, 1),
        .init("SELECT pg_read_file('/etc/passwd');", "pg_read_file()", 1, 8),
        .init("UPDATE customers SET name = 'x'\n WHERE id = (SELECT length(pg_read_file('postgresql.conf')));", "pg_read_file()", 2, 28),
        .init("SELECT * FROM pg_ls_dir('.');", "pg_ls_dir()", 1, 15),
        .init("SELECT lo_import('/etc/hostname');", "lo_import()", 1, 8),
        .init("SELECT * FROM dblink('dbname={OTHERDB}', 'DELETE FROM customers') AS t(x text);", "dblink()", 1, 15),
        .init("CREATE FUNCTION evil() RETURNS int LANGUAGE c AS '/tmp/evil.so', 'evil';", "CREATE FUNCTION … LANGUAGE c", 1, 1),
        .init("DO LANGUAGE plpython3u $$ import os $$;", "DO … LANGUAGE plpython3u", 1, 1),
        // The migration history and the fence.
        .init("DELETE FROM \(history);", "DELETE FROM \(history)", 1, 13),
        .init("INSERT INTO \(history) \(forgedColumns)\nVALUES ('MIGRATE', 'DONE', 'forged', 'x', '', '', 0, {FUTURE_TASK}, 'w', 'dev@example.com', 'now');",
              "INSERT INTO \(history)", 1, 13),
        .init("UPDATE public.\(history) SET status = 'DONE';", "UPDATE \(history)", 1, 8),
        .init("WITH gone AS (DELETE FROM \(history) RETURNING 1) SELECT count(*) FROM gone;", "DELETE FROM \(history)", 1, 27),
        .init("TRUNCATE \(history);", "TRUNCATE \(history)", 1, 10),
        .init("DROP TABLE \(history);", "DROP TABLE … \(history)", 1, 1),
        .init("ALTER TABLE \(history) ADD COLUMN note text;", "ALTER TABLE … \(history)", 1, 13),
        .init("ALTER TABLE \(history) DISABLE TRIGGER ALL;", "ALTER TABLE … \(history)", 1, 13),
        .init("CREATE TRIGGER hide BEFORE INSERT ON \(history) FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();",
              "CREATE TRIGGER … \(history)", 1, 38),
        .init("CREATE POLICY hide ON \(history) USING (false);", "CREATE POLICY … \(history)", 1, 23),
        .init("CREATE RULE r AS ON INSERT TO customers DO ALSO DELETE FROM \(history);", "DELETE FROM \(history)", 1, 61),
        .init("CREATE FUNCTION wipe() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM \(history); END;", "DELETE FROM \(history)", 1, 75),
        .init("EXPLAIN ANALYZE DELETE FROM \(history);", "DELETE FROM \(history)", 1, 29),
        .init("ALTER TABLE customers RENAME TO \(history);", "ALTER TABLE … RENAME TO \(history)", 1, 1),
        .init("ALTER TABLE customers ADD CONSTRAINT pin FOREIGN KEY (id) REFERENCES \(history) (id);", "ALTER TABLE … \(history)", 1, 70),
        .init("GRANT DELETE ON \(history) TO PUBLIC;", "GRANT … ON … \(history)", 1, 17),
        .init("LOCK TABLE \(history) IN ACCESS EXCLUSIVE MODE;", "LOCK TABLE \(history)", 1, 12),
        .init("SELECT setval('public.\(history)_id_seq'::regclass, 1);", "setval() of a sluice_ sequence", 1, 8),
        .init("CREATE TABLE t (id int);\n\n    DELETE FROM \(history) WHERE true;\n", "DELETE FROM \(history)", 3, 17, statement: 1),
        .init("INSERT INTO sluice_run_fence VALUES ('x', 1, 'now');", "INSERT INTO sluice_run_fence", 1, 13),
        .init("DELETE FROM sluice_run_fence;", "DELETE FROM sluice_run_fence", 1, 13),
        .init("DROP SCHEMA public CASCADE;", "DROP SCHEMA public", 1, 1),
    ]

    /// Sheets the static policy cannot read (the SQL is built at run time); the executor's
    /// fingerprint of Sluice's tables must catch each and fail the task.
    static let dynamic: [String] = [
        "DO $$ BEGIN EXECUTE 'DELETE FROM sluice_' || 'migration_history'; END $$;",
        "DO $$ BEGIN EXECUTE 'INSERT INTO sluice_' || 'migration_history \(forgedColumns) VALUES (''MIGRATE'', ''DONE'', ''forged'', ''x'', '''', '''', 0, 999999, ''w'', ''dev'', ''now'')'; END $$;",
        "CREATE FUNCTION swallow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;\nDO $$ BEGIN EXECUTE 'CREATE TRIGGER hide BEFORE INSERT ON sluice_' || 'migration_history FOR EACH ROW EXECUTE FUNCTION swallow()'; END $$;",
        "CREATE FUNCTION swallow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;\nDO $$ BEGIN\n  EXECUTE 'CREATE TRIGGER hide BEFORE INSERT ON sluice_' || 'migration_history FOR EACH ROW EXECUTE FUNCTION swallow()';\n  EXECUTE 'ALTER TABLE sluice_' || 'migration_history DISABLE TRIGGER hide';\nEND $$;",
        "DO $$ BEGIN EXECUTE 'ALTER TABLE sluice_' || 'migration_history ENABLE ROW LEVEL SECURITY'; END $$;",
        "DO $$ BEGIN EXECUTE 'TRUNCATE sluice_' || 'migration_history'; END $$;",
        "DO $$ BEGIN EXECUTE 'INSERT INTO sluice_' || 'run_fence VALUES (''w'', 1, ''now'')'; END $$;",
        "CREATE FUNCTION wipe() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM sluice_migration_history WHERE id > 0; END $$;\nSELECT wipe();",
        "DO $$ BEGIN EXECUTE 'ALTER TABLE sluice_' || 'migration_history ALTER COLUMN status SET DEFAULT ''DONE'''; END $$;",
        "DO $$ BEGIN EXECUTE format('UPDATE %I SET status = %L', 'sluice_migration_history', 'TAMPERED'); END $$;",
        // Columns the fingerprint does not cover: only the seal tells these rows were rewritten.
        "DO $$ BEGIN EXECUTE 'UPDATE sluice_' || 'migration_history SET applied_by = ''someone else'''; END $$;",
        "DO $$ BEGIN EXECUTE 'UPDATE sluice_' || 'migration_history SET statement = ''SELECT 1;'', schema_after = '''''; END $$;",
    ]

    static let legitimate: [LegitimatePostgresSheet] = [
        .init("CREATE INDEX CONCURRENTLY customers_by_name ON customers (name);",
              check: "SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'customers_by_name' AND i.indisvalid", 1),
        .init("SET LOCAL lock_timeout = '5s';\nALTER TABLE customers ADD COLUMN email text;",
              check: "SELECT count(*) FROM information_schema.columns WHERE table_name = 'customers' AND column_name = 'email'", 1),
        .init("DO $$ BEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'settings') THEN\n    CREATE TABLE settings (k text PRIMARY KEY, v text);\n  END IF;\nEND $$;",
              check: "SELECT count(*) FROM pg_class WHERE relname = 'settings'", 1),
        .init("CREATE FUNCTION shout() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.name := upper(NEW.name); RETURN NEW; END $$;\nCREATE TRIGGER customers_shout BEFORE INSERT OR UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION shout();\nUPDATE customers SET name = name;",
              check: "SELECT count(*) FROM customers WHERE name = 'GRACE'", 1),
        .init("ALTER TABLE customers ADD COLUMN tier int NOT NULL DEFAULT 0;\nALTER TABLE customers RENAME COLUMN tier TO level;\nALTER TABLE customers ALTER COLUMN level SET DEFAULT 1;",
              check: "SELECT count(*) FROM customers WHERE level = 0", 3),
        .init("CREATE TABLE archived (LIKE customers INCLUDING ALL);\nINSERT INTO archived SELECT * FROM customers WHERE id <= 2;",
              check: "SELECT count(*) FROM archived", 2),
        .init("GRANT SELECT ON customers TO pg_monitor;",
              check: "SELECT count(*) FROM information_schema.role_table_grants WHERE table_name = 'customers' AND grantee = 'pg_monitor'", 1),
        .init("UPDATE customers SET name = name || '!' WHERE id = 1;\nDELETE FROM customers WHERE id = 3;",
              check: "SELECT count(*) FROM customers WHERE name LIKE '%!'", 1),
        .init("CREATE VIEW customer_names AS SELECT name FROM customers;\nCREATE MATERIALIZED VIEW customer_count AS SELECT count(*) AS n FROM customers;",
              check: "SELECT n::int FROM customer_count", 3),
        .init("CREATE TYPE mood AS ENUM ('sad', 'ok');\nALTER TABLE customers ADD COLUMN mood mood;\nUPDATE customers SET mood = 'ok';",
              check: "SELECT count(*) FROM customers WHERE mood = 'ok'", 3),
        .init("SELECT set_config('app.tenant', 'acme', true);\nCREATE SEQUENCE invoice_numbers START 1000;",
              check: "SELECT count(*) FROM pg_class WHERE relname = 'invoice_numbers' AND relkind = 'S'", 1),
        .init("CREATE TABLE history_copy AS SELECT id, status FROM sluice_migration_history;",
              check: "SELECT count(*) FROM history_copy", 1),
    ]
}
