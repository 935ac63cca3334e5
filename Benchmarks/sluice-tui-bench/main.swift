import Foundation
import GRDB
import SluiceEngine
import SluiceTUI

// Frame cost of the TUI on a workspace with 10,000 issues and a 100,000-line task log, beside a
// baseline measured in the same run that fills the same screen with text through the same
// ncurses calls. Then key → updated screen, and (with the real binary in tmux) idle CPU and RSS.
// Usage: swift run -c release sluice-tui-bench [--frames N] [--size WxH] [--sluice PATH]

let args = CommandLine.arguments
func option(_ name: String) -> String? { args.firstIndex(of: name).flatMap { args.indices.contains($0 + 1) ? args[$0 + 1] : nil } }
let frames = Int(option("--frames") ?? "") ?? 2000
let sizeParts = (option("--size") ?? "200x60").split(separator: "x").compactMap { Int($0) }
let size = Size(width: sizeParts.first ?? 200, height: sizeParts.last ?? 60)

func percentile(_ xs: [Double], _ p: Double) -> Double {
    let s = xs.sorted()
    return s[min(s.count - 1, Int(Double(s.count - 1) * p))]
}
func ms(_ d: Double) -> String { String(format: "%7.3f ms", d * 1000) }
func now() -> Double { var t = timespec(); clock_gettime(CLOCK_MONOTONIC, &t); return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9 }

// 1. A workspace: the demo, plus 10,000 issues and 100,000 log lines on task 1, written directly.
let home = NSTemporaryDirectory() + "sluice-tui-bench-" + UUID().uuidString
defer { try? FileManager.default.removeItem(atPath: home) }
let ws = try DemoWorkspace.build(home: home, reset: false)
let t0 = now()
try ws.store.write { db in
    let insertIssue = try db.makeStatement(sql: """
        INSERT INTO issue (project, title, description, creator, status, approvalStatus, riskLevel, createdAt, updatedAt)
        VALUES ('DEMO', ?, '', 'dev@example.com', ?, 'SKIPPED', 'LOW', ?, ?)
        """)
    for i in 0..<10_000 {
        try insertIssue.execute(arguments: ["Generated change \(i): add column c\(i) to table t\(i % 97)", i % 3 == 0 ? "DONE" : "OPEN", 1.8e9 + Double(i), 1.8e9 + Double(i)])
    }
    let run = try Int64.fetchOne(db, sql: "SELECT id FROM taskRun WHERE task = 1 ORDER BY attempt DESC LIMIT 1") ?? 1
    let insertLog = try db.makeStatement(sql: "INSERT INTO taskRunLog (taskRun, at, kind, statementIndex, line, durationMs, affectedRows, sql) VALUES (?, ?, 'STATEMENT', ?, ?, 0.4, ?, ?)")
    for i in 0..<100_000 {
        try insertLog.execute(arguments: [run, 1.8e9 + Double(i) / 1000, i, i + 1, i % 7, "UPDATE t\(i % 97) SET c = c + 1 WHERE id = \(i)"])
    }
}
print("workspace: 10,000 extra issues and 100,000 log lines written in \(ms(now() - t0))")

// 2. The real state: loaded through the engine as the DBA, Logs tab on task 1.
let dba = try ws.authenticate(email: "dba@example.com", password: DemoWorkspace.password)
var initial = AppState(workspaceName: "bench", principal: dba)
initial.size = size
let store = Store(state: initial, reducer: Reducer(), workspace: ws)
let tl = now()
store.dispatch(.workspaceChanged)
store.settle(timeout: 60)
print("load: \(store.state.issues.count) issues in \(ms(now() - tl))")
store.dispatch(.key(.char("G")))
store.settle(timeout: 60)
store.dispatch(.key(.char("3")))
store.dispatch(.key(.char("j")))
store.dispatch(.key(.char("0")))
for _ in 0..<4 { store.dispatch(.key(.char("]"))) }
_ = store.settle(until: { $0.log.lines.count >= 100_000 }, timeout: 60)
print("log: \(store.state.log.lines.count) lines on the Logs tab (\(store.state.tab.title)), issue #\(store.state.selectedIssue?.id ?? 0)")

