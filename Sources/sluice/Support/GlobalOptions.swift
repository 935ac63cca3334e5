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

    var resolvedHome: String {
        if let home { return (home as NSString).expandingTildeInPath }
        return Workspace.defaultHome()
    }
}
