import ArgumentParser
import Foundation
import SluiceEngine

/// Options every command takes: which workspace, who acts, and the output form.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Workspace directory (env SLUICE_HOME).")
    var home: String?

    @Option(name: .long, help: "Acting member's email (env SLUICE_USER); password from SLUICE_PASSWORD, --password-stdin or a prompt.")
    var user: String?

    @Flag(name: .long, help: "Read the acting member's password from standard input.")
    var passwordStdin = false

    @Flag(name: .long, help: "Print one JSON document on stdout.")
    var json = false

    var env: [String: String] { ProcessInfo.processInfo.environment }

    /// Lets global options come before the subcommand (`sluice --home DIR issue list`) by moving
    /// them after it, where every subcommand declares them.
    static func hoisted(_ args: [String]) -> [String] {
        var leading: [String] = []
        var i = 0
        while i < args.count {
            let a = args[i]
            if a == "--json" || a == "--password-stdin" {
                leading.append(a); i += 1
            } else if (a == "--home" || a == "--user") && i + 1 < args.count {
                leading += [a, args[i + 1]]; i += 2
            } else if a.hasPrefix("--home=") || a.hasPrefix("--user=") {
                leading.append(a); i += 1
            } else {
                break
            }
        }
        guard !leading.isEmpty, i < args.count else { return args }
        // Insert right after the subcommand path (the leading words that are not options).
        var rest = Array(args[i...])
        var path = 0
        while path < rest.count, !rest[path].hasPrefix("-"), Sluice.isCommandWord(rest[path]) { path += 1 }
        rest.insert(contentsOf: leading, at: path)
        return rest
    }

    var resolvedHome: String {
        if let home { return (home as NSString).expandingTildeInPath }
        return Workspace.defaultHome()
    }
}
