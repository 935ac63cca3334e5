import Foundation
import SluiceEngine

/// What the front end passes in: the workspace, who is signed in, theme and keymap choices.
public struct TUIConfiguration: @unchecked Sendable {
    public var workspace: Workspace
    public var principal: Principal?
    public var themeName: String?
    public var environment: [String: String]
    /// Saves a session after sign-in in the dialog.
    public var onSignIn: (@Sendable (Principal) -> Void)?
    /// Run the engine in this process (as `sluice run` does).
    public var runScheduler = true
    /// Where to log, since nothing may print while the screen is active.
    public var logFile: String?

    public init(workspace: Workspace, principal: Principal?, themeName: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.workspace = workspace
        self.principal = principal
        self.themeName = themeName
        self.environment = environment
    }

    /// The keymap: defaults plus `keymap.toml` if present; a broken file gives the defaults and a warning.
    public func keymap() -> (Keymap, String?) {
        let path = Keymap.userFile(environment: environment)
        guard let data = FileManager.default.contents(atPath: path) else { return (.standard, nil) }
        do {
            return (try Keymap.load(toml: String(decoding: data, as: UTF8.self), file: path), nil)
        } catch {
            return (.standard, "keymap \(error.description); using the default keys")
        }
    }
}