// 3. Frames: ours (reduce a key, render, diff and flush) against the baseline (fill every cell).
let theme = ThemeCatalog(userDirectory: nil).choose(flag: "dark", environment: [:]).theme
setenv("TERM", "xterm-256color", 1)
let driver = NcursesDriver(theme: theme, environment: ["COLORTERM": "truecolor"], offscreenOutput: "/dev/null", offscreenSize: size)
// Scroll the 100,000-line log (up, page up, down, follow, wrap on and off): the detail stays loaded.
let keys: [Key] = [.char("k"), .char("k"), .pageUp, .char("j"), .char("G"), .char("w"), .char("k"), .char("w")]
var ours: [Double] = []
var render: [Double] = []
var state = store.state
let reducer = Reducer()
for i in 0..<frames {
    let a = now()
    _ = reducer.reduce(&state, .key(keys[i % keys.count]))   // effects dropped: frame cost only
    let f = Renderer.render(state, size: size, theme: theme)
    let b = now()
    driver.flush(f)
    ours.append(now() - a)
    render.append(b - a)
}
var baseline: [Double] = []
let glyphs: [wchar_t] = Array("Sluice baseline ─│┌┐ 0123456789 abcdefghijklmnopqrstuvwxyz ".unicodeScalars.map { wchar_t(bitPattern: $0.value) })
for i in 0..<frames {
    let rows = (0..<size.height).map { y in (0..<size.width).map { x in glyphs[(x + y + i) % glyphs.count] } }
    let a = now()
    driver.fillBaseline(rows, width: size.width)
    baseline.append(now() - a)
}
// Moving through the 10,000-issue list (each move drops the old detail; effects are not run here).
var listFrames: [Double] = []
var listState = store.state
_ = reducer.reduce(&listState, .key(.char("2")))
for i in 0..<frames {
    let a = now()
    _ = reducer.reduce(&listState, .key(i % 400 < 200 ? .char("j") : .char("k")))
    driver.flush(Renderer.render(listState, size: size, theme: theme))
    listFrames.append(now() - a)
}
driver.end()
print("\nframes at \(size.width)×\(size.height), \(frames) each          p50          p99          max")
print("  sluice (key+render+flush)  \(ms(percentile(ours, 0.5)))  \(ms(percentile(ours, 0.99)))  \(ms(ours.max() ?? 0))")
print("    of which render         \(ms(percentile(render, 0.5)))  \(ms(percentile(render, 0.99)))  \(ms(render.max() ?? 0))")
print("  sluice, issue list moves   \(ms(percentile(listFrames, 0.5)))  \(ms(percentile(listFrames, 0.99)))  \(ms(listFrames.max() ?? 0))")
print("  baseline (fill screen)     \(ms(percentile(baseline, 0.5)))  \(ms(percentile(baseline, 0.99)))  \(ms(baseline.max() ?? 0))")
print("  target: p99 < 8 ms per frame")

// 4. Key → updated screen including the engine round trip: j on the issue list until the new issue's detail is in the state.
var latency: [Double] = []
store.dispatch(.key(.char("2")))
for i in 0..<200 {
    let a = now()
    store.dispatch(.key(.char(i % 2 == 0 ? "j" : "k")))
    let target = store.state.selectedIssue?.id
    _ = store.settle(until: { $0.detail?.issue.id == target }, timeout: 5)
    _ = Renderer.render(store.state, size: size)
    latency.append(now() - a)
}
print("\nkey → screen with the issue's detail loaded from the engine: p50 \(ms(percentile(latency, 0.5)))  p99 \(ms(percentile(latency, 0.99)))  (target < 30 ms)")

// 5. The real binary in tmux on this workspace: idle CPU over 5 s and resident memory.
if let bin = option("--sluice") ?? ProcessInfo.processInfo.environment["SLUICE_BIN"] {
    func sh(_ cmd: String) -> String {
        let out = NSTemporaryDirectory() + "bench-sh-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: out) }
        let words: [String] = ["/bin/sh", "-c", "\(cmd) > \(out) 2>&1"]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        var pid: pid_t = 0
        posix_spawnp(&pid, "/bin/sh", nil, nil, argv, environ)
        var st: Int32 = 0
        waitpid(pid, &st, 0)
        return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    }
    let sock = "sluice-bench-\(getpid())"
    _ = sh("tmux -L \(sock) -f /dev/null new-session -d -s s -x 200 -y 60 'SLUICE_HOME=\(home) SLUICE_USER=dba@example.com SLUICE_PASSWORD=sluice TERM=xterm-256color \(bin) tui'")
    sleep(4)
    let pid = sh("pgrep -n -x sluice").trimmingCharacters(in: .whitespacesAndNewlines)
    func cpuTicks() -> Double {
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        let fields = stat.split(separator: ")").last?.split(separator: " ") ?? []
        return fields.count > 13 ? (Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0) : 0
    }
    let c0 = cpuTicks(), w0 = now()
    sleep(5)
    let c1 = cpuTicks(), w1 = now()
    let hz = Double(sysconf(Int32(_SC_CLK_TCK)))
    let rss = sh("grep VmRSS /proc/\(pid)/status").trimmingCharacters(in: .whitespacesAndNewlines)
    let screen = sh("tmux -L \(sock) capture-pane -p -t s | head -3")
    _ = sh("tmux -L \(sock) kill-server")
    print("\nreal binary (pid \(pid)) idle in tmux at 200×60 on this workspace:")
    print(String(format: "  idle CPU %.2f %% over %.1f s (target < 2 %%)", (c1 - c0) / hz / (w1 - w0) * 100, w1 - w0))
    print("  memory \(rss) (target < 150 MB)")
    if !screen.contains("Projects") { print("  (warning: the TUI did not seem to start: \(screen))") }
} else {
    print("\n(pass --sluice PATH to measure idle CPU and memory of the real binary in tmux)")
}
