import Foundation

/// Drives the real `sluice` binary built beside the test bundle.
struct SluiceBinary {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var path: String {
        if let p = ProcessInfo.processInfo.environment["SLUICE_BIN"] { return p }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = (exe as NSString).deletingLastPathComponent
        // The test runner sits in X.xctest (a file on Linux) next to the products.
        if dir.hasSuffix(".xctest") { dir = (dir as NSString).deletingLastPathComponent }
        return (dir as NSString).appendingPathComponent("sluice")
    }

    let home: String
    var env: [String: String] = [:]

    /// Runs `sluice ARGS` to completion, optionally feeding stdin.
    @discardableResult
    func run(_ args: [String], user: String? = nil, password: String? = nil, stdin: String? = nil) throws -> Result {
        let p = try start(args, user: user, password: password, stdin: stdin)
        return try p.wait()
    }

    func start(_ args: [String], user: String? = nil, password: String? = nil, stdin: String? = nil) throws -> Spawned {
        var environment = ProcessInfo.processInfo.environment
        environment["SLUICE_HOME"] = home
        environment["NO_COLOR"] = "1"
        environment["SLUICE_KDF_COST"] = "test" // cheap password hashes for test members (docs/sign-in.md)
        environment.removeValue(forKey: "SLUICE_USER")
        environment.removeValue(forKey: "SLUICE_PASSWORD")
        if let user { environment["SLUICE_USER"] = user }
        if let password { environment["SLUICE_PASSWORD"] = password }
        for (k, v) in env { environment[k] = v }
        return try Spawned(path: SluiceBinary.path, args: args, env: environment, stdin: stdin)
    }
}

/// A child process started with posix_spawn (Foundation's Process can hang inside swift test).
final class Spawned {
    let pid: pid_t
    let outPath: String
    let errPath: String

    init(path: String, args: [String], env: [String: String], stdin: String?) throws {
        let base = NSTemporaryDirectory() + "sluice-proc-" + UUID().uuidString
        outPath = base + ".out"
        errPath = base + ".err"
        let inPath = base + ".in"
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([path] + args).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, path, &actions, nil, argv, envp)
        guard rc == 0 else { throw NSError(domain: "spawn", code: Int(rc), userInfo: [NSLocalizedDescriptionKey: "cannot start \(path)"]) }
        pid = child
    }

    func wait() throws -> SluiceBinary.Result {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return SluiceBinary.Result(status: code, stdout: out, stderr: err)
    }

    func kill9() { kill(pid, SIGKILL) }
}
