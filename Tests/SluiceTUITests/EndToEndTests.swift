import Foundation
import SluiceEngine
import Testing

/// The real binary in tmux on a demo workspace.
@Suite(.serialized) struct EndToEndTests {
    let home = NSTemporaryDirectory() + "sluice-e2e-home-" + UUID().uuidString
    let bin = SluiceExecutable.path

    init() throws {
        try #require(spawnAndWait(["which", "tmux"]).status == 0, "tmux is needed (scripts/setup-system.sh installs it)")
        try #require(FileManager.default.isExecutableFile(atPath: bin), "build the sluice binary first")
        let demo = spawnAndWait([bin, "demo", "--home", home])
        try #require(demo.status == 0, "\(demo.output)")
    }

    /// `bash -c` command line running sluice as a member in this workspace.
    func command(as user: String, _ args: String = "") -> String {
        "cd /tmp && env -u NO_COLOR TERM=xterm-256color SLUICE_HOME=\(home) SLUICE_USER=\(user) SLUICE_PASSWORD=\(DemoWorkspace.password) \(bin) \(args)"
    }

    func cli(_ args: [String], as user: String = "admin@example.com") -> (status: Int32, output: String) {
        var env = ProcessInfo.processInfo.environment
        env["SLUICE_HOME"] = home
        env["SLUICE_USER"] = user
        env["SLUICE_PASSWORD"] = DemoWorkspace.password
        env["SLUICE_KDF_COST"] = "test"
        return spawnAndWait([bin] + args, env: env)
    }

    @Test func openNavigateAndQuitWithQLeavesTheTerminalClean() throws {
        let tmux = TmuxSession(command: command(as: "dba@example.com"))
        let first = tmux.waitFor("Add phone column to customers")
        #expect(first.ok, "\(first.screen)")
        #expect(first.screen.contains("1 Projects") && first.screen.contains("3 Pipeline"))
        tmux.send("j")
        #expect(tmux.waitFor("#1 Create audit_log table").ok)
        tmux.send("]")
        #expect(tmux.waitFor("CREATE TABLE audit_log").ok, "the SQL tab shows the statement")
        tmux.send("3", "j", "Enter")
        let logs = tmux.waitFor("[Logs]")
        #expect(logs.ok && logs.screen.contains("task #1"), "\(logs.screen)")
        tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        let after = tmux.waitFor("SLUICE-E2E-EXITED")
        #expect(after.ok)
        #expect(!after.screen.contains("1 Projects"), "the screen is restored after quitting:\n\(after.screen)")
    }

    @Test func approveAsTheRightMemberAndFollowTheRolloutThroughAResizeThenCtrlC() throws {
        #expect(cli(["flow", "add", "dba-review", "--roles", "dba"]).status == 0)
        #expect(cli(["approval-rule", "set", "--source", "DDL", "--level", "LOW", "--flow", "dba-review"]).status == 0)
        let sql = "CREATE TABLE loyalty_seed AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1500000) SELECT x FROM c;"
        let created = cli(["issue", "create", "--project", "DEMO", "--title", "Seed loyalty", "--sql", sql,
                           "--target", "sqlite-test/app", "--target", "sqlite-prod/app", "--json"], as: "dev@example.com")
        try #require(created.status == 0, "\(created.output)")

        let tmux = TmuxSession(command: command(as: "dba@example.com"))
        #expect(tmux.waitFor("Seed loyalty").ok)
        tmux.send(":")
        tmux.type("issue 3")
        tmux.send("Enter")
        #expect(tmux.waitFor("waiting dba").ok)
        tmux.send("a")
        #expect(tmux.waitFor("Comment (optional)").ok)
        tmux.type("ok for prod")
        tmux.send("Enter")
        #expect(tmux.waitFor("approved #3").ok)
        // The test stage rolls out automatically once approved (the TUI runs the engine in-process).
        let testDone = tmux.waitFor(timeout: 30) { $0.contains("test ✓ 1/1") }
        #expect(testDone.ok, "\(testDone.screen)")
        tmux.send("0", "]", "]", "]", "]")
        #expect(tmux.waitFor("[Logs]").ok)
        tmux.send("r")
        #expect(tmux.waitFor("Type prod to confirm").ok)
        tmux.type("prod")
        tmux.send("Enter")
        // Resize down mid-rollout: the stacked layout, no crash; then up again.
        tmux.resize(width: 80, height: 24)
        // The compact stacked layout really drawn (not the old frame reflowed by tmux): one list
        // slot spans the width and names the panes it does not show.
        let small = tmux.waitFor { screen in
            let first = screen.split(separator: "\n").first ?? ""
            return first.hasPrefix("┌2 Issues") && first.hasSuffix("┐") && first.count == 80 && screen.contains("1 Projects · 3 Pipeline")
        }
        #expect(small.ok, "\(small.screen)")
        tmux.resize(width: 120, height: 36)
        let done = tmux.waitFor(timeout: 40) { $0.contains("DONE · LOW") && $0.contains("DONE: applied") }
        #expect(done.ok, "the Logs tab follows the run to DONE:\n\(done.screen)")
        tmux.send("C-c")
        #expect(tmux.exitStatus() == 0)
        let after = tmux.waitFor("SLUICE-E2E-EXITED")
        #expect(!after.screen.contains("2 Issues"), "the screen is restored after ctrl-c:\n\(after.screen)")
        let show = cli(["issue", "show", "3", "--json"], as: "dba@example.com")
        #expect(show.output.contains("\"status\" : \"DONE\"") || show.output.contains("\"status\":\"DONE\""), "\(show.output)")
    }
}
