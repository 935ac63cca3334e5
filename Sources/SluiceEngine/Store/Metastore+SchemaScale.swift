import GRDB

extension Metastore {
    /// Indexes that keep scheduling cost flat however many runs are queued: the scheduler walks
    /// the databases that have pending tasks (`task_pending`), and asks each stage queue on a
    /// database for its first unfinished task (`task_queue`), without reading the queue.
    static func registerScaleMigrations(_ m: inout DatabaseMigrator) {
        m.registerMigration("v3-scheduling-indexes") { db in
            try db.execute(sql: """
            CREATE INDEX task_pending ON task(status, database, stage, position);
            CREATE INDEX task_queue ON task(stage, database, status, position);
            DROP INDEX task_status;
            """)
        }
    }
}
