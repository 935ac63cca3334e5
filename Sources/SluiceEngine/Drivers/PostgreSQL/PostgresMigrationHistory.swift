import Foundation

/// `public.sluice_migration_history` inside a PostgreSQL target: the same record as on SQLite,
/// written in the task's own transaction (DESIGN §4).
enum PostgresMigrationHistory {
    static let table = "public.\(SchemaSnapshot.historyTable)"

    static let createSQL = """
        CREATE TABLE IF NOT EXISTS \(table) (
            id bigserial PRIMARY KEY,
            version text,
            type text NOT NULL,
            status text NOT NULL,
            statement text NOT NULL,
            checksum text NOT NULL,
            schema_before text NOT NULL,
            schema_after text NOT NULL,
            duration_ms double precision NOT NULL,
            issue_id bigint,
            task_id bigint,
            task_run_id bigint,
            workspace text,
            applied_by text NOT NULL,
            applied_at text NOT NULL
        )
        """

    private static let columns = """
        id, version, type, status, statement, checksum, schema_before, schema_after, duration_ms,
        issue_id, task_id, task_run_id, workspace, applied_by, applied_at
        """

    static func exists(_ conn: PostgresConnection) throws -> Bool {
        try conn.execute("SELECT to_regclass($1) IS NOT NULL", [table]).rows.first?.first == "t"
    }

    /// Creates the table when missing (checked first, so no "already exists" notice reaches the log).
    static func ensure(_ conn: PostgresConnection) throws {
        if try !exists(conn) { try conn.execute(createSQL) }
    }

    static func insert(_ conn: PostgresConnection, _ r: MigrationRecord) throws -> Int64 {
        let row = try conn.execute("""
            INSERT INTO \(table) (version, type, status, statement, checksum, schema_before, schema_after, duration_ms,
                                  issue_id, task_id, task_run_id, workspace, applied_by, applied_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id
            """, [r.version, r.type, r.status, r.statement, r.checksum, r.schemaBefore, r.schemaAfter, "\(r.durationMs)",
                  r.issueId.map { "\($0)" }, r.taskId.map { "\($0)" }, r.taskRunId.map { "\($0)" }, r.workspace,
                  r.appliedBy, r.appliedAt])
        return row.rows.first?.first.flatMap { $0.flatMap { Int64($0) } } ?? 0
    }

    static func fetchAll(_ conn: PostgresConnection, where clause: String = "true", _ args: [String?] = []) throws -> [MigrationRecord] {
        guard try exists(conn) else { return [] }
        return try conn.execute("SELECT \(columns) FROM \(table) WHERE \(clause) ORDER BY id", args).rows.map { r in
            MigrationRecord(id: r[0].flatMap { Int64($0) } ?? 0, version: r[1], type: r[2] ?? "", status: r[3] ?? "",
                            statement: r[4] ?? "", checksum: r[5] ?? "", schemaBefore: r[6] ?? "", schemaAfter: r[7] ?? "",
                            durationMs: r[8].flatMap { Double($0) } ?? 0, issueId: r[9].flatMap { Int64($0) },
                            taskId: r[10].flatMap { Int64($0) }, taskRunId: r[11].flatMap { Int64($0) }, workspace: r[12],
                            appliedBy: r[13] ?? "", appliedAt: r[14] ?? "")
        }
    }

    /// Whether this workspace already recorded `task` as DONE, and the record of a DONE `version`, in one round trip.
    static func priorRecords(_ conn: PostgresConnection, workspace: String, task: Int64, version: String?) throws -> (task: MigrationRecord?, version: MigrationRecord?) {
        let rows = try fetchAll(conn, where: "status = 'DONE' AND ((workspace = $1 AND task_id = $2) OR version = $3)",
                                [workspace, "\(task)", version.flatMap { $0.isEmpty ? nil : $0 }])
        return (rows.first { $0.workspace == workspace && $0.taskId == task },
                version.flatMap { v in v.isEmpty ? nil : rows.first { $0.version == v } })
    }
}
