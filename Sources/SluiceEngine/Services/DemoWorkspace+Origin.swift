import Foundation
import GRDB

/// Whether a workspace was made by `sluice demo`: the only kind a demo command may replace.
extension DemoWorkspace {
    /// The key of the `workspace` table that `sluice demo` sets to `demo` when it builds one.
    static let madeByKey = "madeBy"

    /// What is in a home, as far as a demo command is concerned.
    public enum Origin: Equatable, Sendable {
        /// No workspace and nothing of the demo's: a demo may be built there.
        case empty
        /// A workspace `sluice demo` made (marked, or recognised by its content): a reset may replace it.
        case demo
        /// Anything else, with what was found: never replaced nor touched by a demo command.
        case other(String)
    }

    /// Looks at `home` without changing it.
    public static func origin(home: String) -> Origin {
        let fm = FileManager.default
        let metastore = Workspace.metastorePath(home: home)
        let dataDir = (home as NSString).appendingPathComponent("demo")
        guard fm.fileExists(atPath: metastore) else {
            // Files at the paths the demo writes, with no workspace beside them, are someone's.
            return fm.fileExists(atPath: dataDir) ? .other("\(dataDir) exists but no workspace does") : .empty
        }
        do {
            let ws = try Workspace(home: home)
            return try isDemo(ws) ? .demo : .other("a workspace that `sluice demo` did not make")
        } catch {
            return .other("a workspace that cannot be read (\(error))")
        }
    }

    /// Whether `ws` was made by `sluice demo`. Workspaces made before the mark existed are
    /// recognised by their whole content being the demo's: exactly its four members, its one
    /// project, and its two instances in the home's `demo/` directory. A workspace anyone set up
    /// by hand cannot match that by accident; one that does has nothing of its own to lose.
    public static func isDemo(_ ws: Workspace) throws -> Bool {
        try ws.store.read { db in
            if let mark = try String.fetchOne(db, sql: "SELECT value FROM workspace WHERE key = ?", arguments: [madeByKey]) {
                return mark == "demo"
            }
            let emails = Set(try String.fetchAll(db, sql: "SELECT lower(email) FROM member"))
            guard emails == Set(members.map { $0.email.lowercased() }) else { return false }
            guard try String.fetchAll(db, sql: "SELECT key FROM project") == ["DEMO"] else { return false }
            let dataDir = (ws.home as NSString).appendingPathComponent("demo")
            let instances = try Row.fetchAll(db, sql: "SELECT name, location FROM instance ORDER BY name")
            let expected = ["sqlite-prod", "sqlite-test"]
            guard instances.map({ $0["name"] as String }) == expected else { return false }
            return instances.allSatisfy { row in
                let name: String = row["name"]
                let location: String = row["location"]
                return canonical(location) == canonical((dataDir as NSString).appendingPathComponent(name))
            }
        }
    }

    /// Marks `ws` as made by `sluice demo`.
    static func mark(_ ws: Workspace) throws {
        try ws.store.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO workspace (key, value) VALUES (?, 'demo')", arguments: [madeByKey])
        }
    }

    /// The members and password to sign in with, when `ws` is a demo workspace (for sign-in dialogs).
    public static func signInHint(_ ws: Workspace) -> String? {
        guard (try? isDemo(ws)) == true else { return nil }
        let emails = members.map(\.email).filter { $0 != "dba@example.com" }
        return "Demo workspace: sign in as dba@example.com (or \(emails.joined(separator: ", "))); the password is \(password) for everyone."
    }

    private static func canonical(_ path: String) -> String {
        ((path as NSString).expandingTildeInPath as NSString).resolvingSymlinksInPath
    }
}
