import ArgumentParser
import Foundation
import SluiceEngine

/// The `sluice` command: argument parsing and wiring only; the engine does the work.
@main
struct Sluice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Database change management for the terminal: issues, plans, approvals and staged rollouts.",
        subcommands: [
            InitCommand.self, DemoCommand.self, TUICommand.self, RunCommand.self,
            LoginCommand.self, LogoutCommand.self, WhoamiCommand.self,
            EnvCommand.self, InstanceCommand.self, DbCommand.self, MemberCommand.self, RoleCommand.self,
            ProjectCommand.self, FlowCommand.self, ApprovalRuleCommand.self, RiskCommand.self, SettingsCommand.self,
            IssueCommand.self, RolloutCommand.self, TaskCommand.self, SQLCommand.self, ReviewCommand.self,
        ]
    )

    /// Whether a word names a command or subcommand somewhere in the tree (for option hoisting).
    static func isCommandWord(_ word: String) -> Bool {
        func walk(_ c: any ParsableCommand.Type) -> Bool {
            c.configuration.subcommands.contains { sub in
                (sub.configuration.commandName ?? "") == word || sub._commandName == word || walk(sub)
            }
        }
        return walk(Sluice.self)
    }

    /// Parses and runs, mapping errors to the exit codes of CLI.md (usage errors exit 2).
    static func main() {
        do {
            var args = GlobalOptions.hoisted(Array(CommandLine.arguments.dropFirst()))
            // `sluice` alone (or with only global options) on a terminal opens the TUI (CLI.md).
            if Terminal.isInteractive, isatty(STDOUT_FILENO) == 1, !args.contains(where: { !$0.hasPrefix("-") && Sluice.isCommandWord($0) }),
               !args.contains(where: { ["-h", "--help", "--version"].contains($0) }) {
                args.insert("tui", at: 0)
            }
            var command = try parseAsRoot(args)
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch let e as SluiceError {
            Terminal.printError(e)
            Foundation.exit(e.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            // The parser's messages quote what was typed, which may hold escapes.
            FileHandle.standardError.write(Data((TerminalText.block(fullMessage(for: error)) + "\n").utf8))
            // ArgumentParser reports usage errors as EX_USAGE (64); the contract says 2.
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
