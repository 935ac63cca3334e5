import ArgumentParser
import Foundation
import SluiceEngine

/// What a command needs: the workspace, the acting member, and output helpers.
struct CommandContext {
    let options: GlobalOptions
    let workspace: Workspace

    init(_ options: GlobalOptions, create: Bool = false) throws {
        self.options = options
        self.workspace = try Workspace(home: options.resolvedHome, create: create)
    }

    var sessionFile: String { (workspace.home as NSString).appendingPathComponent("session") }

    /// The acting member: `--user`/SLUICE_USER with a password, else the saved login session.
    func principal() throws -> Principal {
        if let email = options.user ?? options.env["SLUICE_USER"], !email.isEmpty {
            return try signIn(email: email, password: try password(for: email)).principal
        }
        if let saved = savedSession(), let p = try workspace.principal(forSession: saved.token) {
            return p
        }
        throw SluiceError(.permissionDenied, "not signed in",
                          hint: "Run `sluice login EMAIL`, or set SLUICE_USER and SLUICE_PASSWORD (or pass --user EMAIL --password-stdin).")
    }

    /// Signs in with a password from this OS user (the throttle's source), warning on stderr when
    /// the password is shorter than new ones may be.
    func signIn(email: String, password: String) throws -> SignInResult {
        let result = try workspace.signIn(email: email, password: password, source: SignInSource.localUser)
        if let notice = result.notice {
            Terminal.note("warning: \(notice) Change it with `sluice member password`.")
        }
        return result
    }

    /// The session saved by `sluice login` in this workspace, if any.
    func savedSession() -> SavedSession? {
        FileManager.default.contents(atPath: sessionFile).flatMap { try? JSONDecoder().decode(SavedSession.self, from: $0) }
    }

    /// Saves a session token readable only by its owner.
    func saveSession(_ session: SavedSession) throws {
        let data = try JSONEncoder().encode(session)
        try? FileManager.default.removeItem(atPath: sessionFile)
        guard FileManager.default.createFile(atPath: sessionFile, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw SluiceError.failure("cannot write \(sessionFile)", hint: "Check that the workspace directory is writable.")
        }
    }

    func password(for email: String) throws -> String {
        try Terminal.password(for: email, fromStdin: options.passwordStdin, envVar: "SLUICE_PASSWORD")
    }

    /// Prints a value as JSON on stdout.
    func printJSON<T: Encodable>(_ value: T) throws {
        print(try Output.json(value))
    }

    /// Prints JSON when asked, the human form otherwise.
    func emit<T: Encodable>(_ value: T, human: () -> String) throws {
        if options.json { try printJSON(value) } else {
            let text = human()
            if !text.isEmpty { print(text) }
        }
    }
}

struct SavedSession: Codable {
    var email: String
    var token: String
}

/// Runs a command body, turning engine errors into a message on stderr and the contract's exit code.
func runCommand(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as SluiceError {
        Terminal.printError(e)
        throw ExitCode(e.exitCode)
    }
}
