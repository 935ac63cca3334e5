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

    /// One row, `t` when the table exists (to send in a batch with other statements).
    static let existsSQL = "SELECT to_regclass('\(table)') IS NOT NULL"

    static func exists(_ conn: PostgresConnection) throws -> Bool {
        try conn.execute(existsSQL).rows.first?.first == "t"
    }

    /// Creates the table when missing (checked first, so no "already exists" notice reaches the log).
    static func ensure(_ conn: PostgresConnection) throws {
        if try !exists(conn) { try conn.execute(createSQL) }
    }

    private static let insertColumns = """
        version, type, status, statement, checksum, schema_before, schema_after, duration_ms,
        issue_id, task_id, task_run_id, workspace, applied_by, applied_at
        """

    private static func values(_ r: MigrationRecord) -> [String?] {
        [r.version, r.type, r.status, r.statement, r.checksum, r.schemaBefore, r.schemaAfter, "\(r.durationMs)",
         r.issueId.map { "\($0)" }, r.taskId.map { "\($0)" }, r.taskRunId.map { "\($0)" }, r.workspace, r.appliedBy, r.appliedAt]
    }

    static func insert(_ conn: PostgresConnection, _ r: MigrationRecord) throws -> Int64 {
        let row = try conn.execute("""
            INSERT INTO \(table) (\(insertColumns))
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id
            """, values(r))
        return row.rows.first?.first.flatMap { $0.flatMap { Int64($0) } } ?? 0
    }

    /// The same insert as one statement with its values as literals, to send in a batch (say, with the COMMIT).
    static func insertSQL(_ conn: PostgresConnection, _ r: MigrationRecord) throws -> String {
        let literals = try values(r).map { try conn.literal($0) }
        return "INSERT INTO \(table) (\(insertColumns)) VALUES (\(literals.joined(separator: ", ")))"
    }

    static func fetchAll(_ conn: PostgresConnection, where clause: String = "true", _ args: [String?] = []) throws -> [MigrationRecord] {
        guard try exists(conn) else { return [] }
        return records(try conn.execute("SELECT \(columns) FROM \(table) WHERE \(clause) ORDER BY id", args).rows)
    }

    static func records(_ rows: [[String?]]) -> [MigrationRecord] {
        rows.map { r in
            MigrationRecord(id: r[0].flatMap { Int64($0) } ?? 0, version: r[1], type: r[2] ?? "", status: r[3] ?? "",
                            statement: r[4] ?? "", checksum: r[5] ?? "", schemaBefore: r[6] ?? "", schemaAfter: r[7] ?? "",
                            durationMs: r[8].flatMap { Double($0) } ?? 0, issueId: r[9].flatMap { Int64($0) },
                            taskId: r[10].flatMap { Int64($0) }, taskRunId: r[11].flatMap { Int64($0) }, workspace: r[12],
                            appliedBy: r[13] ?? "", appliedAt: r[14] ?? "")
        }
    }

    typealias Prior = (task: MigrationRecord?, version: MigrationRecord?)

    /// Whether this workspace already recorded `task` as DONE, and the record of a DONE `version`: the query,
    /// with its values as literals to send in a batch with others, and `prior` to read its rows.
    static func priorSQL(_ conn: PostgresConnection, workspace: String, task: Int64, version: String?) throws -> String {
        "SELECT \(columns) FROM \(table) WHERE status = 'DONE' AND ((workspace = \(try conn.literal(workspace)) AND task_id = \(task))"
            + " OR version = \(try conn.literal(version.flatMap { $0.isEmpty ? nil : $0 }))) ORDER BY id"
    }

    /// Reads the rows of `priorSQL`.
    static func prior(_ rows: [[String?]], workspace: String, task: Int64, version: String?) -> Prior {
        let records = records(rows)
        return (records.first { $0.workspace == workspace && $0.taskId == task },
                version.flatMap { v in v.isEmpty ? nil : records.first { $0.version == v } })
    }
}
