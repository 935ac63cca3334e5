import Foundation
@testable import SluiceEngine
@testable import SluiceTUI
import Testing

/// `sluice demo` (with or without --reset) through the real binary: it replaces only a
/// workspace `sluice demo` made; anything else is refused and left exactly as it was.
@Suite(.serialized) struct DemoResetTests {
    let bin = SluiceExecutable.path

    func sluice(_ args: [String], home: String) -> (status: Int32, output: String) {
        var env = ProcessInfo.processInfo.environment
        env["SLUICE_HOME"] = home
        env["SLUICE_KDF_COST"] = "test"
        env["SLUICE_PASSWORD"] = "a long enough password"
        env.removeValue(forKey: "SLUICE_USER")
        return spawnAndWait([bin] + args, env: env)
    }

    /// Homes that hold something a person made, each with what must survive.
    enum Kind: String, CaseIterable { case initWorkspace, initWorkspaceLookingLikeTheDemo, unreadableMetastore, strayDemoDirectory }

    func prepare(_ kind: Kind, _ home: String) throws -> [String] {
        let fm = FileManager.default
        try fm.createDirectory(atPath: home, withIntermediateDirectories: true)
        switch kind {
        case .initWorkspace:
            #expect(sluice(["init", "--admin", "me@example.com"], home: home).status == 0)
            return [Workspace.metastorePath(home: home)]
        case .initWorkspaceLookingLikeTheDemo:
            // A demo that someone made their own: a project of theirs added to an unmarked demo.
            let ws = try DemoWorkspace.build(home: home, reset: false)
            try ws.store.write { db in try db.execute(sql: "DELETE FROM workspace WHERE key = 'madeBy'") }
            _ = try ws.createProject(by: Principal(email: "admin@example.com", name: "Ada Admin", role: "admin"), key: "MINE", title: "Mine")
            return [Workspace.metastorePath(home: home)]
        case .unreadableMetastore:
            let path = Workspace.metastorePath(home: home)
            try fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data("not a database, but mine".utf8).write(to: URL(fileURLWithPath: path))
            return [path]
        case .strayDemoDirectory:
            let dir = (home as NSString).appendingPathComponent("demo/sqlite-test")
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let file = (dir as NSString).appendingPathComponent("app.db")
            try Data("my own file".utf8).write(to: URL(fileURLWithPath: file))
            return [file]
        }
    }

    func digest(_ paths: [String]) -> [Data?] { paths.map { FileManager.default.contents(atPath: $0) } }

    @Test(arguments: Kind.allCases)
    func aDemoCommandNeverReplacesWhatItDidNotMake(kind: Kind) throws {
        let home = NSTemporaryDirectory() + "sluice-demo-reset-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: home) }
        let kept = try prepare(kind, home)
        let before = digest(kept)
        for args in [["demo", "--reset"], ["demo"]] {
            let r = sluice(args, home: home)
            #expect(r.status == 5, "\(kind) \(args): \(r.output)")
            #expect(r.output.contains("a demo command never replaces or changes it"), "\(r.output)")
            #expect(r.output.contains("--home"), "the refusal says what to do next: \(r.output)")
        }
        switch kind {
        case .initWorkspace, .initWorkspaceLookingLikeTheDemo:
            // A metastore's bytes move with WAL checkpoints: compare what it holds.
            let ws = try Workspace(home: home)
            let content = try ws.store.read { db in
                (try String.fetchAll(db, sql: "SELECT email FROM member ORDER BY email"), try String.fetchAll(db, sql: "SELECT key FROM project ORDER BY key"))
            }
            if kind == .initWorkspace {
                #expect(content.0 == ["me@example.com"] && content.1.isEmpty, "\(content)")
            } else {
                #expect(content.1 == ["DEMO", "MINE"], "\(content)")
            }
        case .unreadableMetastore, .strayDemoDirectory:
            #expect(digest(kept) == before, "\(kind): left exactly as it was")
        }
    }

    @Test func aResetReplacesADemoMarkedOrRecognised() throws {
        let home = NSTemporaryDirectory() + "sluice-demo-reset-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: home) }
        #expect(sluice(["demo"], home: home).status == 0)
        #expect(try DemoWorkspace.isDemo(Workspace(home: home)), "marked when made")
        let again = sluice(["demo"], home: home)
        #expect(again.status == 5 && again.output.contains("--reset"), "\(again.output)")
        #expect(sluice(["demo", "--reset"], home: home).status == 0)
        // A demo made before the mark existed is recognised by its content.
        try Workspace(home: home).store.write { db in try db.execute(sql: "DELETE FROM workspace WHERE key = 'madeBy'") }
        #expect(DemoWorkspace.origin(home: home) == .demo)
        let reset = sluice(["demo", "--reset"], home: home)
        #expect(reset.status == 0, "\(reset.output)")
    }

    @Test func aDemoSignInDialogNamesTheMembersAndPasswordOthersDoNot() throws {
        let fixture = try DemoFixture()
        let hint = try #require(DemoWorkspace.signInHint(fixture.workspace))
        var s = AppState(workspaceName: "demo")
        s.signInHint = hint
        s.dialog = .signIn(SignInDialog(hint: hint))
        let text = Renderer.render(s, size: Size(width: 80, height: 24)).text
        for member in DemoWorkspace.members.map(\.email) { #expect(text.contains(member), "\(member) named:\n\(text)") }
        #expect(text.contains("the password is \(DemoWorkspace.password)"))
        // A key before signing in reopens the dialog with the hint kept.
        s.dialog = nil
        _ = Reducer().reduce(&s, .key(.char("j")))
        #expect(s.dialog == .signIn(SignInDialog(hint: hint)))
        let home = NSTemporaryDirectory() + "sluice-demo-hint-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: home) }
        let ws = try Workspace(home: home, create: true)
        _ = try ws.initialise(adminEmail: "me@example.com", password: "a long enough password")
        #expect(DemoWorkspace.signInHint(ws) == nil, "a workspace someone made names nobody")
    }
}
