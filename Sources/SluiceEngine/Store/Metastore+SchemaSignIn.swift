import GRDB

extension Metastore {
    /// Sign-in throttling: one row per member email (known or not) and one per source that has
    /// failed recently. Registered from `migrator`.
    static func registerSignInMigrations(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3-sign-in-throttle") { db in
            try db.execute(sql: """
            CREATE TABLE signInThrottle (
                scope TEXT NOT NULL CHECK (scope IN ('member', 'source')),
                key TEXT NOT NULL,
                failures INTEGER NOT NULL DEFAULT 0,
                refused INTEGER NOT NULL DEFAULT 0,
                firstFailureAt DOUBLE NOT NULL,
                lastFailureAt DOUBLE NOT NULL,
                lockedUntil DOUBLE NOT NULL DEFAULT 0,
                lastSource TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (scope, key)
            ) WITHOUT ROWID;
            CREATE INDEX signInThrottle_lastFailure ON signInThrottle(lastFailureAt);
            """)
        }
    }
}
