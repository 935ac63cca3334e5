import SluiceEngine

/// How a status is shown: never by colour alone; a glyph and a word, with an ASCII fallback.
public struct StatusBadge: Equatable, Sendable {
    public var glyph: String
    public var ascii: String
    public var word: String
    public var role: Role

    public func text(unicode: Bool) -> String { "\(unicode ? glyph : ascii) \(word)" }
}

extension TaskStatus {
    public var badge: StatusBadge {
        switch self {
        case .notStarted: StatusBadge(glyph: "·", ascii: ".", word: "not started", role: .statusNotStarted)
        case .pending: StatusBadge(glyph: "○", ascii: "o", word: "pending", role: .statusPending)
        case .running: StatusBadge(glyph: "▶", ascii: ">", word: "running", role: .statusRunning)
        case .done: StatusBadge(glyph: "✓", ascii: "+", word: "done", role: .statusDone)
        case .failed: StatusBadge(glyph: "✗", ascii: "x", word: "failed", role: .statusFailed)
        case .canceled: StatusBadge(glyph: "⊘", ascii: "/", word: "canceled", role: .statusCanceled)
        case .skipped: StatusBadge(glyph: "↷", ascii: "~", word: "skipped", role: .statusSkipped)
        }
    }

    /// A task not started that waits on something shows as blocked.
    public func badge(waiting: Bool) -> StatusBadge {
        if waiting && self == .notStarted {
            return StatusBadge(glyph: "⏸", ascii: "=", word: "blocked", role: .statusBlocked)
        }
        return badge
    }
}

extension IssueStatus {
    public var role: Role {
        switch self { case .open: .issueOpen; case .done: .issueDone; case .canceled: .issueCanceled }
    }
    public var glyph: String { switch self { case .open: "●"; case .done: "✓"; case .canceled: "⊘" } }
}

extension ApprovalStatus {
    public var role: Role {
        switch self {
        case .checking: .approvalChecking
        case .pending: .approvalPending
        case .approved: .approvalApproved
        case .rejected: .approvalRejected
        case .skipped: .approvalSkipped
        }
    }
    public var glyph: String {
        switch self { case .checking: "…"; case .pending: "○"; case .approved: "✓"; case .rejected: "✗"; case .skipped: "–" }
    }
}

extension RiskLevel {
    public var role: Role { switch self { case .low: .riskLow; case .moderate: .riskModerate; case .high: .riskHigh } }
}
