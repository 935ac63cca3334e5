import Foundation

/// Everything an executor needs to apply one task run, copied out of the metastore at claim time.
public struct TaskJob: Sendable {
    public var workspaceId: String
    public var runId: Int64
    public var taskId: Int64
    public var attempt: Int
    public var issueId: Int64
    public var database: TargetDatabase
    public var sql: String
    public var sheetSHA256: String
    public var type: SpecType
    public var schemaVersion: String?
    public var createdBy: String
    /// Seals the history row the run writes, and checks the rows it finds.
    public var seal: HistorySeal
}

/// How a run ended.
public enum ExecutionOutcome: Sendable, Equatable {
    case done(String)
    case failed(String)
    case canceled(String)
    /// The target refused the run: its lease had passed and another runner settled the attempt.
    case fenced(String)
}

/// Receives the live log of a run and lets the executor declare it non-transactional.
public protocol TaskRunSink: Sendable {
    func log(kind: String, statementIndex: Int?, line: Int?, column: Int?, durationMs: Double?, affectedRows: Int?, sql: String?, message: String?)
    /// Recorded before any statement runs outside a transaction, so crash recovery knows.
    func markNonTransactional()
}

extension TaskRunSink {
    func info(_ message: String) {
        log(kind: "INFO", statementIndex: nil, line: nil, column: nil, durationMs: nil, affectedRows: nil, sql: nil, message: message)
    }
}

/// A flag another thread can raise to interrupt a running task.
public final class CancellationHandle: @unchecked Sendable {
    private let lock = NSLock()
    private var canceled = false
    private var onCancel: (@Sendable () -> Void)?

    public init() {}

    public var isCanceled: Bool { lock.withLock { canceled } }

    /// Registers what to do on cancel (e.g. `sqlite3_interrupt`); runs at once if already canceled.
    /// The handler runs under the lock, so once `setHandler(nil)` returns it will not run again
    /// (the connection it points at may be closed safely).
    public func setHandler(_ handler: (@Sendable () -> Void)?) {
        lock.withLock {
            onCancel = handler
            if canceled { handler?() }
        }
    }

    public func cancel() {
        lock.withLock {
            guard !canceled else { return }
            canceled = true
            onCancel?()
        }
    }
}
