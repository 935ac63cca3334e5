/// A semantic style role: what a cell *is*; the theme decides how it looks.
/// Names are the dotted keys of theme files (TUI.md "Themes").
public enum Role: UInt8, CaseIterable, Sendable {
    // Chrome
    case text, dim, border, borderFocused, title, titleFocused, selection, selectionUnfocused
    case tab, tabActive, statusbar, keyhintKey, keyhintText, live, paused, error, message
    case dialog, dialogBorder, button, buttonFocused, input, filter, header, tooSmall
    // Task status
    case statusNotStarted, statusPending, statusRunning, statusDone, statusFailed, statusCanceled, statusSkipped, statusBlocked
    // Issue and approval states
    case issueOpen, issueDone, issueCanceled
    case approvalChecking, approvalPending, approvalApproved, approvalRejected, approvalSkipped
    // Risk, checks, environments
    case riskLow, riskModerate, riskHigh
    case checkSuccess, checkWarning, checkError
    case envNormal, envProduction
    // Diff, SQL, logs
    case diffAdded, diffRemoved, diffContext
    case sqlKeyword, sqlString, sqlNumber, sqlComment, sqlIdentifier, sqlOperator, sqlText
    case logTime, logInfo, logStatement, logError, logDone

    /// The theme key of the role.
    public var name: String {
        switch self {
        case .text: "ui.text"
        case .dim: "ui.text.dim"
        case .border: "ui.border"
        case .borderFocused: "ui.border.focused"
        case .title: "ui.title"
        case .titleFocused: "ui.title.focused"
        case .selection: "ui.selection"
        case .selectionUnfocused: "ui.selection.unfocused"
        case .tab: "ui.tab"
        case .tabActive: "ui.tab.active"
        case .statusbar: "ui.statusbar"
        case .keyhintKey: "ui.keyhint.key"
        case .keyhintText: "ui.keyhint.text"
        case .live: "ui.live"
        case .paused: "ui.live.paused"
        case .error: "ui.error"
        case .message: "ui.message"
        case .dialog: "ui.dialog"
        case .dialogBorder: "ui.dialog.border"
        case .button: "ui.button"
        case .buttonFocused: "ui.button.focused"
        case .input: "ui.input"
        case .filter: "ui.filter"
        case .header: "ui.header"
        case .tooSmall: "ui.too_small"
        case .statusNotStarted: "status.not_started"
        case .statusPending: "status.pending"
        case .statusRunning: "status.running"
        case .statusDone: "status.done"
        case .statusFailed: "status.failed"
        case .statusCanceled: "status.canceled"
        case .statusSkipped: "status.skipped"
        case .statusBlocked: "status.blocked"
        case .issueOpen: "issue.open"
        case .issueDone: "issue.done"
        case .issueCanceled: "issue.canceled"
        case .approvalChecking: "approval.checking"
        case .approvalPending: "approval.pending"
        case .approvalApproved: "approval.approved"
        case .approvalRejected: "approval.rejected"
        case .approvalSkipped: "approval.skipped"
        case .riskLow: "risk.low"
        case .riskModerate: "risk.moderate"
        case .riskHigh: "risk.high"
        case .checkSuccess: "check.success"
        case .checkWarning: "check.warning"
        case .checkError: "check.error"
        case .envNormal: "env.normal"
        case .envProduction: "env.production"
        case .diffAdded: "diff.added"
        case .diffRemoved: "diff.removed"
        case .diffContext: "diff.context"
        case .sqlKeyword: "sql.keyword"
        case .sqlString: "sql.string"
        case .sqlNumber: "sql.number"
        case .sqlComment: "sql.comment"
        case .sqlIdentifier: "sql.identifier"
        case .sqlOperator: "sql.operator"
        case .sqlText: "sql.text"
        case .logTime: "log.time"
        case .logInfo: "log.info"
        case .logStatement: "log.statement"
        case .logError: "log.error"
        case .logDone: "log.done"
        }
    }

    /// Roles looked up by theme key.
    public static let byName: [String: Role] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })

    /// One printable letter per role, for the style grids of snapshot files.
    public var code: Character {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@#$%&*+=<>~^")
        return alphabet[Int(rawValue) % alphabet.count]
    }
}
