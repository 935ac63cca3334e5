import Foundation
import SluiceEngine

/// Something that happened: a key, an engine result, a tick. The reducer turns it into state.
public enum Action: Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resized(Size)
    case tick
    case workspaceLoaded(WorkspaceSnapshot)
    case issueLoaded(IssueSnapshot)
    case issueLoadFailed(Int64, String)
    case logLoaded(task: Int64, runs: [TaskRun], lines: [TaskRunLogLine], reset: Bool)
    case historyLoaded(database: String, records: [MigrationRecord], error: String?)
    /// The server sessions on a running task's database (nil error: loaded).
    case sessionsLoaded(task: Int64, sessions: [DatabaseSession], error: String?)
    /// The metastore changed (another process, or the in-process engine).
    case workspaceChanged
    case signedIn(Principal, notice: String? = nil)
    case signInFailed(String)
    case commandSucceeded(EngineCommand, message: String, issue: Int64?)
    case commandFailed(EngineCommand, message: String)
    case editorFinished(EditorPurpose, text: String?)
    /// `:theme NAME` was applied (nil error) or refused.
    case themeChanged(name: String, error: String?)
    /// The runs the in-process engine holds changed.
    case runningChanged([HeldRun])
    /// A quit found runs still held: ask what to do with them.
    case quitBlocked([HeldRun])
    /// The engine stopped after a wait or a cancel chosen in the quit dialog.
    case shutdownFinished
}

/// The lists of the left panes.
public struct WorkspaceSnapshot: Sendable {
    public var projects: [Project]
    public var issues: [Issue]
    public var environments: [Environment]
    public var databases: [TargetDatabase]
    public init(projects: [Project], issues: [Issue], environments: [Environment], databases: [TargetDatabase]) {
        self.projects = projects; self.issues = issues; self.environments = environments; self.databases = databases
    }
}

/// One issue in full, with its SQL, what the member may do, where its approval stands and its plan checks.
public struct IssueSnapshot: Sendable {
    public var detail: IssueDetail
    public var sheets: [Int64: String]
    public var availability: IssueActionAvailability?
    public var approvalProgress: ApprovalProgress?
    public var planChecks: [PlanCheck]?
    public init(detail: IssueDetail, sheets: [Int64: String], availability: IssueActionAvailability?,
                approvalProgress: ApprovalProgress? = nil, planChecks: [PlanCheck]? = nil) {
        self.detail = detail; self.sheets = sheets; self.availability = availability
        self.approvalProgress = approvalProgress; self.planChecks = planChecks
    }
}

/// What an external editor session is for.
public enum EditorPurpose: Equatable, Sendable {
    case newIssueSQL
    case editSpec(issue: Int64, spec: String)
}

/// An engine call the user asked for.
public enum EngineCommand: Equatable, Sendable {
    case approve(issue: Int64, comment: String?)
    case reject(issue: Int64, comment: String)
    case rerequest(issue: Int64)
    case runStage(issue: Int64, environment: String?)
    case retry(task: Int64)
    case skip(task: Int64, reason: String)
    case cancel(task: Int64)
    case comment(issue: Int64, text: String)
    case runChecks(issue: Int64)
    case resolve(issue: Int64)
    case createIssue(project: String, title: String, sql: String, databases: [String])
    case editSQL(issue: Int64, spec: String, sql: String)
}

/// Work the reducer asks for; executed off the UI thread, results come back as actions.
public enum Effect: Equatable, Sendable {
    case loadWorkspace
    case loadIssue(Int64)
    case loadLog(task: Int64, after: Int64)
    case loadHistory(database: String)
    case loadSessions(task: Int64)
    case perform(EngineCommand)
    case signIn(email: String, password: String)
    case openEditor(EditorPurpose, initial: String)
    case copy(String)
    case quit
    /// Switch to the named theme (`:theme NAME`).
    case setTheme(String)
    /// Leave while tasks run, as chosen in the quit dialog.
    case shutdown(ShutdownMode)
}
