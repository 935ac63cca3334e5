import ArgumentParser
import Foundation
import SluiceEngine

/// PostgreSQL instance flags shared by `instance add` and `instance set`.
struct PostgresInstanceOptions: ParsableArguments {
    @Flag(help: "PostgreSQL: read the server password from standard input; it is stored encrypted (else .pgpass, PGPASSWORD or passfile= apply).")
    var serverPasswordStdin = false
    @Option(parsing: .unconditional, help: "PostgreSQL: lock_timeout of each task in seconds (default 10; 0 = none).")
    var lockTimeout: Double?
    @Option(parsing: .unconditional, help: "PostgreSQL: statement_timeout of each task in seconds (default 1800; 0 = none).")
    var statementTimeout: Double?

    /// The timeouts in milliseconds, refused (not trapped on) when infinite, negative or too large.
    func lockTimeoutMs() throws -> Int? { try lockTimeout.map { try Limits.milliseconds($0, Limits.lockTimeoutSeconds) } }
    func statementTimeoutMs() throws -> Int? { try statementTimeout.map { try Limits.milliseconds($0, Limits.statementTimeoutSeconds) } }

    func password() throws -> String? {
        guard serverPasswordStdin else { return nil }
        return try Terminal.readLine(prompt: nil)
    }
}

/// `sluice instance set NAME`: a PostgreSQL instance's timeouts and stored password.
struct InstanceSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a PostgreSQL instance's timeouts or stored password.")
    @OptionGroup var global: GlobalOptions
    @Argument var name: String
    @OptionGroup var postgres: PostgresInstanceOptions
    @Flag(help: "Forget the stored password (libpq's .pgpass and PGPASSWORD apply).") var clearPassword = false
    @Option(help: "Login role plan checks connect as, so unapproved SQL runs with its privileges only (see the README for a setup).")
    var checkRole: String?
    @Flag(help: "Forget the check role: dry runs are then limited to EXPLAIN, which reads no data.") var noCheckRole = false
    func run() throws {
        try runCommand {
            let ctx = try CommandContext(global)
            let s = try ctx.workspace.updatePostgresInstance(by: try ctx.principal(), name: name, password: try postgres.password(),
                                                             clearPassword: clearPassword, lockTimeoutMs: try postgres.lockTimeoutMs(),
                                                             statementTimeoutMs: try postgres.statementTimeoutMs(),
                                                             checkRole: checkRole, clearCheckRole: noCheckRole)
            try ctx.emit(s) {
                "Instance \(s.instance): lock_timeout \(s.lockTimeoutMs) ms, statement_timeout \(s.statementTimeoutMs) ms, "
                    + (s.passwordStored ? "password stored (encrypted)" : "no stored password") + ", "
                    + (s.checkRole.map { "plan checks connect as \($0)" } ?? "no check role (dry runs limited to EXPLAIN)")
            }
        }
    }
}

/// `sluice db sessions INSTANCE/DB`: the server's sessions on a database.
struct DbSessionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "sessions", abstract: "Server sessions on a PostgreSQL database (pg_stat_activity).")
    @OptionGroup var global: GlobalOptions
    @Argument var database: String
    func run() throws {
        try runCommand {
            let ctx = try CommandContext(global)
            let rows = try ctx.workspace.sessions(try DatabaseRef(parsing: database), by: try ctx.principal())
            try ctx.emit(rows) {
                rows.isEmpty ? "No other sessions on \(database)." :
                Output.table(["PID", "USER", "APPLICATION", "STATE", "WAIT", "QUERY START", "SECONDS", "QUERY"], rows.map {
                    ["\($0.pid)", $0.user, $0.application, $0.state, $0.waitEvent.isEmpty ? "-" : $0.waitEvent, $0.queryStart ?? "-",
                     $0.queryMs.map { String(format: "%.1f", $0 / 1000) } ?? "-",
                     String($0.query.split(whereSeparator: \.isNewline).joined(separator: " ").prefix(80))]
                })
            }
        }
    }
}
