import Foundation

extension PostgresDriver {
    public func history(_ database: TargetDatabase) throws -> [MigrationRecord] {
        try Self.withConnection(database) { try PostgresMigrationHistory.fetchAll($0) }
    }

    public func liveSchema(_ database: TargetDatabase) throws -> String {
        try Self.withConnection(database) { try PostgresSchemaSnapshot.dump($0) }
    }

    /// Ends the stalled run's server session (its transaction rolls back), then, holding the task's
    /// advisory lock, fences the run and reads its record: a run that had not committed by then never will.
    public func fence(_ database: TargetDatabase, workspace: String, task: Int64, run: Int64, seal: HistorySeal, waitMs: Int) throws -> MigrationRecord? {
        try Self.withConnection(database) { conn in
            conn.dirty = true
            let name = Self.sessionName(workspace: workspace, run: run)
            let stalled = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()"
            _ = try conn.execute("SELECT pg_terminate_backend(pid) FROM (\(stalled)) s", [name])
            let deadline = Date().addingTimeInterval(Double(waitMs) / 1000)
            while try !conn.execute(stalled, [name]).rows.isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            try conn.execute("BEGIN")
            do {
                try conn.execute("SET LOCAL lock_timeout = \(max(1, waitMs))")
                try PostgresMigrationHistory.prepare(conn, workspace: workspace, seal: seal)
                try conn.execute("SELECT pg_advisory_xact_lock(\(PostgresMigrationHistory.lockKey(workspace: workspace, task: task)))")
                try conn.execute("INSERT INTO \(PostgresMigrationHistory.fenceTable) (workspace, task_run_id, fenced_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                 [workspace, "\(run)", MigrationHistory.timestamp()])
                let record = try PostgresMigrationHistory.fetchAll(conn, where: "workspace = $1 AND task_run_id = $2", [workspace, "\(run)"]).first
                try conn.execute("COMMIT")
                return record
            } catch let e as PostgresError where e.sqlState == "55P03" {
                _ = try? conn.execute("ROLLBACK")
                throw FenceBusy(database: database.ref.description)
            }
        }
    }

    public func baseline(_ database: TargetDatabase, version: String, workspace: String, by actor: String, seal: HistorySeal) throws -> MigrationRecord {
        try Self.withConnection(database) { conn in
            try conn.execute("BEGIN")
            try PostgresMigrationHistory.prepare(conn, workspace: workspace, seal: seal)
            // One baseline at a time per database: a second waits here, then sees the first's version.
            try conn.execute("LOCK TABLE \(PostgresMigrationHistory.table) IN SHARE ROW EXCLUSIVE MODE")
            if let prior = try PostgresMigrationHistory.fetchAll(conn, where: "version = $1 AND status = 'DONE' AND workspace = $2", [version, workspace])
                .first(where: { seal.integrity(of: $0, workspace: workspace) == .verified }) {
                try conn.execute("ROLLBACK")
                throw SluiceError.precondition("version \(version) is already recorded on \(database.ref) (history #\(prior.id))",
                                               hint: "Pick a new version for the baseline.")
            }
            let schema = try PostgresSchemaSnapshot.dump(conn)
            let id = try PostgresMigrationHistory.insert(conn, MigrationRecord(
                id: 0, version: version, type: SpecType.baseline.rawValue, status: "DONE", statement: "",
                checksum: PasswordHasher.sha256Hex(""), schemaBefore: schema, schemaAfter: schema, durationMs: 0, issueId: nil,
                taskId: nil, taskRunId: nil, workspace: workspace, appliedBy: actor, appliedAt: MigrationHistory.timestamp()), seal: seal)
            try conn.execute("COMMIT")
            guard let record = try PostgresMigrationHistory.fetchAll(conn, where: "id = $1", ["\(id)"]).first else {
                throw SluiceError.failure("baseline not recorded")
            }
            return record
        }
    }

    /// The server's sessions on this database (`pg_stat_activity`), Sluice's own query left out.
    public func sessions(_ database: TargetDatabase) throws -> [DatabaseSession] {
        try Self.withConnection(database) { conn in
            try conn.execute("""
                SELECT pid, COALESCE(usename::text, ''), COALESCE(application_name, ''), COALESCE(state, ''),
                       COALESCE(wait_event_type || ':' || wait_event, ''),
                       to_char(query_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       EXTRACT(EPOCH FROM (clock_timestamp() - query_start)) * 1000, COALESCE(left(query, 1000), '')
                FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                ORDER BY query_start NULLS LAST, pid
                """).rows.map { r in
                DatabaseSession(pid: r[0].flatMap { Int($0) } ?? 0, user: r[1] ?? "", application: r[2] ?? "", state: r[3] ?? "",
                                waitEvent: r[4] ?? "", queryStart: r[5], queryMs: r[6].flatMap { Double($0) }, query: r[7] ?? "")
            }
        }
    }
}

/// One server session on a target database (PostgreSQL's `pg_stat_activity`).
public struct DatabaseSession: Sendable, Codable, Equatable {
    public var pid: Int
    public var user: String
    public var application: String
    /// `active`, `idle`, `idle in transaction`…
    public var state: String
    /// `Lock:relation`, `Client:ClientRead`…; empty when not waiting.
    public var waitEvent: String
    /// ISO 8601 (UTC), when the current or last query started.
    public var queryStart: String?
    public var queryMs: Double?
    public var query: String
}
