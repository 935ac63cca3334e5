import Foundation
import GRDB
import Testing
@testable import SluiceEngine

/// The metastore's disk fills while a rollout runs (a real 8 MB tmpfs, filled by a file, then
/// freed): the runner retries what it could not record, recovers when space returns, and every
/// change is applied exactly once. Skipped, saying so, where the test cannot mount a tmpfs.
@Suite(.serialized) struct MetastoreDiskFullTests {
    static func mountTmpfs(_ path: String, megabytes: Int) -> Bool {
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/mount")
        p.arguments = ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path]
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }

    static func unmount(_ path: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/umount")
        p.arguments = ["-l", path]
        try? p.run()
        p.waitUntilExit()
    }

    /// Writes a file until the file system refuses more; returns its path.
    static func fill(_ dir: String) -> String {
        let path = dir + "/filler"
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = FileHandle(forWritingAtPath: path)!
        let chunk = Data(count: 64 << 10)
        while (try? handle.write(contentsOf: chunk)) != nil {}
        try? handle.close()
        return path
    }

    @Test func aBriefDiskFullPausesTheRunnerAndItRecoversWithEveryChangeOnce() throws {
        let meta = NSTemporaryDirectory() + "sluice-diskfull-" + UUID().uuidString
        guard Self.mountTmpfs(meta, megabytes: 8) else {
            print("MetastoreDiskFullTests: skipped: cannot mount a tmpfs here (needs root); the disk-full fault was not injected")
            return
        }
        defer { Self.unmount(meta); try? FileManager.default.removeItem(atPath: meta) }
        let tenants = 60
        let t = try TestWorkspace(testTenants: tenants, prodTenants: 0, maxConnections: 4, home: meta + "/home")
        let slow = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT count(*) FROM c;"
        let issue = try t.issue([("test", (0..<tenants).map { i in
            (id: "s\(i)", tenant: i, sql: "CREATE TABLE flags(a);\nINSERT INTO flags VALUES (\(i));\n" + slow, deps: [], at: nil)
        })])
        let scheduler = try RolloutScheduler(workspace: t.ws, options: .init(workers: 4, leaseSeconds: 3))
        scheduler.start()
        defer { scheduler.stop() }
        func statuses() throws -> [String: Int] {
            try t.ws.store.read { db in
                Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM task WHERE issue = ? GROUP BY status",
                                                                  arguments: [issue.id]).map { ($0["status"] as String, $0["n"] as Int) })
            }
        }
        var deadline = Date().addingTimeInterval(60)
        while (try? statuses()["DONE"] ?? 0) ?? 0 < 5, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        let filler = Self.fill(meta)
        Thread.sleep(forTimeInterval: 2)
        try FileManager.default.removeItem(atPath: filler)
        deadline = Date().addingTimeInterval(60)
        while (try? statuses()["DONE"] ?? 0) ?? 0 < tenants, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let final = try statuses()
        #expect(final == ["DONE": tenants], "\(final)")
        let running = try t.ws.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM taskRun WHERE status IN ('RUNNING', 'PENDING')") }
        #expect(running == 0)
        for i in 0..<tenants {
            #expect(try t.count("test", i, "SELECT COUNT(*) FROM flags") == 1, "tenant \(i)")
            #expect(try t.count("test", i, "SELECT COUNT(*) FROM sluice_migration_history") == 1, "tenant \(i)")
        }
    }
}
