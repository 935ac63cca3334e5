import Foundation
@testable import SluiceEngine
import SluiceTUI

/// A real demo workspace (`sluice demo`) in a temporary directory.
final class DemoFixture {
    let home: String
    let workspace: Workspace
    static let admin = Principal(email: "admin@example.com", name: "Ada Admin", role: "admin")
    static let dba = Principal(email: "dba@example.com", name: "Dba", role: "dba")
    static let dev = Principal(email: "dev@example.com", name: "Dev", role: "member")
    static let owner = Principal(email: "owner@example.com", name: "Owner", role: "member")

    init() throws {
        home = NSTemporaryDirectory() + "sluice-tui-" + UUID().uuidString
        PasswordHasher.useTestCost() // cheap password hashes for the demo members (docs/sign-in.md)
        workspace = try DemoWorkspace.build(home: home, reset: false)
    }

    deinit { try? FileManager.default.removeItem(atPath: home) }

    /// The governance tutorial's setup: "DDL on prod is HIGH", and HIGH DDL needs the project
    /// owner then a DBA. Returns a new issue by the developer that falls under it.
    func highRiskIssueWithOwnerThenDBAFlow() throws -> SluiceEngine.Issue {
        _ = try workspace.addRiskRule(by: Self.admin, title: "DDL on prod is HIGH", source: .ddl, level: .high,
                                      condition: #"environment_id == "prod""#)
        _ = try workspace.addFlow(by: Self.admin, name: "owner-dba", roles: ["owner", "dba"])
        _ = try workspace.setApprovalRule(by: Self.admin, source: "DDL", level: "HIGH", flow: "owner-dba")
        return try workspace.createIssue(by: Self.dev, project: "DEMO", title: "Add loyalty column", plan: .targets(
            sql: "ALTER TABLE customers ADD COLUMN loyalty INTEGER;",
            databases: [DatabaseRef(instance: "sqlite-test", name: "app"), DatabaseRef(instance: "sqlite-prod", name: "app")],
            labels: [:], type: .migrate, schemaVersion: nil, earliestAllowedTime: nil))
    }

    /// A store whose state is loaded from the workspace as `principal`.
    func store(as principal: Principal?, size: Size = Size(width: 120, height: 36)) -> Store {
        var state = AppState(workspaceName: "demo", principal: principal)
        state.size = size
        if principal == nil { state.dialog = .signIn(SignInDialog()) }
        let store = Store(state: state, reducer: Reducer(), workspace: workspace)
        if principal != nil {
            store.dispatch(.workspaceChanged)
            store.settle()
        }
        return store
    }
}

extension Store {
    /// Types keys, applying their results before the next one (what a person at the keyboard sees).
    func press(_ keys: Key...) {
        for k in keys {
            dispatch(.key(k))
            settle()
        }
    }

    func typeText(_ text: String) {
        for c in text { dispatch(.key(Key.char(c))); settle() }
    }

    var frame: Frame { Renderer.render(state, size: state.size) }
}

/// Paths inside the repository, found from this file.
enum Repo {
    static var root: String {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        return FileManager.default.currentDirectoryPath
    }
    static func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }
}
