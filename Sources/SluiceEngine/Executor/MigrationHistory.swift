import Foundation

/// One row of a target database's `sluice_migration_history`.
public struct MigrationRecord: Sendable, Codable, Equatable {
    public var id: Int64
    public var version: String?
    public var type: String
    public var status: String
    public var statement: String
    public var checksum: String
    public var schemaBefore: String
    public var schemaAfter: String
    public var durationMs: Double
    public var issueId: Int64?
    public var taskId: Int64?
    public var taskRunId: Int64?
    public var workspace: String?
    public var appliedBy: String
    public var appliedAt: String
    /// The row's seal (``HistorySeal``); nil on rows written before seals or forged without one.
    public var mac: String? = nil
    /// Filled in when the row is read through the workspace: whether its seal verifies.
    public var integrity: RecordIntegrity = .foreign
}

/// The small table inside every target that records what Sluice applied there, written in the
/// same transaction as the change itself, and its companion `sluice_run_fence`: the task runs
/// another runner settled after their lease passed, which may therefore never commit here.
enum MigrationHistory {
    static let table = SchemaSnapshot.historyTable
    static let fenceTable = "sluice_run_fence"

    static let createSQL = """
        CREATE TABLE IF NOT EXISTS \(table) (
            id INTEGER PRIMARY KEY,
            version TEXT,
            type TEXT NOT NULL,
            status TEXT NOT NULL,
            statement TEXT NOT NULL,
            checksum TEXT NOT NULL,
            schemaBefore TEXT NOT NULL,
            schemaAfter TEXT NOT NULL,
            durationMs REAL NOT NULL,
            issueId INTEGER,
            taskId INTEGER,
            taskRunId INTEGER,
            workspace TEXT,
            appliedBy TEXT NOT NULL,
            appliedAt TEXT NOT NULL,
            mac TEXT
        )
        """

    /// One DONE row per task of a workspace, whatever a runner does; and the fence.
    static let companionSQL = """
        CREATE UNIQUE INDEX IF NOT EXISTS \(table)_task ON \(table) (workspace, taskId) WHERE status = 'DONE' AND taskId IS NOT NULL;
        CREATE TABLE IF NOT EXISTS \(fenceTable) (
            workspace TEXT NOT NULL,
            taskRunId INTEGER NOT NULL,
            fencedAt TEXT NOT NULL,
            PRIMARY KEY (workspace, taskRunId)
        )
        """

    static func exists(_ conn: SQLiteConnection) throws -> Bool {
        try !conn.query("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", [.text(table)]).isEmpty
    }

    /// Brings the history tables to the current layout inside the caller's transaction: creates
    /// them, or upgrades a table from before seals (adds `mac`, seals this workspace's rows as
    /// they stand, adds the unique index and the fence table).
    static func prepare(_ conn: SQLiteConnection, workspace: String, seal: HistorySeal) throws {
        let present = Set(try conn.query("SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN (?, ?)",
                                         [.text(table), .text(fenceTable)]).compactMap { $0.first?.text })
        if present.contains(fenceTable) && present.contains(table) { return }
        if !present.contains(table) {
            try conn.execute(createSQL)
        } else {
            let columns = try conn.query("SELECT name FROM pragma_table_info(?)", [.text(table)]).compactMap { $0.first?.text }
            if !columns.contains("mac") { try conn.execute("ALTER TABLE \(table) ADD COLUMN mac TEXT") }
            for r in try fetchAll(conn, where: "workspace = ? AND mac IS NULL", [.text(workspace)]) {
                try conn.query("UPDATE \(table) SET mac = ? WHERE id = ?", [.text(seal.seal(r)), .integer(r.id)])
            }
        }
        try conn.execute(companionSQL)
    }

