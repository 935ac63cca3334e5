import Foundation
import Testing
@testable import SluiceEngine

/// `history` and `drift` show the SQL of every change, so they follow the scoping of issues: a
/// database is read through the projects whose issues have a task on it (`issues.get` there), and
/// `instances.manage` (admins, DBAs) reads every database.
@Suite struct HistoryAccessTests {
    /// Project P changed test/t0, project B changed test/t1; prod/t0 was changed by no project.
    final class TwoProjects {
        let t: TestWorkspace
        let memberA = Principal(email: "a@example.com", name: "A", role: "member")
        let memberB = Principal(email: "b@example.com", name: "B", role: "member")
        let outsider = Principal(email: "out@example.com", name: "Out", role: "member")

        init() throws {
            t = try TestWorkspace(testTenants: 2)
            _ = try t.ws.createProject(by: t.admin, key: "B", title: "Billing")
            for (p, project) in [(memberA, "P"), (memberB, "B"), (outsider, nil)] as [(Principal, String?)] {
                _ = try t.ws.addMember(by: t.admin, email: p.email, role: "member", password: "member-password")
                if let project { _ = try t.ws.addProjectMember(by: t.admin, project: project, email: p.email, role: "viewer") }
            }
            for (project, tenant, table) in [("P", 0, "alpha_secret"), ("B", 1, "billing_secret")] {
                _ = try t.ws.createIssue(by: t.admin, project: project, title: "change", plan: .targets(
                    sql: "CREATE TABLE \(table)(a);", databases: [t.ref("test", tenant)], labels: [:], type: .migrate,
                    schemaVersion: nil, earliestAllowedTime: nil))
            }
            try t.runUntilIdle()
        }
    }

    @Test func aMemberReadsTheHistoryOfTheirProjectsDatabasesOnly() throws {
        let w = try TwoProjects()
        let own = try w.t.ws.history(w.t.ref("test", 0), by: w.memberA)
        #expect(own.contains { $0.statement.contains("alpha_secret") })
        let error = #expect(throws: SluiceError.self) { try w.t.ws.history(w.t.ref("test", 1), by: w.memberA) }
        #expect(error?.kind == .permissionDenied)
        #expect(error?.permission == "issues.get")
        #expect(error?.message.contains("cannot read the history of test/t1: missing issues.get in a project with an issue on it (B)") == true,
                "\(error?.message ?? "")")
        #expect(error?.hint?.contains("Ask an owner of B") == true)
        #expect(error.map { !$0.description.contains("billing_secret") } ?? false)
        // The other way round for B's member.
        #expect(try w.t.ws.history(w.t.ref("test", 1), by: w.memberB).contains { $0.statement.contains("billing_secret") })
        #expect(throws: SluiceError.self) { try w.t.ws.history(w.t.ref("test", 0), by: w.memberB) }
    }

    @Test func aDatabaseNoProjectChangedIsReadByInstanceManagersOnly() throws {
        let w = try TwoProjects()
        let error = #expect(throws: SluiceError.self) { try w.t.ws.history(w.t.ref("prod", 0), by: w.memberA) }
        #expect(error?.kind == .permissionDenied)
        #expect(error?.hint?.contains("No project has an issue on prod/t0 yet") == true)
        #expect(throws: SluiceError.self) { try w.t.ws.history(w.t.ref("test", 0), by: w.outsider) }
        for reader in [w.t.admin, w.t.dba] {
            #expect(try w.t.ws.history(w.t.ref("prod", 0), by: reader).isEmpty)
            #expect(try w.t.ws.history(w.t.ref("test", 1), by: reader).contains { $0.statement.contains("billing_secret") })
        }
    }

    @Test func driftListsOnlyTheDatabasesTheMemberMayRead() throws {
        let w = try TwoProjects()
        #expect(try w.t.ws.drift(nil, by: w.memberA).map(\.database) == ["test/t0"])
        #expect(try w.t.ws.drift(nil, by: w.memberB).map(\.database) == ["test/t1"])
        #expect(try w.t.ws.drift(nil, by: w.outsider).isEmpty)
        let all = ["prod/t0", "test/t0", "test/t1"]
        #expect(try w.t.ws.drift(nil, by: w.t.admin).map(\.database) == all)
        #expect(try w.t.ws.drift(nil, by: w.t.dba).map(\.database) == all)
        #expect(try w.t.ws.drift(w.t.ref("test", 0), by: w.memberA).map(\.database) == ["test/t0"])
        let error = #expect(throws: SluiceError.self) { try w.t.ws.drift(w.t.ref("test", 1), by: w.memberA) }
        #expect(error?.kind == .permissionDenied && error?.permission == "issues.get")
    }

    /// The project's own roles grant it; a project role without issues.get does not.
    @Test func aCustomProjectRoleWithoutIssuesGetDoesNotRead() throws {
        let w = try TwoProjects()
        _ = try w.t.ws.addCustomRole(by: w.t.admin, name: "skipper", permissions: ["tasks.skip"])
        _ = try w.t.ws.addProjectMember(by: w.t.admin, project: "P", email: w.outsider.email, role: "skipper")
        #expect(throws: SluiceError.self) { try w.t.ws.history(w.t.ref("test", 0), by: w.outsider) }
        _ = try w.t.ws.addProjectMember(by: w.t.admin, project: "P", email: w.outsider.email, role: "developer")
        #expect(try !w.t.ws.history(w.t.ref("test", 0), by: w.outsider).isEmpty)
    }
}
