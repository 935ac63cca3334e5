import Testing
@testable import SluiceSQL

@Suite struct SQLClassifierTests {
    private func summary(_ sql: String, _ dialect: SQLDialect, schema: String? = nil) throws -> [String] {
        try SQLClassifier.classify(sql, dialect: dialect, schema: schema).map { c in
            "\(c.type) \(c.category.rawValue) [\(c.tables.joined(separator: ","))]\(c.transactional ? "" : " NOTX")"
        }
    }

    @Test func postgresTypesTablesAndTransactionsComeFromTheParseTree() throws {
        let sql = """
            CREATE TABLE app.orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers(id));
            ALTER TABLE orders ADD COLUMN note text;
            CREATE INDEX CONCURRENTLY idx_orders_note ON orders (note);
            CREATE INDEX idx_orders_c ON orders (customer_id);
            DROP TABLE old_orders, app.older;
            INSERT INTO orders (id) SELECT id FROM staging WHERE id > 0;
            WITH recent AS (SELECT id FROM orders) UPDATE customers SET seen = true WHERE id IN (SELECT id FROM recent);
            DELETE FROM orders WHERE id = 1;
            SELECT count(*) FROM orders o JOIN customers c ON c.id = o.customer_id;
            SET lock_timeout = '2s';
            VACUUM orders;
            ALTER TYPE mood ADD VALUE 'meh';
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;
            BEGIN;
            TRUNCATE audit;
            COMMENT ON TABLE orders IS 'x';
            ALTER TABLE orders RENAME TO orders_v2;
            DO $$ BEGIN PERFORM 1; END $$;
            """
        let result = try summary(sql, .postgres)
        #expect(result == [
            "CREATE_TABLE DDL [app.orders,customers]",
            "ALTER_TABLE DDL [orders]",
            "CREATE_INDEX DDL [orders] NOTX",
            "CREATE_INDEX DDL [orders]",
            "DROP_TABLE DDL [old_orders,app.older]",
            "INSERT DML [orders,staging]",
            "UPDATE DML [orders,customers]",
            "DELETE DML [orders]",
            "SELECT DML [orders,customers]",
            "SET OTHER []",
            "VACUUM OTHER [orders] NOTX",
            "ALTER_TYPE DDL [] NOTX",
            "CREATE_FUNCTION DDL []",
            "BEGIN OTHER [] NOTX",
            "TRUNCATE DML [audit]",
            "COMMENT DDL []",
            "RENAME_TABLE DDL [orders]",
            "DO OTHER []",
        ])
    }

    @Test func postgresSyntaxErrorsFallBackToKeywordsWithANote() throws {
        let classified = try SQLClassifier.classify("CREATE TABLE t (id int,);", dialect: .postgres)
        #expect(classified.first?.type == "CREATE_TABLE")
        #expect(classified.first?.note?.contains("cannot parse") == true)
    }

    @Test func sqliteTypesAndTablesComeFromTheAuthorizer() throws {
        let sql = """
            CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
            CREATE TABLE "order items" (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id));
            CREATE INDEX idx_items ON "order items"(customer_id);
            INSERT INTO "order items" (customer_id) SELECT id FROM customers;
            INSERT INTO customers (id, name) VALUES (1, 'a') ON CONFLICT(id) DO UPDATE SET name = excluded.name;
            UPDATE customers SET name = 'x' WHERE id IN (SELECT customer_id FROM "order items");
            DELETE FROM customers WHERE id = 2;
            ALTER TABLE customers ADD COLUMN email TEXT;
            CREATE TRIGGER tr AFTER INSERT ON customers BEGIN DELETE FROM "order items"; END;
            SELECT email FROM customers;
            PRAGMA foreign_keys = ON;
            VACUUM;
            DROP INDEX idx_items;
            DROP TABLE "order items";
            BEGIN;
            """
        let result = try summary(sql, .sqlite)
        #expect(result == [
            "CREATE_TABLE DDL [customers]",
            "CREATE_TABLE DDL [order items]",
            "CREATE_INDEX DDL [order items]",
            "INSERT DML [order items,customers]",
            "INSERT DML [customers]",
            "UPDATE DML [customers,order items]",
            "DELETE DML [customers]",
            "ALTER_TABLE DDL [customers]",
            "CREATE_TRIGGER DDL [customers]",
            "SELECT DML [customers]",
            "PRAGMA OTHER []",
            "VACUUM OTHER [] NOTX",
            "DROP_INDEX DDL [order items]",
            "DROP_TABLE DDL [order items]",
            "BEGIN OTHER [] NOTX",
        ])
    }

    @Test func sqlitePreparesAgainstTheTargetsSchema() throws {
        let schema = "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER);"
        let classified = try SQLClassifier.classify("UPDATE accounts SET balance = 0 WHERE id = 1;", dialect: .sqlite, schema: schema)
        #expect(classified.first?.type == "UPDATE")
        #expect(classified.first?.tables == ["accounts"])
        #expect(classified.first?.note == nil)
    }

    @Test func sqliteTablesMissingFromTheSchemaAreStoodInFor() throws {
        let classified = try SQLClassifier.classify(
            "UPDATE accounts SET balance = 0 WHERE owner = 'x' AND accounts.region = 'eu';\nINSERT INTO log (a, b) VALUES (1, 2);\nCREATE TABLE log (a, b, c);",
            dialect: .sqlite)
        #expect(classified.map(\.type) == ["UPDATE", "INSERT", "CREATE_TABLE"])
        #expect(classified.map(\.tables) == [["accounts"], ["log"], ["log"]])
        #expect(classified[0].note?.contains("not in the schema: accounts") == true)
        #expect(classified[2].note == nil)
    }

    @Test func mixedDDLAndDMLIsDetected() throws {
        for dialect in SQLDialect.allCases {
            let mixed = try SQLClassifier.classify("CREATE TABLE t (id int); INSERT INTO t VALUES (1);", dialect: dialect)
            #expect(mixed.mixesDDLAndDML)
            let ddlAndSelect = try SQLClassifier.classify("CREATE TABLE t (id int); SELECT * FROM t;", dialect: dialect)
            #expect(!ddlAndSelect.mixesDDLAndDML)
            #expect(ddlAndSelect.tables == ["t"])
        }
    }

    @Test(arguments: Script.postgres)
    func everyPostgresFixtureStatementIsClassifiedFromItsTree(_ script: Script) throws {
        let classified = try SQLClassifier.classify(script.text, dialect: .postgres)
        #expect(classified.count == (try StatementSplitter.split(script.text, dialect: .postgres)).count)
        #expect(classified.allSatisfy { $0.note == nil && $0.type != "UNKNOWN" })
    }

    @Test(arguments: Script.sqlite)
    func everySQLiteFixtureStatementPreparesInOrder(_ script: Script) throws {
        let classified = try SQLClassifier.classify(script.text, dialect: .sqlite)
        #expect(classified.allSatisfy { $0.note == nil }, "\(classified.compactMap(\.note))")
    }
}
