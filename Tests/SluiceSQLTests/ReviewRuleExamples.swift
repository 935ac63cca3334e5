@testable import SluiceSQL

/// A bad and a good example for one review rule in one dialect.
struct RuleExample: Sendable, CustomStringConvertible {
    var rule: String
    var dialect: SQLDialect
    var bad: String
    var good: String
    var parameters: [String: ReviewParameter] = [:]
    var affectedRows: [Int: Int64] = [:]
    var goodAffectedRows: [Int: Int64] = [:]

    var description: String { "\(rule) (\(dialect.rawValue))" }

    init(_ rule: String, _ dialect: SQLDialect, bad: String, good: String,
         parameters: [String: ReviewParameter] = [:], affectedRows: [Int: Int64] = [:], goodAffectedRows: [Int: Int64] = [:]) {
        self.rule = rule; self.dialect = dialect; self.bad = bad; self.good = good
        self.parameters = parameters; self.affectedRows = affectedRows; self.goodAffectedRows = goodAffectedRows
    }
}

extension RuleExample {
    static let all: [RuleExample] = [
        // Statement rules
        .init("statement.where.require.update-delete", .postgres, bad: "UPDATE t SET a = 1;", good: "UPDATE t SET a = 1 WHERE id = 2;"),
        .init("statement.where.require.update-delete", .sqlite, bad: "DELETE FROM t WHERE 1 IN (SELECT 1); DELETE FROM t;", good: "DELETE FROM t WHERE id = 2;"),
        .init("statement.where.require.select", .postgres, bad: "SELECT a FROM t;", good: "SELECT a FROM t WHERE id = 1;"),
        .init("statement.where.require.select", .sqlite, bad: "SELECT a FROM t;", good: "SELECT a FROM t WHERE id = 1;"),
        .init("statement.select.no-select-all", .postgres, bad: "SELECT * FROM t WHERE id = 1;", good: "SELECT a, b FROM t WHERE id = 1;"),
        .init("statement.disallow-commit", .postgres, bad: "BEGIN; UPDATE t SET a = 1 WHERE id = 1; COMMIT;", good: "UPDATE t SET a = 1 WHERE id = 1;"),
        .init("statement.disallow-commit", .sqlite, bad: "CREATE TABLE t (id INTEGER PRIMARY KEY); COMMIT;", good: "CREATE TABLE t (id INTEGER PRIMARY KEY);"),
        .init("statement.disallow-mix-in-ddl", .postgres, bad: "CREATE TABLE t (id int); INSERT INTO t (id) VALUES (1);", good: "CREATE TABLE t (id int); SELECT 1;"),
        .init("statement.disallow-mix-in-ddl", .sqlite, bad: "CREATE TABLE t (id INTEGER); INSERT INTO t (id) VALUES (1);", good: "INSERT INTO u (id) VALUES (1);"),
        .init("statement.non-transactional", .postgres, bad: "CREATE INDEX CONCURRENTLY i ON t (a);", good: "CREATE INDEX i ON t (a);"),
        .init("statement.non-transactional", .sqlite, bad: "VACUUM;", good: "ANALYZE;"),
        .init("statement.affected-row-limit", .postgres, bad: "UPDATE t SET a = 1 WHERE b > 0;", good: "UPDATE t SET a = 1 WHERE b > 0; UPDATE t SET a = 2 WHERE b = 0;",
              parameters: ["maxRows": .int(100)], affectedRows: [0: 5000], goodAffectedRows: [0: 100, 1: 0]),
        .init("statement.affected-row-limit", .sqlite, bad: "DELETE FROM t WHERE b > 0;", good: "DELETE FROM t WHERE id = 1;", affectedRows: [0: 1001], goodAffectedRows: [0: 1]),
        .init("statement.insert.must-specify-column", .postgres, bad: "INSERT INTO t VALUES (1, 2);", good: "INSERT INTO t (a, b) VALUES (1, 2);"),
        .init("statement.insert.must-specify-column", .sqlite, bad: "INSERT INTO main.t VALUES (1, 2);", good: "INSERT INTO main.\"t\" (a, b) VALUES (1, 2);"),
        .init("statement.disallow-cascade", .postgres, bad: "DROP TABLE t CASCADE;", good: "DROP TABLE t;"),
        .init("statement.disallow-on-del-cascade", .postgres, bad: "CREATE TABLE c (id int PRIMARY KEY, p int REFERENCES p (id) ON DELETE CASCADE);",
              good: "CREATE TABLE c (id int PRIMARY KEY, p int REFERENCES p (id) ON DELETE RESTRICT);"),
        .init("statement.disallow-on-del-cascade", .sqlite, bad: "CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p (id) ON DELETE CASCADE);",
              good: "CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p (id));"),
        .init("statement.merge-alter-table", .postgres, bad: "ALTER TABLE t ADD COLUMN a int; ALTER TABLE t ADD COLUMN b int;",
              good: "ALTER TABLE t ADD COLUMN a int, ADD COLUMN b int; ALTER TABLE u ADD COLUMN b int;"),
        .init("statement.disallow-truncate", .postgres, bad: "TRUNCATE t;", good: "DELETE FROM t WHERE id = 1;"),
        .init("statement.create-specify-schema", .postgres, bad: "CREATE TABLE t (id int);", good: "CREATE TABLE public.t (id int);"),
        .init("statement.disallow-drop-database", .postgres, bad: "DROP DATABASE app;", good: "DROP TABLE t;"),
        .init("statement.where.no-leading-wildcard-like", .postgres, bad: "SELECT a FROM t WHERE name LIKE '%son';", good: "SELECT a FROM t WHERE name LIKE 'son%';"),
        // ALTER TABLE rules
        .init("statement.disallow-add-column-with-default", .postgres, bad: "ALTER TABLE t ADD COLUMN a int DEFAULT 0;",
              good: "ALTER TABLE t ADD COLUMN a int; CREATE TABLE n (id int); ALTER TABLE n ADD COLUMN b int DEFAULT 0;"),
        .init("statement.add-check-not-valid", .postgres, bad: "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);", good: "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;"),
        .init("statement.add-foreign-key-not-valid", .postgres, bad: "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (p) REFERENCES p (id);",
              good: "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (p) REFERENCES p (id) NOT VALID;"),
        .init("statement.disallow-add-not-null", .postgres, bad: "ALTER TABLE t ALTER COLUMN a SET NOT NULL;", good: "ALTER TABLE t ADD COLUMN a int NOT NULL DEFAULT 0;"),
        .init("column.disallow-change-type", .postgres, bad: "ALTER TABLE t ALTER COLUMN a TYPE bigint;", good: "ALTER TABLE t ADD COLUMN b bigint;"),
        .init("constraint.add-unique-using-index", .postgres, bad: "ALTER TABLE t ADD CONSTRAINT u UNIQUE (a);", good: "ALTER TABLE t ADD CONSTRAINT u UNIQUE USING INDEX idx_t_a;"),
        .init("constraint.add-primary-key-using-index", .postgres, bad: "ALTER TABLE t ADD PRIMARY KEY (id);", good: "ALTER TABLE t ADD CONSTRAINT pk PRIMARY KEY USING INDEX idx_t_id;"),
        .init("schema.backward-compatibility", .postgres, bad: "ALTER TABLE t DROP COLUMN a;", good: "ALTER TABLE t ADD COLUMN a int;"),
        .init("schema.backward-compatibility", .sqlite, bad: "ALTER TABLE t RENAME COLUMN a TO b;", good: "ALTER TABLE t ADD COLUMN c TEXT;"),
        // Lock-aware rules
        .init("index.create-concurrently", .postgres, bad: "CREATE INDEX idx_t_a ON t (a);",
              good: "CREATE INDEX CONCURRENTLY idx_t_a ON t (a); CREATE TABLE n (a int); CREATE INDEX idx_n_a ON n (a);"),
        .init("index.drop-concurrently", .postgres, bad: "DROP INDEX idx_t_a;", good: "DROP INDEX CONCURRENTLY idx_t_a;"),
        .init("lock.require-lock-timeout", .postgres, bad: "ALTER TABLE t ADD COLUMN a int;", good: "SET LOCAL lock_timeout = '2s'; ALTER TABLE t ADD COLUMN a int;"),
        .init("lock.blocking-ddl", .postgres, bad: "ALTER TABLE t RENAME COLUMN a TO b;", good: "ALTER TABLE t VALIDATE CONSTRAINT c;"),
        .init("column.type-change-rewrites-table", .postgres, bad: "ALTER TABLE t ALTER COLUMN a TYPE bigint;", good: "ALTER TABLE t ALTER COLUMN a TYPE text;"),
        // Table rules
        .init("table.require-pk", .postgres, bad: "CREATE TABLE t (a int);", good: "CREATE TABLE t (a int, PRIMARY KEY (a));"),
        .init("table.require-pk", .sqlite, bad: "CREATE TABLE t (a INTEGER);", good: "CREATE TABLE t (a INTEGER PRIMARY KEY);"),
        .init("table.no-foreign-key", .postgres, bad: "CREATE TABLE c (id int, p int REFERENCES p (id));", good: "CREATE TABLE c (id int, p int);"),
        .init("table.no-foreign-key", .sqlite, bad: "CREATE TABLE c (id INTEGER, p INTEGER REFERENCES p (id));", good: "CREATE TABLE c (id INTEGER, p INTEGER);"),
        .init("table.drop-naming-convention", .postgres, bad: "DROP TABLE orders;", good: "DROP TABLE orders_del;"),
        .init("table.drop-naming-convention", .sqlite, bad: "DROP TABLE orders;", good: "DROP TABLE orders_del;"),
        .init("table.comment", .postgres, bad: "CREATE TABLE t (id int);", good: "CREATE TABLE t (id int); COMMENT ON TABLE t IS 'things';"),
        .init("table.disallow-partition", .postgres, bad: "CREATE TABLE t (id int, at date) PARTITION BY RANGE (at);", good: "CREATE TABLE t (id int, at date);"),
        // Column rules
        .init("column.no-null", .postgres, bad: "CREATE TABLE t (id int PRIMARY KEY, a text);", good: "CREATE TABLE t (id int PRIMARY KEY, a text NOT NULL);"),
        .init("column.no-null", .sqlite, bad: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);", good: "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL);"),
        .init("column.require-default", .postgres, bad: "CREATE TABLE t (id int PRIMARY KEY, a text);", good: "CREATE TABLE t (id int PRIMARY KEY, a text DEFAULT '');"),
        .init("column.type-disallow-list", .postgres, bad: "CREATE TABLE t (id int PRIMARY KEY, price money);", good: "CREATE TABLE t (id int PRIMARY KEY, price numeric(12,2));"),
        .init("column.type-disallow-list", .sqlite, bad: "CREATE TABLE t (id INTEGER PRIMARY KEY, doc JSON);", good: "CREATE TABLE t (id INTEGER PRIMARY KEY, doc TEXT);",
              parameters: ["types": .list(["json"])]),
        .init("column.maximum-varchar-length", .postgres, bad: "CREATE TABLE t (a varchar(5000));", good: "CREATE TABLE t (a varchar(100));"),
        .init("column.required", .postgres, bad: "CREATE TABLE t (a int);", good: "CREATE TABLE t (id int, a int);"),
        .init("column.required", .sqlite, bad: "CREATE TABLE t (a INTEGER, created_at TEXT);", good: "CREATE TABLE t (id INTEGER, created_at TEXT);",
              parameters: ["columns": .list(["id", "created_at"])]),
        .init("column.comment", .postgres, bad: "CREATE TABLE t (a int);", good: "CREATE TABLE t (a int); COMMENT ON COLUMN t.a IS 'the a';"),
        .init("column.prefer-text-over-varchar", .postgres, bad: "CREATE TABLE t (a varchar(20));", good: "CREATE TABLE t (a text);"),
        .init("column.prefer-bigint", .postgres, bad: "CREATE TABLE t (id serial);", good: "CREATE TABLE t (id bigint);"),
        .init("column.prefer-timestamptz", .postgres, bad: "CREATE TABLE t (at timestamp);", good: "CREATE TABLE t (at timestamptz);"),
        .init("column.prefer-identity", .postgres, bad: "CREATE TABLE t (id bigserial);", good: "CREATE TABLE t (id bigint GENERATED ALWAYS AS IDENTITY);"),
        // Naming rules
        .init("naming.table", .postgres, bad: "CREATE TABLE \"OrderItems\" (id int);", good: "CREATE TABLE order_items (id int);"),
        .init("naming.table", .sqlite, bad: "CREATE TABLE [Order Items] (id INTEGER);", good: "CREATE TABLE order_items (id INTEGER);"),
        .init("naming.column", .postgres, bad: "ALTER TABLE t RENAME COLUMN a TO \"camelCase\";", good: "ALTER TABLE t RENAME COLUMN a TO snake_case;"),
        .init("naming.column", .sqlite, bad: "CREATE TABLE t (id INTEGER, \"FirstName\" TEXT);", good: "CREATE TABLE t (id INTEGER, first_name TEXT);"),
        .init("naming.index.idx", .postgres, bad: "CREATE INDEX orders_by_customer ON orders (customer_id);", good: "CREATE INDEX idx_orders_customer ON orders (customer_id);"),
        .init("naming.index.idx", .sqlite, bad: "CREATE INDEX \"by customer\" ON orders (customer_id);", good: "CREATE INDEX IF NOT EXISTS idx_orders_customer ON orders (customer_id);"),
        .init("naming.index.uk", .postgres, bad: "ALTER TABLE orders ADD CONSTRAINT orders_code UNIQUE (code);", good: "CREATE UNIQUE INDEX uk_orders_code ON orders (code);"),
        .init("naming.index.uk", .sqlite, bad: "CREATE UNIQUE INDEX orders_code ON orders (code);", good: "CREATE UNIQUE INDEX uk_orders_code ON orders (code);"),
        .init("naming.index.fk", .postgres, bad: "ALTER TABLE orders ADD CONSTRAINT orders_customer FOREIGN KEY (c) REFERENCES customers (id) NOT VALID;",
              good: "ALTER TABLE orders ADD CONSTRAINT fk_orders_customers FOREIGN KEY (c) REFERENCES customers (id) NOT VALID;"),
        .init("naming.index.pk", .postgres, bad: "CREATE TABLE t (id int, CONSTRAINT t_key PRIMARY KEY (id));", good: "CREATE TABLE t (id int, CONSTRAINT pk_t PRIMARY KEY (id));"),
        // Index rules
        .init("index.no-duplicate-column", .postgres, bad: "CREATE INDEX CONCURRENTLY i ON t (a, b, a);", good: "CREATE INDEX CONCURRENTLY i ON t (a, b);"),
        .init("index.key-number-limit", .postgres, bad: "CREATE TABLE t (a int, b int, c int, UNIQUE (a, b, c));", good: "CREATE TABLE t (a int, b int, c int, UNIQUE (a, b));",
              parameters: ["max": .int(2)]),
    ]
}
