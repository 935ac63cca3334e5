import Foundation
import GRDB
import Logging

/// One workspace: the metastore plus the services of the engine. Front ends talk only to this.
public final class Workspace: Sendable {
    public let home: String
    public let store: Metastore
    public let clock: any EngineClock
    let logger: Logger

    /// The metastore file inside a workspace home.
    public static func metastorePath(home: String) -> String { (home as NSString).appendingPathComponent("sluice.db") }

    /// The default home: `$SLUICE_HOME`, else `$XDG_DATA_HOME/sluice`, else `~/.local/share/sluice`.
    public static func defaultHome(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let h = env["SLUICE_HOME"], !h.isEmpty { return h }
        if let x = env["XDG_DATA_HOME"], !x.isEmpty { return (x as NSString).appendingPathComponent("sluice") }
        let home = env["HOME"] ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/share/sluice")
    }

    /// Opens an existing workspace (or creates an empty one with `create`).
    public init(home: String, create: Bool = false, clock: any EngineClock = SystemClock()) throws {
        self.home = home
        self.clock = clock
        self.store = try Metastore(path: Workspace.metastorePath(home: home), create: create)
        self.logger = Logger(label: "sluice.engine")
    }

    /// Whether the workspace has been initialised (has at least one admin).
    public func isInitialised() throws -> Bool {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM member WHERE role = 'admin'") ?? 0 > 0 }
    }

    var now: Double { clock.now().timeIntervalSince1970 }

    /// Appends one line to an issue's timeline (inside the caller's transaction).
    func recordEvent(_ db: Database, issue: Int64, actor: String, kind: String, text: String) throws {
        try db.execute(sql: "INSERT INTO issueEvent (issue, at, actor, kind, text) VALUES (?, ?, ?, ?, ?)",
                       arguments: [issue, now, actor, kind, text])
        try db.execute(sql: "UPDATE issue SET updatedAt = ? WHERE id = ?", arguments: [now, issue])
    }
}

extension Workspace {
    /// A stable id for this workspace, written into every history row so two workspaces sharing a
    /// target never mistake each other's records.
    public func workspaceId() throws -> String {
        try store.write { db in
            if let id = try String.fetchOne(db, sql: "SELECT value FROM workspace WHERE key = 'id'") { return id }
            let id = UUID().uuidString.lowercased()
            try db.execute(sql: "INSERT INTO workspace (key, value) VALUES ('id', ?)", arguments: [id])
            return id
        }
    }
}
