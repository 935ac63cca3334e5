import Foundation
import TOMLKit

/// Which keys run which commands. Defaults follow TUI.md; `keymap.toml` remaps them.
public struct Keymap: Sendable, Equatable {
    public private(set) var bindings: [Command: [Key]]
    private var lookup: [Key: Command]

    public init(bindings: [Command: [Key]]) {
        self.bindings = bindings
        var lookup: [Key: Command] = [:]
        for command in Command.allCases { for key in bindings[command] ?? [] where lookup[key] == nil { lookup[key] = command } }
        self.lookup = lookup
    }

    public func command(for key: Key) -> Command? { lookup[key] }

    public func keys(for command: Command) -> [Key] { bindings[command] ?? [] }

    /// The first key of a command, for hints.
    public func label(_ command: Command) -> String { keys(for: command).first?.name ?? "?" }

    public static let standard = Keymap(bindings: [
        .down: [.char("j"), .down], .up: [.char("k"), .up], .top: [.char("g"), .home], .bottom: [.char("G"), .end],
        .pageUp: [.pageUp, .ctrl("u")], .pageDown: [.pageDown, .ctrl("d")],
        .nextPane: [.tab], .prevPane: [.backTab], .paneLeft: [.char("h"), .left], .paneRight: [.char("l"), .right],
        .projectsPane: [.char("1")], .issuesPane: [.char("2")], .pipelinePane: [.char("3")], .detailPane: [.char("0")],
        .nextTab: [.char("]")], .prevTab: [.char("[")],
        .open: [.enter], .back: [.esc], .quit: [.char("q")],
        .filter: [.char("/")], .searchNext: [.char("n")], .searchPrev: [.char("N")],
        .commandLine: [.char(":")], .help: [.char("?")],
        .approve: [.char("a")], .reject: [.char("x")], .rerequest: [.char("u")], .editSQL: [.char("e")],
        .newIssue: [.char("+")], .comment: [.char("m")], .resolve: [.char("D")], .runChecks: [.char("C")],
        .runStage: [.char("r")], .retryTask: [.char("R")], .skipTask: [.char("s")], .cancelRun: [.char("c")],
        .follow: [.char("f")], .wrap: [.char("w")], .refresh: [.ctrl("r")], .pauseLive: [.char("p")], .copy: [.char("y")],
    ])

    /// A problem in a keymap file, with its line when known.
    public struct LoadError: Error, Equatable, CustomStringConvertible {
        public var file: String
        public var line: Int?
        public var reason: String
        public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(reason)" }
    }

    /// Applies `[keys]` overrides (`approve = ["a", "ctrl-a"]` or `approve = "A"`) over the defaults.
    public static func load(toml text: String, file: String, base: Keymap = .standard) throws(LoadError) -> Keymap {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw LoadError(file: file, line: e.source.begin.line, reason: e.description)
        } catch { throw LoadError(file: file, line: nil, reason: "\(error)") }
        var bindings = base.bindings
        guard let keys = table["keys"]?.table else { return base }
        for name in keys.keys {
            let line = ThemeSource.line(of: name, in: text)
            guard let command = Command(rawValue: name) else {
                throw LoadError(file: file, line: line, reason: "unknown command '\(name)'")
            }
            var names: [String] = []
            if let s = keys[name]?.string { names = [s] } else if let a = keys[name]?.array { names = a.compactMap { $0.string } }
            var parsed: [Key] = []
            for n in names {
                guard let k = Key(name: n) else { throw LoadError(file: file, line: line, reason: "'\(n)' is not a key name") }
                parsed.append(k)
            }
            // A key taken by the new binding leaves its old command.
            for c in Command.allCases { bindings[c]?.removeAll { parsed.contains($0) } }
            bindings[command] = parsed
        }
        return Keymap(bindings: bindings)
    }

    /// `$XDG_CONFIG_HOME/sluice/keymap.toml` (else `~/.config/sluice/keymap.toml`).
    public static func userFile(environment env: [String: String]) -> String {
        (ThemeCatalog.configDir(environment: env) as NSString).appendingPathComponent("keymap.toml")
    }

    /// The markdown of `docs/keybindings.md`.
    public func markdown() -> String {
        var out = "# Key bindings\n\nGenerated from the default keymap by `sluice tui --keybindings-doc`; do not edit by hand.\n"
        out += "Remap keys in `$XDG_CONFIG_HOME/sluice/keymap.toml`, for example:\n\n```toml\n[keys]\napprove = [\"a\", \"A\"]\nrun_stage = \"r\"\n```\n"
        var group = ""
        for c in Command.allCases {
            if c.group != group {
                group = c.group
                out += "\n## \(group)\n\n| Keys | Command | What it does |\n|---|---|---|\n"
            }
            let keys = keys(for: c).map { "`\($0.name)`" }.joined(separator: ", ")
            out += "| \(keys) | `\(c.rawValue)` | \(c.summary) |\n"
        }
        out += "\nAlways: `ctrl-c` quits; in dialogs `y`/`n`, `Tab` and `Enter` answer and `Esc` closes.\n"
        out += "The UI owns the terminal while it runs: flow control and signal keys are off, so `ctrl-s`, `ctrl-q`, `ctrl-c`, "
            + "`ctrl-z` and `ctrl-\\` reach it as keys; the terminal's settings are put back exactly on exit.\n"
        out += "\n## Quitting while tasks run\n\n"
            + "When the engine in this process runs tasks, `q` or `ctrl-c` first says what runs where and offers: "
            + "`w` wait for them to end, then quit; `l` leave them to `sluice run` (released at once: the next runner fences "
            + "and settles them, and runs them again if nothing was committed); `c` cancel them (rolled back), then quit; "
            + "`Esc` stay. A second `ctrl-c` (or `q`) leaves them to `sluice run`, at once, also while waiting or canceling.\n"
        out += "\n## The `:` command line\n\n| Command | What it does |\n|---|---|\n"
            + "| `:issue N` | open issue N |\n| `:project KEY` | show that project's issues |\n"
            + "| `:env NAME` | select that stage of the open issue |\n"
            + "| `:tab NAME` | show a detail tab (overview, sql, checks, approvals, logs, history) |\n"
            + "| `:new` | new issue |\n| `:theme` / `:theme NAME` | list the themes / switch to one |\n"
            + "| `:refresh` | reload now |\n| `:quit` | quit (as `q`) |\n\n"
            + "`Tab` completes, `ctrl-u` clears the line, `ctrl-w` deletes a word, `Esc` closes; a command that cannot "
            + "run says why.\n"
        return out
    }
}
