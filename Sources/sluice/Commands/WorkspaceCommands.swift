import ArgumentParser
import Foundation
import SluiceEngine
import SluiceTUI

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create an empty workspace with its first admin.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Email of the first admin.") var admin: String
    @Option(help: "Display name of the admin.") var name: String?

    func run() throws {
        try runCommand {
            let ctx = try CommandContext(global, create: true)
            let password = try Terminal.password(for: admin, fromStdin: global.passwordStdin, envVar: "SLUICE_PASSWORD")
            let p = try ctx.workspace.initialise(adminEmail: admin, name: name, password: password)
            try ctx.emit(["home": ctx.workspace.home, "admin": p.email]) {
                "Workspace created at \(ctx.workspace.home) with admin \(p.email).\nNext: sluice login \(p.email); sluice env add test --order 0 --auto-rollout"
            }
        }
    }
}

struct TUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tui", abstract: "The terminal UI.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Theme name: dark, light, ansi, high-contrast or one in $XDG_CONFIG_HOME/sluice/themes (env SLUICE_THEME).")
    var theme: String?
    @Flag(help: "Print docs/keybindings.md (generated from the keymap) and exit.")
    var keybindingsDoc = false

    func run() throws {
        if keybindingsDoc {
            print(Keymap.standard.markdown(), terminator: "")
            return
        }
        try runCommand {
            guard Terminal.isInteractive, isatty(STDOUT_FILENO) == 1 else {
                throw SluiceError.usage("the terminal UI needs a terminal", hint: "Run it in a terminal, or use the commands (`sluice --help`).")
            }
            let ctx = try CommandContext(global)
            // A saved session or SLUICE_USER signs in at once; otherwise the UI asks.
            let principal: Principal? = (try? ctx.principal())
            var config = TUIConfiguration(workspace: ctx.workspace, principal: principal, themeName: theme)
            config.onSignIn = { p in
                if let token = try? ctx.workspace.createSession(for: p) { try? ctx.saveSession(SavedSession(email: p.email, token: token)) }
            }
            let status = try TUIApp.run(config)
            if status != 0 { throw ExitCode(status) }
        }
    }
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the engine headless: schedule and execute task runs.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Return once nothing is runnable and nothing is running.") var untilIdle = false
    @Option(parsing: .unconditional, help: "Maximum tasks executing at once in this process (1 to 256).") var workers: Int = 8
    @Option(parsing: .unconditional,
            help: "Seconds a claim on a task lasts unless this runner renews it; past it another runner settles the task and fences this one out (0.5 to 3600).")
    var lease: Double = RolloutScheduler.leaseSeconds
    @Flag(help: "Print nothing per task.") var quiet = false

    func run() throws {
        try runCommand {
            try RolloutScheduler.Options.validate(workers: workers, leaseSeconds: lease)
            let ctx = try CommandContext(global)
            let scheduler = try RolloutScheduler(workspace: ctx.workspace, options: .init(workers: workers, leaseSeconds: lease))
            let json = global.json
            if !quiet {
                scheduler.setObserver { event in
                    switch event {
                    case let .runFinished(run, task, status):
                        if json {
                            print(#"{"event":"runFinished","taskRunId":\#(run),"taskId":\#(task),"status":"\#(status.rawValue)"}"#)
                        } else {
                            print("task #\(task) run #\(run) \(status.rawValue)")
                        }
                    case let .reconciled(run, status):
                        if !json { print("run #\(run) recovered after a crash: \(status.rawValue)") }
                    default: break
                    }
                }
            }
            if untilIdle {
                try scheduler.runUntilIdle()
                return
            }
            signal(SIGINT, SIG_IGN)
            signal(SIGTERM, SIG_IGN)
            let done = DispatchSemaphore(value: 0)
            var sources: [any DispatchSourceSignal] = []
            for sig in [SIGINT, SIGTERM] {
                let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
                src.setEventHandler { done.signal() }
                src.resume()
                sources.append(src)
            }
            scheduler.start()
            Terminal.note("sluice run: scheduling with \(workers) worker(s); ctrl-c stops after the running tasks end")
            done.wait()
            Terminal.note("stopping: waiting for running tasks to end")
            scheduler.stop()
            _ = sources
        }
    }
}

struct LoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "login", abstract: "Sign in and save a session token (file mode 0600).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Member email.") var email: String

    func run() throws {
        try runCommand {
            var options = global
            options.user = email
            let ctx = try CommandContext(options)
            let p = try ctx.principal()
            try ctx.saveSession(SavedSession(email: p.email, token: try ctx.workspace.createSession(for: p)))
            try ctx.emit(p) { "Signed in as \(p.email) (\(p.role))." }
        }
    }
}

struct LogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "End the saved session.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try runCommand {
            let ctx = try CommandContext(global)
            if let saved = ctx.savedSession() { try ctx.workspace.endSession(token: saved.token) }
            try? FileManager.default.removeItem(atPath: ctx.sessionFile)
            try ctx.emit(["signedOut": true]) { "Signed out." }
        }
    }
}

struct WhoamiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show the signed-in member.")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        try runCommand {
            let ctx = try CommandContext(global)
            let p = try ctx.principal()
            try ctx.emit(p) { "\(p.email) (\(p.name), \(p.role)) in \(ctx.workspace.home)" }
        }
    }
}
