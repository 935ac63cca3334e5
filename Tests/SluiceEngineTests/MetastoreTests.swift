import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// The metastore refuses what it cannot trust and never overwrites it.
@Suite struct MetastoreTests {
    let dir = NSTemporaryDirectory() + "sluice-meta-" + UUID().uuidString

    init() throws { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }

    @Test func newWorkspaceFileIsPrivate() throws {
        _ = try Workspace(home: dir + "/ws", create: true)
        let attrs = try FileManager.default.attributesOfItem(atPath: dir + "/ws/sluice.db")
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
    }

    @Test func missingWorkspaceIsNotFoundWithAHint() throws {
        #expect(performing: { try Workspace(home: dir + "/none") }, throws: { error in
            guard let e = error as? SluiceError else { return false }
            return e.kind == .notFound && (e.hint ?? "").contains("sluice init")
        })
        #expect(!FileManager.default.fileExists(atPath: dir + "/none/sluice.db"))
    }

    @Test func corruptFileIsReportedAndLeftUntouched() throws {
        try FileManager.default.createDirectory(atPath: dir + "/bad", withIntermediateDirectories: true)
        let garbage = Data("this is not a database at all, just text that someone saved here\n".utf8)
        try garbage.write(to: URL(fileURLWithPath: dir + "/bad/sluice.db"))
        #expect(performing: { try Workspace(home: dir + "/bad") }, throws: { ($0 as? SluiceError)?.message.contains("not a Sluice metastore") == true })
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir + "/bad/sluice.db")) == garbage)
    }

    @Test func workspaceFromANewerSluiceIsRefused() throws {
        let path = dir + "/newer"
        _ = try Workspace(home: path, create: true)
        let q = try DatabaseQueue(path: path + "/sluice.db")
        try q.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        #expect(performing: { try Workspace(home: path) }, throws: { ($0 as? SluiceError)?.message.contains("newer version of Sluice") == true })
        // Still there, unchanged.
        #expect(try q.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations WHERE identifier = 'v99-from-the-future'") } == 1)
    }

    @Test func lockedWorkspaceGivesAClearError() throws {
        let path = dir + "/locked"
        let ws = try Workspace(home: path, create: true)
        let admin = try ws.initialise(adminEmail: "admin@example.com", password: "admin-password")
        // Another connection holds an exclusive lock (rollback-journal mode would block readers; in WAL only writers wait).
        var config = Configuration()
        config.busyMode = .immediateError
        config.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: path + "/sluice.db", configuration: config)
        try other.inDatabase { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        defer { try? other.inDatabase { db in try db.execute(sql: "ROLLBACK") } }
        #expect(performing: { try Metastore(path: path + "/sluice.db", create: false, busyTimeout: 0.2) },
                throws: { ($0 as? SluiceError)?.message.contains("locked by another process") == true })
        _ = admin
    }

    @Test func passwordsAreScryptHashedAndVerified() throws {
        let hash = try PasswordHasher.hash("correct horse", cost: .test)
        #expect(hash.hasPrefix("scrypt$1024$8$1$"))
        #expect(!hash.contains("correct horse"))
        #expect(PasswordHasher.verify("correct horse", against: hash))
        #expect(!PasswordHasher.verify("correct horsE", against: hash))
        #expect(!PasswordHasher.verify("x", against: "garbage"))
    }

    @Test func sessionsResolveUntilEnded() throws {
        let ws = try Workspace(home: dir + "/sessions", create: true)
        let admin = try ws.initialise(adminEmail: "admin@example.com", password: "admin-password")
        let token = try ws.createSession(for: admin)
        #expect(try ws.principal(forSession: token)?.email == "admin@example.com")
        #expect(try ws.principal(forSession: token + "x") == nil)
        try ws.endSession(token: token)
        #expect(try ws.principal(forSession: token) == nil)
    }
}
