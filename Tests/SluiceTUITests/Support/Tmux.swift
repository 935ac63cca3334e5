import Foundation

/// Runs a program (posix_spawnp: Foundation's Process can hang inside swift test) and waits;
/// `blocking` signals start blocked in the child, as they may be when a dispatch worker spawns.
@discardableResult
/// The default environment asks for the cheap test password cost (SLUICE_KDF_COST=test, docs/sign-in.md).
func spawnAndWait(_ args: [String], env: [String: String] = ProcessInfo.processInfo.environment.merging(["SLUICE_KDF_COST": "test"]) { $1 },
                  blocking signals: [Int32] = []) -> (status: Int32, output: String) {
    let out = NSTemporaryDirectory() + "sluice-e2e-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: out) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
    var attr = posix_spawnattr_t()
    posix_spawnattr_init(&attr)
    defer { posix_spawnattr_destroy(&attr) }
    var mask = sigset_t()
    sigemptyset(&mask)
    for s in signals { sigaddset(&mask, s) }
    posix_spawnattr_setsigmask(&attr, &mask)
    posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETSIGMASK))
    var pid: pid_t = 0
    guard posix_spawnp(&pid, args[0], &actions, &attr, argv, envp) == 0 else { return (127, "cannot start \(args[0])") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    return ((status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), text)
}

/// A private tmux server (`-L`, `-f /dev/null`) running one command in a pane of a given size.
final class TmuxSession {
    let socket = "sluice-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let exitFile = NSTemporaryDirectory() + "sluice-e2e-exit-" + UUID().uuidString

    /// Starts `command` under `bash -c`, recording its exit status, then printing a marker and lingering.
    init(command: String, width: Int = 120, height: Int = 36) {
        let wrapped = "\(command); echo $? > \(exitFile); echo SLUICE-E2E-EXITED; sleep 30"
        // SIGWINCH starts blocked, as it is when a test's dispatch worker thread spawns tmux (its
        // panes inherit the mask): the program must take it back to see resizes.
        spawnAndWait(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "s", "-x", "\(width)", "-y", "\(height)",
                      "bash", "-c", wrapped], blocking: [SIGWINCH])
    }

    deinit {
        spawnAndWait(["tmux", "-L", socket, "kill-server"])
        try? FileManager.default.removeItem(atPath: exitFile)
    }

    func capture() -> String { spawnAndWait(["tmux", "-L", socket, "capture-pane", "-p", "-t", "s"]).output }

    func send(_ keys: String...) { spawnAndWait(["tmux", "-L", socket, "send-keys", "-t", "s"] + keys) }

    /// Sends text literally (no key-name lookup).
    func type(_ text: String) { spawnAndWait(["tmux", "-L", socket, "send-keys", "-t", "s", "-l", text]) }

    func resize(width: Int, height: Int) {
        spawnAndWait(["tmux", "-L", socket, "resize-window", "-t", "s", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Polls the screen until it satisfies the condition; returns the last capture.
    @discardableResult
    func waitFor(timeout: Double = 15, _ condition: (String) -> Bool) -> (ok: Bool, screen: String) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        var screen = capture()
        while !condition(screen) {
            if Date() > deadline { return (false, screen) }
            usleep(50_000)
            screen = capture()
        }
        return (true, screen)
    }

    func waitFor(_ text: String, timeout: Double = 15) -> (ok: Bool, screen: String) { waitFor(timeout: timeout) { $0.contains(text) } }

    /// The recorded exit status once the program has ended.
    func exitStatus(timeout: Double = 15) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if let s = try? String(contentsOfFile: exitFile, encoding: .utf8), let v = Int32(s.trimmingCharacters(in: .whitespacesAndNewlines)) { return v }
            usleep(50_000)
        }
        return nil
    }
}

/// The `sluice` binary built beside the tests.
enum SluiceExecutable {
    static var path: String {
        if let p = ProcessInfo.processInfo.environment["SLUICE_BIN"] { return p }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        if dir.hasSuffix(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
        return (dir as NSString).appendingPathComponent("sluice")
    }
}
