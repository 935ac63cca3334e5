import GRDB

extension Metastore {
    /// Plan checks and SQL review settings (issue 4): one migration, registered from `migrator`.
    static func registerSchemaCheckMigrations(_ m: inout DatabaseMigrator) {
        m.registerMigration("v2-plan-checks") { db in
            try db.execute(sql: """
            CREATE TABLE reviewConfig (
                environment TEXT PRIMARY KEY REFERENCES environment(name) ON DELETE CASCADE,
                config TEXT NOT NULL,
                updatedAt DOUBLE NOT NULL,
                updatedBy TEXT NOT NULL
            );
            CREATE TABLE planCheck (
                id INTEGER PRIMARY KEY,
                task INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                status TEXT NOT NULL,
                sheetSha256 TEXT NOT NULL,
                results TEXT NOT NULL,
                facts TEXT,
                checkedAt DOUBLE NOT NULL,
                UNIQUE(task, kind)
            );
            CREATE INDEX planCheck_status ON planCheck(status, task);
            """)
        }
    }
}