    static func insert(_ conn: SQLiteConnection, _ r: MigrationRecord, seal: HistorySeal) throws {
        try conn.query("""
            INSERT INTO \(table) (version, type, status, statement, checksum, schemaBefore, schemaAfter, durationMs,
                                  issueId, taskId, taskRunId, workspace, appliedBy, appliedAt, mac)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [r.version.map(SQLiteValue.text) ?? .null, .text(r.type), .text(r.status), .text(r.statement), .text(r.checksum),
                  .text(r.schemaBefore), .text(r.schemaAfter), .real(r.durationMs),
                  r.issueId.map(SQLiteValue.integer) ?? .null, r.taskId.map(SQLiteValue.integer) ?? .null,
                  r.taskRunId.map(SQLiteValue.integer) ?? .null, r.workspace.map(SQLiteValue.text) ?? .null,
                  .text(r.appliedBy), .text(r.appliedAt), .text(seal.seal(r))])
    }

    static func fetchAll(_ conn: SQLiteConnection, where clause: String = "1", _ args: [SQLiteValue] = []) throws -> [MigrationRecord] {
        guard try exists(conn) else { return [] }
        let hasMac = try !conn.query("SELECT 1 FROM pragma_table_info(?) WHERE name = 'mac'", [.text(table)]).isEmpty
        return try conn.query("""
            SELECT id, version, type, status, statement, checksum, schemaBefore, schemaAfter, durationMs,
                   issueId, taskId, taskRunId, workspace, appliedBy, appliedAt, \(hasMac ? "mac" : "NULL")
            FROM \(table) WHERE \(clause) ORDER BY id
            """, args).map { r in
            MigrationRecord(id: r[0].integer ?? 0, version: r[1].text, type: r[2].text ?? "", status: r[3].text ?? "",
                            statement: r[4].text ?? "", checksum: r[5].text ?? "", schemaBefore: r[6].text ?? "",
                            schemaAfter: r[7].text ?? "", durationMs: r[8].real ?? 0, issueId: r[9].integer, taskId: r[10].integer,
                            taskRunId: r[11].integer, workspace: r[12].text, appliedBy: r[13].text ?? "", appliedAt: r[14].text ?? "",
                            mac: r[15].text)
        }
    }

    /// The record of one task run of one workspace, if it committed.
    static func record(_ conn: SQLiteConnection, workspace: String, taskRun: Int64) throws -> MigrationRecord? {
        try fetchAll(conn, where: "workspace = ? AND taskRunId = ?", [.text(workspace), .integer(taskRun)]).first
    }

    /// Whether another runner fenced `taskRun` out.
    static func isFenced(_ conn: SQLiteConnection, workspace: String, taskRun: Int64) throws -> Bool {
        try !conn.query("SELECT 1 FROM \(fenceTable) WHERE workspace = ? AND taskRunId = ?", [.text(workspace), .integer(taskRun)]).isEmpty
    }

    static func fence(_ conn: SQLiteConnection, workspace: String, taskRun: Int64) throws {
        try conn.query("INSERT OR IGNORE INTO \(fenceTable) (workspace, taskRunId, fencedAt) VALUES (?, ?, ?)",
                       [.text(workspace), .integer(taskRun), .text(timestamp())])
    }

    /// A fingerprint of Sluice's own tables (their rows, and every schema object on them): taken
    /// before and after a sheet's statements, inside its transaction, so a sheet that reached
    /// them by any path is caught before anything commits.
    static func fingerprint(_ conn: SQLiteConnection) throws -> String {
        let rows = try conn.query("""
            SELECT (SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || coalesce(group_concat(id || '=' || coalesce(mac, '') || status, ','), '')
                    FROM (SELECT id, mac, status FROM \(table) ORDER BY id)),
                   (SELECT count(*) || ':' || coalesce(group_concat(workspace || '/' || taskRunId, ','), '')
                    FROM (SELECT workspace, taskRunId FROM \(fenceTable) ORDER BY workspace, taskRunId)),
                   (SELECT group_concat(type || ' ' || name || ' ' || coalesce(sql, ''), ';')
                    FROM (SELECT type, name, sql FROM sqlite_schema WHERE name LIKE 'sluice\\_%' ESCAPE '\\' OR tbl_name LIKE 'sluice\\_%' ESCAPE '\\'
                          ORDER BY type, name))
            """)
        return (rows.first ?? []).map { $0.text ?? "" }.joined(separator: "|")
    }

    static func timestamp(_ date: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}
