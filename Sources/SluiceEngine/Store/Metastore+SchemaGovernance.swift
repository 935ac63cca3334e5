import GRDB

extension Metastore {
    /// Governance: risk rules, and the risk source and explanation of each issue.
    static func registerGovernanceMigration(_ m: inout DatabaseMigrator) {
        m.registerMigration("v2-governance") { db in
            try db.execute(sql: """
            CREATE TABLE riskRule (
                id INTEGER PRIMARY KEY,
                title TEXT NOT NULL UNIQUE,
                source TEXT NOT NULL,
                level TEXT NOT NULL,
                active BOOLEAN NOT NULL DEFAULT 1,
                condition TEXT NOT NULL,
                createdAt DOUBLE NOT NULL
            );
            ALTER TABLE issue ADD COLUMN riskSource TEXT NOT NULL DEFAULT 'DDL';
            ALTER TABLE issue ADD COLUMN riskReason TEXT NOT NULL DEFAULT '';
            """)
        }
    }
}
