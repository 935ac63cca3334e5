import ArgumentParser
import Foundation
import SluiceEngine

extension MemberCommand {
    /// `sluice member password [EMAIL]`: change your own password, or (members.manage) set another's.
    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change your password, or (members.manage) set another member's.",
            discussion: """
            Without EMAIL (or with your own) you change your own password and must give the current one: \
            it comes from SLUICE_PASSWORD or a prompt, the new one from SLUICE_NEW_PASSWORD or a prompt \
            (asked twice). With --password-stdin, standard input holds two lines: the current password, then the new one. \
            With another member's EMAIL an admin sets it without the old one; the acting member signs in \
            through the saved session or SLUICE_USER/SLUICE_PASSWORD, and the new password comes from \
            standard input (--password-stdin), SLUICE_NEW_PASSWORD or a prompt. \
            New passwords need at least \(SignInPolicy.minimumPasswordLength) characters. Every session of the member ends \
            (your own saved session is renewed).
            """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The member whose password to set (default: you).") var email: String?

        struct Changed: Encodable { var email: String; var changed = true; var sessionsEnded = true }

        func run() throws {
            try runCommand {
                var options = global
                options.passwordStdin = false
                let ctx = try CommandContext(options)
                let me = try ctx.ownEmail()
                if let target = email, target.lowercased() != me?.lowercased() {
                    let actor = try ctx.principal()
                    let new = try global.passwordStdin ? Terminal.readLine(prompt: nil) : newPassword(for: target)
                    try ctx.workspace.resetPassword(by: actor, email: target, new: new)
                    try ctx.emit(Changed(email: target)) { "Password set for \(target); their sessions have ended." }
                    return
                }
                guard let me else {
                    throw SluiceError(.permissionDenied, "not signed in: whose password should change?",
                                      hint: "Run `sluice login EMAIL` first, or set SLUICE_USER (or pass --user EMAIL).")
                }
                let current: String, new: String
                if global.passwordStdin {
                    current = try Terminal.readLine(prompt: nil)
                    new = try Terminal.readLine(prompt: nil)
                } else {
                    current = try Terminal.password(for: me, fromStdin: false, envVar: "SLUICE_PASSWORD")
                    new = try newPassword(for: me)
                }
                let p = try ctx.workspace.changePassword(email: me, current: current, new: new, source: SignInSource.localUser)
                if ctx.savedSession()?.email.lowercased() == p.email.lowercased() {
                    try ctx.saveSession(SavedSession(email: p.email, token: try ctx.workspace.createSession(for: p)))
                }
                try ctx.emit(Changed(email: p.email)) { "Password changed for \(p.email); its other sessions have ended." }
            }
        }

        /// The new password: SLUICE_NEW_PASSWORD, else a prompt asked twice.
        private func newPassword(for email: String) throws -> String {
            if let p = ProcessInfo.processInfo.environment["SLUICE_NEW_PASSWORD"] { return p }
            guard Terminal.isInteractive else {
                throw SluiceError.usage("no new password for \(email)", hint: "Set SLUICE_NEW_PASSWORD or pass --password-stdin.")
            }
            let first = try Terminal.readSecret(prompt: "New password for \(email) (at least \(SignInPolicy.minimumPasswordLength) characters): ")
            let again = try Terminal.readSecret(prompt: "Repeat the new password: ")
            guard first == again else { throw SluiceError.usage("the two new passwords differ", hint: "Run the command again.") }
            return first
        }
    }

    /// `sluice member sign-ins`: the sign-in throttle's counters.
    struct SignIns: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-ins",
            abstract: "Recent failed sign-ins per member email and per source, and any running wait (members.manage).")
        @OptionGroup var global: GlobalOptions
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let rows = try ctx.workspace.signInThrottles(by: try ctx.principal())
                try ctx.emit(rows) {
                    rows.isEmpty ? "No failed sign-ins in the last 24 hours." : Output.table(
                        ["SCOPE", "KEY", "FAILURES", "REFUSED", "LAST FAILURE", "WAIT UNTIL", "LAST SOURCE"],
                        rows.map { [$0.scope, $0.key, "\($0.failures)", "\($0.refused)", Output.iso($0.lastFailureAt),
                                    $0.lockedUntil.map(Output.iso) ?? "-", $0.lastSource] })
                }
            }
        }
    }

    /// `sluice member unlock EMAIL | --source S`: forget failed sign-ins, ending a wait.
    struct Unlock: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forget the failed sign-ins of a member email, or of a source with --source, ending any wait (members.manage).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The member email (known or not).") var email: String?
        @Option(help: "A source as `sluice member sign-ins` shows it, e.g. \"local uid 1000 (alice)\".") var source: String?
        func run() throws {
            try runCommand {
                let ctx = try CommandContext(global)
                let cleared = try ctx.workspace.clearSignInThrottle(by: try ctx.principal(), member: email, source: source)
                let what = email ?? source ?? ""
                try ctx.emit(["cleared": cleared]) {
                    cleared ? "Failed sign-ins for \(what) forgotten." : "No failed sign-ins recorded for \(what)."
                }
            }
        }
    }
}

extension CommandContext {
    /// Who the caller says they are: --user/SLUICE_USER, else the saved session's member (nil when neither).
    func ownEmail() throws -> String? {
        if let email = options.user ?? options.env["SLUICE_USER"], !email.isEmpty { return email }
        guard let saved = savedSession() else { return nil }
        return try workspace.principal(forSession: saved.token)?.email
    }
}
