import Foundation
import SluiceEngine

/// The numbered panes of the left column, and the detail on the right.
public enum Pane: Int, Sendable, CaseIterable {
    case projects = 1, issues = 2, pipeline = 3, detail = 0
}

/// The tabs of the detail pane, in `]` order.
public enum DetailTab: Int, Sendable, CaseIterable {
    case overview, sql, checks, approvals, logs, history

    public var title: String {
        switch self {
        case .overview: "Overview"
        case .sql: "SQL"
        case .checks: "Checks"
        case .approvals: "Approvals"
        case .logs: "Logs"
        case .history: "History"
        }
    }
}

/// One row of the Pipeline pane: a stage header or one of its tasks.
public enum PipelineRow: Equatable, Sendable {
    case stage(Int)
    case task(stage: Int, task: Int)
}

/// The application state: a value the reducer changes and the renderer draws.
public struct AppState: Sendable {
    public var principal: Principal?
    public var workspaceName: String
    /// Live updates on (p pauses them).
    public var live = true
    public var loaded = false

    public var projects: [Project] = []
    public var issues: [Issue] = []
    /// Indexes into `issues` of the rows shown (project and filter applied).
    public var visibleIssues: [Int] = []
    public var environments: [Environment] = []
    public var databases: [TargetDatabase] = []

    public var focus: Pane = .issues
    public var tab: DetailTab = .overview
    public var projectIndex = 0
    public var issueIndex = 0
    public var pipelineIndex = 0
    /// First visible row of each scrolling list.
    public var issueTop = 0
    public var detailScroll = 0

    public var detail: IssueDetail?
    public var availability: IssueActionAvailability?
    /// Where the issue's approval flow stands for the signed-in member (the Approvals tab).
    public var approvalProgress: ApprovalProgress?
    /// The issue's stored plan checks, per task and kind (the Checks tab).
    public var planChecks: [PlanCheck]?
    /// SQL of the issue's sheets by sheet id.
    public var sheets: [Int64: String] = [:]
    public var pipeline: [PipelineRow] = []

    public var log = LogState()
    public var history = HistoryState()
    public var sessions = SessionsState()

    public var filter = FilterState()
    public var commandLine: CommandLineState?
    public var dialog: Dialog?
    public var message: StatusMessage?

    /// An issue opened by `:issue N` before the list knew of it.
    public var pendingIssueId: Int64?
    public var quitRequested = false
    /// Task runs the in-process engine holds (quitting while they run asks what to do with them).
    public var running: [HeldRun] = []
    /// How the app is leaving while tasks run, once chosen in the quit dialog.
    public var shutdown: ShutdownMode?
    /// Who to sign in as, shown in the sign-in dialog (a demo workspace names its members and password).
    public var signInHint: String?
    /// Themes `:theme` can switch to.
    public var themeNames: [String] = []
    public var size = Size(width: 120, height: 36)
    public var unicode = true
    /// The keymap in use, so hints show remapped keys.
    public var hintKeymap: Keymap?

    public init(workspaceName: String, principal: Principal? = nil) {
        self.workspaceName = workspaceName
        self.principal = principal
    }

    public var selectedProject: Project? { projects.indices.contains(projectIndex) ? projects[projectIndex] : nil }

    public var selectedIssue: Issue? {
        visibleIssues.indices.contains(issueIndex) ? issues[visibleIssues[issueIndex]] : nil
    }

    /// The task under the Pipeline cursor, else the first running (else latest-run) task.
    public var selectedTask: RolloutTask? {
        guard let detail else { return nil }
        if pipeline.indices.contains(pipelineIndex), case let .task(s, t) = pipeline[pipelineIndex] {
            return detail.stages[s].tasks[t]
        }
        let all = detail.stages.flatMap(\.tasks)
        return all.first { $0.status == .running } ?? all.last { $0.latestRun != nil } ?? all.first
    }

    public var selectedStage: StageDetail? {
        guard let detail, pipeline.indices.contains(pipelineIndex) else { return nil }
        switch pipeline[pipelineIndex] {
        case .stage(let s): return detail.stages[s]
        case .task(let s, _): return detail.stages[s]
        }
    }
}

public struct Size: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public init(width: Int, height: Int) { self.width = width; self.height = height }
}

/// The live task-run log of the Logs tab.
public struct LogState: Equatable, Sendable {
    public struct Line: Equatable, Sendable {
        public var time: String
        public var text: String
        public var role: Role
    }
    public var taskId: Int64?
    public var lines: [Line] = []
    public var lastLineId: Int64 = 0
    public var runs: [TaskRun] = []
    /// Follow the end (scrolling up stops it, G resumes).
    public var follow = true
    /// First visible line when not following.
    public var top = 0
    public var wrap = false
    public var loading = false
}

/// Migration history and schema diff of the History tab.
public struct HistoryState: Equatable, Sendable {
    public var database: String?
    public var records: [MigrationRecord] = []
    public var error: String?
    public var selected = 0
}

/// The server sessions (`pg_stat_activity`) on the database of the task the Logs tab shows,
/// while it runs on PostgreSQL; reloaded every tick.
public struct SessionsState: Equatable, Sendable {
    public var taskId: Int64?
    public var sessions: [DatabaseSession] = []
    public var error: String?
    public var loaded = false
}

/// The `/` filter of the Issues pane.
public struct FilterState: Equatable, Sendable {
    public var text = ""
    public var editing = false
}

/// The `:` command line.
public struct CommandLineState: Equatable, Sendable {
    public var text = ""
    /// The completion candidates for the current word.
    public var completions: [String] = []
}

/// What to do with the tasks the in-process engine runs, when quitting.
public enum ShutdownMode: Equatable, Sendable {
    /// Stop taking work, wait for the running tasks to end, then quit.
    case wait
    /// Cancel the running tasks (they roll back), then quit.
    case cancel
    /// Quit now; the runs are released for the next runner (`sluice run`) to take over.
    case release
}

/// A line in the status bar: the result of the last action.
public struct StatusMessage: Equatable, Sendable {
    public var text: String
    public var isError: Bool
}

extension AppState {
    public var layout: Layout { Layout(size: size, projectCount: projects.count, focus: focus) }
}
