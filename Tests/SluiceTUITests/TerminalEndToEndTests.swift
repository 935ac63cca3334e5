import Foundation
import SluiceEngine
import Testing

/// The terminal as the real binary leaves it, in tmux: raw while it runs (every key reaches it),
/// exactly as before once it has gone; and quitting while a task runs.
@Suite(.serialized) struct TerminalEndToEndTests {
    let home = NSTemporaryDirectory() + "sluice-e2e-term-" + UUID().uuidString
    let bin = SluiceExecutable.path

    init() throws {
        try #require(spawnAndWait(["which", "tmux"]).status == 0, "tmux is needed (scripts/setup-system.sh installs it)")
        try #require(FileManager.default.isExecutableFile(atPath: bin), "build the sluice binary first")
        let demo = spawnAndWait([bin, "demo", "--home", home])
        try #require(demo.status == 0, "\(demo.output)")
    }

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

    func paneSettings(_ tmux: TmuxSession) -> String {
        let tty = spawnAndWait(["tmux", "-L", tmux.socket, "display", "-p", "-t", "s", "#{pane_tty}"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return spawnAndWait(["stty", "-a", "-F", tty]).output
    }

    @Test func rawWhileRunningCtrlSReachesTheFormAndTheTerminalComesBackExactly() throws {
        let before = home + "-stty-before", after = home + "-stty-after"
        // Flow control fully on before (ixon, ixoff, ixany), to see the UI clear all of it and put it back.
        let tmux = TmuxSession(command: "stty ixon ixoff ixany; stty -g > \(before); \(command(as: "dev@example.com")); s=$?; stty -g > \(after); (exit $s)")
        #expect(tmux.waitFor("Add phone column to customers").ok)
        let during = paneSettings(tmux)
        for flag in ["-ixon", "-ixoff", "-ixany", "-isig", "-icanon", "-iexten", "-echo"] {
            #expect(during.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).contains(Substring(flag)),
                    "\(flag) while the UI runs:\n\(during)")
        }
        // The new-issue form's SQL step: ctrl-s continues to the preview (with ixon it froze the screen).
        tmux.send("+")
        #expect(tmux.waitFor("New issue · 1/4").ok)
        tmux.type("Flow control")
        tmux.send("Enter")
        #expect(tmux.waitFor("2/4 targets").ok)
        tmux.send("Enter")
        #expect(tmux.waitFor("3/4 SQL").ok)
        tmux.type("SELECT 1;")
        tmux.send("C-s")
        let preview = tmux.waitFor("4/4 preview", timeout: 5)
        #expect(preview.ok, "ctrl-s reached the form:\n\(preview.screen)")
        // Output still flows afterwards (no ctrl-q needed).
        tmux.send("Escape")
        #expect(tmux.waitFor("3/4 SQL", timeout: 5).ok)
        tmux.send("Escape", "Escape", "Escape")
        tmux.send("q")
        #expect(tmux.exitStatus() == 0)
        let b = try String(contentsOfFile: before, encoding: .utf8), a = try String(contentsOfFile: after, encoding: .utf8)
        #expect(!b.isEmpty && a == b, "stty -g before:\n\(b)after:\n\(a)")
        try? FileManager.default.removeItem(atPath: before)
        try? FileManager.default.removeItem(atPath: after)
    }

    /// A task of several seconds on sqlite-test/app (the test stage rolls out by itself).
    func longIssue() throws {
        let sql = "CREATE TABLE slow_seed AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 4000000) SELECT x FROM c;"
        let created = cli(["issue", "create", "--project", "DEMO", "--title", "Slow seed", "--sql", sql,
                           "--target", "sqlite-test/app", "--json"], as: "dev@example.com")
        try #require(created.status == 0, "\(created.output)")
    }

    @Test func quitDuringARunSaysWhatRunsAndASecondCtrlCLeavesItToSluiceRunAtOnce() throws {
        try longIssue()
        let tmux = TmuxSession(command: command(as: "dba@example.com"))
        let running = tmux.waitFor(timeout: 20) { $0.contains("Slow seed") && $0.contains("running sqlite-test/app") }
        try #require(running.ok, "\(running.screen)")
        tmux.send("q")
        let asked = tmux.waitFor("1 task is running on sqlite-test/app", timeout: 5)
        #expect(asked.ok, "the UI says what runs before leaving:\n\(asked.screen)")
        #expect(asked.screen.contains("leave it to `sluice run`") && asked.screen.contains("ctrl-c again"))
        let pressed = Date()
        tmux.send("C-c")
        let status = tmux.exitStatus(timeout: 10)
        #expect(status == 0)
        #expect(Date().timeIntervalSince(pressed) < 5, "left at once, not after the task")
        let after = tmux.waitFor("SLUICE-E2E-EXITED")
        #expect(after.screen.contains("left to `sluice run`"), "\(after.screen)")
        // Released, not abandoned: the next runner settles it and runs it to DONE.
        let run = cli(["run", "--until-idle", "--quiet"])
        #expect(run.status == 0, "\(run.output)")
        let show = cli(["issue", "show", "3", "--json"], as: "dba@example.com")
        #expect(show.output.contains("\"status\" : \"DONE\"") || show.output.contains("\"status\":\"DONE\""), "\(show.output)")
        let log = cli(["task", "log", "5"], as: "dba@example.com")
        #expect(log.output.contains("released by its runner"), "\(log.output)")
    }

    @Test func quitDuringARunAndWaitQuitsWhenItEnds() throws {
        try longIssue()
        let tmux = TmuxSession(command: command(as: "dba@example.com"))
        let running = tmux.waitFor(timeout: 20) { $0.contains("Slow seed") && $0.contains("running sqlite-test/app") }
        try #require(running.ok, "\(running.screen)")
        tmux.send("q")
        #expect(tmux.waitFor("1 task is running on sqlite-test/app", timeout: 5).ok)
        tmux.send("w")
        let waiting = tmux.waitFor("quitting once 1 task on sqlite-test/app ends", timeout: 5)
        #expect(waiting.ok, "\(waiting.screen)")
        #expect(tmux.exitStatus(timeout: 60) == 0)
        let log = cli(["task", "log", "5"], as: "dba@example.com")
        #expect(log.output.contains("DONE") && !log.output.contains("released"), "\(log.output)")
    }
}
