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
}

/// The small table inside every target that records what Sluice applied there, written in the
/// same transaction as the change itself (DESIGN §4).
enum MigrationHistory {
    static let table = SchemaSnapshot.historyTable

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
            appliedAt TEXT NOT NULL
        )
        """

    static func exists(_ conn: SQLiteConnection) throws -> Bool {
        try !conn.query("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", [.text(table)]).isEmpty
    }

    static func insert(_ conn: SQLiteConnection, _ r: MigrationRecord) throws {
        try conn.query("""
            INSERT INTO \(table) (version, type, status, statement, checksum, schemaBefore, schemaAfter, durationMs,
                                  issueId, taskId, taskRunId, workspace, appliedBy, appliedAt)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [r.version.map(SQLiteValue.text) ?? .null, .text(r.type), .text(r.status), .text(r.statement), .text(r.checksum),
                  .text(r.schemaBefore), .text(r.schemaAfter), .real(r.durationMs),
                  r.issueId.map(SQLiteValue.integer) ?? .null, r.taskId.map(SQLiteValue.integer) ?? .null,
                  r.taskRunId.map(SQLiteValue.integer) ?? .null, r.workspace.map(SQLiteValue.text) ?? .null,
                  .text(r.appliedBy), .text(r.appliedAt)])
    }

    static func fetchAll(_ conn: SQLiteConnection, where clause: String = "1", _ args: [SQLiteValue] = []) throws -> [MigrationRecord] {
        guard try exists(conn) else { return [] }
        return try conn.query("""
            SELECT id, version, type, status, statement, checksum, schemaBefore, schemaAfter, durationMs,
                   issueId, taskId, taskRunId, workspace, appliedBy, appliedAt
            FROM \(table) WHERE \(clause) ORDER BY id
            """, args).map { r in
            MigrationRecord(id: r[0].integer ?? 0, version: r[1].text, type: r[2].text ?? "", status: r[3].text ?? "",
                            statement: r[4].text ?? "", checksum: r[5].text ?? "", schemaBefore: r[6].text ?? "",
                            schemaAfter: r[7].text ?? "", durationMs: r[8].real ?? 0, issueId: r[9].integer, taskId: r[10].integer,
                            taskRunId: r[11].integer, workspace: r[12].text, appliedBy: r[13].text ?? "", appliedAt: r[14].text ?? "")
        }
    }

    /// The record of one task run of one workspace, if it committed.
    static func record(_ conn: SQLiteConnection, workspace: String, taskRun: Int64) throws -> MigrationRecord? {
        try fetchAll(conn, where: "workspace = ? AND taskRunId = ?", [.text(workspace), .integer(taskRun)]).first
    }

    static func timestamp(_ date: Date = Date()) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}
