import SluiceEngine

/// A centred dialog: confirmation, a text prompt, sign-in, the new-issue form, the `?` menu.
public enum Dialog: Equatable, Sendable {
    case confirm(ConfirmDialog)
    case input(InputDialog)
    case signIn(SignInDialog)
    case createIssue(CreateIssueDialog)
    case help(HelpMenuState)
    case message(title: String, text: String)
    /// Quitting while the in-process engine runs tasks: wait, leave them to `sluice run`, or cancel.
    case quit
}

/// "Are you sure?" with focus on No; a protected environment asks for its name to be typed.
public struct ConfirmDialog: Equatable, Sendable {
    public var title: String
    public var text: String
    public var command: EngineCommand
    public var yesFocused = false
    /// When set, the user must type this (the environment name) before Yes works.
    public var typeToConfirm: String?
    public var typed = ""
}

/// A one-line text prompt (reject comment, skip reason, comment).
public struct InputDialog: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        case reject(issue: Int64)
        case skip(task: Int64)
        case comment(issue: Int64)
        case approve(issue: Int64)
    }
    public var title: String
    public var prompt: String
    public var text = ""
    public var purpose: Purpose
    public var optional = false
}

/// Sign-in when there is no session.
public struct SignInDialog: Equatable, Sendable {
    public var email = ""
    public var password = ""
    public var onPassword = false
    public var error: String?
    public var busy = false
    /// Who to sign in as, when the workspace says (a demo workspace names its members and password).
    public var hint: String?
    public init(hint: String? = nil, email: String = "") { self.hint = hint; self.email = email }
}

/// The new-issue form: project and title → targets per environment → SQL → preview → create.
public struct CreateIssueDialog: Equatable, Sendable {
    public enum Step: Int, Equatable, Sendable { case details, targets, sql, preview }
    public struct Target: Equatable, Sendable {
        public var environment: String
        public var database: String
        public var selected: Bool
    }
    public var step: Step = .details
    public var projects: [String]
    public var projectIndex = 0
    public var title = ""
    public var targets: [Target] = []
    public var targetIndex = 0
    public var sqlLines: [String] = [""]
    public var cursorLine = 0
    public var error: String?
    public var busy = false

    public var project: String? { projects.indices.contains(projectIndex) ? projects[projectIndex] : nil }
    public var sql: String { sqlLines.joined(separator: "\n") }
    public var selectedDatabases: [String] { targets.filter(\.selected).map(\.database) }
}

/// The `?` menu: what can be done here, filterable, runnable; refused actions show why.
public struct HelpMenuState: Equatable, Sendable {
    public var filter = ""
    public var selected = 0
    public init() {}
}
