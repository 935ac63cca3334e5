import Foundation
import Testing
@testable import SluiceEngine

/// Server sessions show other clients' SQL: who may list them.
@Suite struct SessionsPermissionTests {
    @Test func aDatabasesSessionsAreForInstanceManagersAndATasksForItsProject() throws {
        let t = try TestWorkspace()
        let issue = try t.issue([("test", [("a", 0, "CREATE TABLE s (a INTEGER);", [], nil)])])
        let task = try #require(try t.tasks(issue.id).first)

        // A whole database: instance managers only (SQLite targets have no server sessions).
        #expect(try t.ws.sessions(t.ref("test", 0), by: t.dba).isEmpty)
        let denied = try #require(throws: SluiceError.self) { try t.ws.sessions(t.ref("test", 0), by: t.dev) }
        #expect(denied.kind == .permissionDenied)
        #expect(denied.permission == Permission.instancesManage.rawValue)

        // A task's database: anyone who may read the task's issue.
        #expect(try t.ws.sessions(task: task.id, by: t.dev).isEmpty)
        #expect(try t.ws.sessions(task: task.id, by: t.viewer).isEmpty)
    }
}
