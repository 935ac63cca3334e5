/// Everything a key can be bound to. Names are the keys of `keymap.toml`.
public enum Command: String, CaseIterable, Sendable {
    case down, up, top, bottom, pageUp = "page_up", pageDown = "page_down"
    case nextPane = "next_pane", prevPane = "prev_pane", paneLeft = "pane_left", paneRight = "pane_right"
    case projectsPane = "projects_pane", issuesPane = "issues_pane", pipelinePane = "pipeline_pane", detailPane = "detail_pane"
    case nextTab = "next_tab", prevTab = "prev_tab"
    case open, back, quit
    case filter, searchNext = "search_next", searchPrev = "search_prev"
    case commandLine = "command_line", help
    case approve, reject, rerequest, editSQL = "edit_sql", newIssue = "new_issue", comment, resolve, runChecks = "run_checks"
    case runStage = "run_stage", retryTask = "retry_task", skipTask = "skip_task", cancelRun = "cancel_run"
    case follow, wrap, refresh, pauseLive = "pause_live", copy

    /// Where the command applies, for the docs and the `?` menu.
    public var group: String {
        switch self {
        case .down, .up, .top, .bottom, .pageUp, .pageDown: "Move"
        case .nextPane, .prevPane, .paneLeft, .paneRight, .projectsPane, .issuesPane, .pipelinePane, .detailPane: "Panes"
        case .nextTab, .prevTab: "Tabs"
        case .open, .back, .quit: "Open, back, quit"
        case .filter, .searchNext, .searchPrev, .commandLine, .help: "Find and command"
        case .approve, .reject, .rerequest, .editSQL, .newIssue, .comment, .resolve, .runChecks: "Issue"
        case .runStage, .retryTask, .skipTask, .cancelRun: "Rollout"
        case .follow, .wrap: "Logs"
        case .refresh, .pauseLive, .copy: "Live and copy"
        }
    }

    public var summary: String {
        switch self {
        case .down: "move down"
        case .up: "move up"
        case .top: "go to the first row"
        case .bottom: "go to the last row (in Logs: resume following)"
        case .pageUp: "page up"
        case .pageDown: "page down"
        case .nextPane: "next pane"
        case .prevPane: "previous pane"
        case .paneLeft: "pane to the left"
        case .paneRight: "pane to the right (the detail)"
        case .projectsPane: "jump to Projects"
        case .issuesPane: "jump to Issues"
        case .pipelinePane: "jump to Pipeline"
        case .detailPane: "jump to the detail"
        case .nextTab: "next detail tab"
        case .prevTab: "previous detail tab"
        case .open: "open the selected item"
        case .back: "back, close, clear the filter"
        case .quit: "quit (at top level)"
        case .filter: "filter issues"
        case .searchNext: "next match"
        case .searchPrev: "previous match"
        case .commandLine: "command line (:issue 12, :project DEMO, :env prod, :new)"
        case .help: "what can be done here"
        case .approve: "approve the issue"
        case .reject: "reject the issue (asks a comment)"
        case .rerequest: "re-request review after a rejection"
        case .editSQL: "edit the SQL in $EDITOR"
        case .newIssue: "new issue"
        case .comment: "comment on the issue"
        case .resolve: "resolve the issue"
        case .runChecks: "run the plan checks again (connect, review, summary, dry run)"
        case .runStage: "run the next stage"
        case .retryTask: "retry the selected task"
        case .skipTask: "skip the selected task (asks a reason)"
        case .cancelRun: "cancel the selected task's run"
        case .follow: "follow the log"
        case .wrap: "wrap log lines"
        case .refresh: "refresh now"
        case .pauseLive: "pause or resume live updates"
        case .copy: "copy the selection (OSC 52)"
        }
    }

    /// A short label for the status bar.
    public var hint: String {
        switch self {
        case .approve: "approve"
        case .reject: "reject"
        case .rerequest: "re-request"
        case .runChecks: "re-check"
        case .runStage: "rollout"
        case .retryTask: "retry"
        case .skipTask: "skip"
        case .cancelRun: "cancel"
        case .help: "help"
        case .commandLine: "command"
        case .quit: "quit"
        case .filter: "filter"
        case .newIssue: "new"
        case .follow: "follow"
        case .wrap: "wrap"
        case .nextTab: "tab"
        case .open: "open"
        default: rawValue
        }
    }
}
