import Foundation

/// The real `sluice` binary (built beside the test bundle, or `SLUICE_BIN`), started with
/// posix_spawn (Foundation's Process can hang inside swift test).
final class SluiceProcess {
    static var binary: String {
        if let p = ProcessInfo.processInfo.environment["SLUICE_BIN"] { return p }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        if dir.hasSuffix(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
        return (dir as NSString).appendingPathComponent("sluice")
    }

    let pid: pid_t
    let errPath: String

    init(home: String, _ args: [String]) throws {
        errPath = NSTemporaryDirectory() + "sluice-pg-proc-" + UUID().uuidString + ".err"
        var env = ProcessInfo.processInfo.environment
        env["SLUICE_HOME"] = home
        env["NO_COLOR"] = "1"
        env["SLUICE_KDF_COST"] = "test" // cheap password hashes for test members (docs/sign-in.md)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([Self.binary] + args).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, Self.binary, &actions, nil, argv, envp)
        guard rc == 0 else { throw TestServer.Failure(description: "cannot start \(Self.binary): \(rc)") }
        pid = child
    }

    /// Waits for the exit; returns (exit status, stderr).
    func wait() -> (Int32, String) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (code, (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    func kill9() { kill(pid, SIGKILL) }
}
