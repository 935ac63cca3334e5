import GRDB

extension Metastore {
    /// PostgreSQL instance settings: timeouts and the sealed password (see PostgresSecrets).
    static func registerPostgresMigrations(_ m: inout DatabaseMigrator) {
        m.registerMigration("postgres-1-instance-settings") { db in
            try db.execute(sql: """
                CREATE TABLE postgresInstance (
                    instance TEXT PRIMARY KEY REFERENCES instance(name) ON DELETE CASCADE,
                    lockTimeoutMs INTEGER,
                    statementTimeoutMs INTEGER,
                    sealedPassword TEXT
                )
                """)
        }
        // The login role plan checks connect as: unapproved SQL runs with its privileges only.
        m.registerMigration("postgres-2-check-role") { db in
            try db.execute(sql: "ALTER TABLE postgresInstance ADD COLUMN checkRole TEXT")
        }
    }
}
