import Foundation
import GRDB

/// Something the scheduler did, for live front ends.
public enum SchedulerEvent: Sendable, Equatable {
    case runStarted(run: Int64, task: Int64)
    case runFinished(run: Int64, task: Int64, status: TaskRunStatus)
    case runsCreated(count: Int)
    case reconciled(run: Int64, status: TaskRunStatus)
}

/// Schedules and executes task runs under the rules of DESIGN §3. Event-driven: a finished run
/// wakes the loop at once; other processes' changes are noticed by a short poll.
/// Claims are transactional with a lease, so several runners can share one workspace.
public final class RolloutScheduler: @unchecked Sendable {
    /// How long a claim lasts unless renewed (the default of `Options.leaseSeconds`); a run whose
    /// lease has passed is settled by another runner, and its own runner is fenced out of the target.
    public static let leaseSeconds: Double = 15

    public struct Options: Sendable {
        /// Global cap on concurrently executing tasks in this process.
        public var workers: Int
        /// How often to look for work queued by other processes.
        public var pollInterval: Double
        /// How long this runner's claims last unless renewed (renewed every third of it, at most every 2 s).
        public var leaseSeconds: Double
        public init(workers: Int = 8, pollInterval: Double = 0.1, leaseSeconds: Double = RolloutScheduler.leaseSeconds) {
            self.workers = max(1, workers)
            self.pollInterval = pollInterval
            self.leaseSeconds = max(0.5, leaseSeconds)
        }
    }

    public let runnerId: String
    let workspace: Workspace
    let options: Options
    let workspaceId: String
    let seal: HistorySeal
    let host: String
    private let cond = NSCondition()
    private var inFlight: [Int64: CancellationHandle] = [:]
    private var sinks: [Int64: MetastoreRunSink] = [:]
    private var stopping = false
    private var wakeups = 0
    /// When worker slots were freed and not yet refilled (for `PhaseTimings` only).
    private var freedAt: [UInt64] = []
    private var loopThread: Thread?
    /// Touched only by the loop thread.
    var lastRunnerCleanup: Double = 0
    /// Runs whose fence found the target still locked, and when to try again (loop thread only).
    var fenceRetryAt: [Int64: Double] = [:]
    private let observerLock = NSLock()
    private var observer: (@Sendable (SchedulerEvent) -> Void)?

    public init(workspace: Workspace, options: Options = Options()) throws {
        try options.validate()
        self.workspace = workspace
        self.options = options
        self.runnerId = UUID().uuidString.lowercased()
        self.workspaceId = try workspace.workspaceId()
        self.seal = try workspace.historySeal()
        self.host = ProcessInfo.processInfo.hostName
    }

    /// Receives scheduler events on worker threads.
    public func setObserver(_ body: (@Sendable (SchedulerEvent) -> Void)?) { observerLock.withLock { observer = body } }

    func emit(_ event: SchedulerEvent) {
        let o = observerLock.withLock { observer }
        o?(event)
    }

    /// Runs until nothing is runnable and nothing is running anywhere, then returns.
    public func runUntilIdle() throws {
        try loop(untilIdle: true)
    }

    /// Starts the loop on a background thread; `stop()` ends it.
    public func start() {
        let t = Thread { [self] in
            do { try loop(untilIdle: false) } catch { workspace.logger.error("scheduler stopped: \(error)") }
        }
        t.name = "sluice-scheduler"
        loopThread = t
        t.start()
    }

    /// Stops claiming new work, waits for running tasks to end, and returns.
    public func stop(cancelRunning: Bool = false) {
        cond.lock()
        stopping = true
        if cancelRunning { inFlight.values.forEach { $0.cancel() } }
        cond.broadcast()
        while !inFlight.isEmpty { cond.wait() }
        cond.unlock()
    }

    /// Wakes the loop now (e.g. after a front end queued runs in this process).
    public func poke() {
        cond.lock()
        wakeups += 1
        cond.signal()
        cond.unlock()
    }

    private var isStopping: Bool { cond.lock(); defer { cond.unlock() }; return stopping }

    // MARK: The loop

    private func loop(untilIdle: Bool) throws {
        cond.lock()
        stopping = false
        cond.unlock()
        try registerRunner()
        let heartbeat = Thread { [self] in heartbeatLoop() }
        heartbeat.name = "sluice-heartbeat"
        heartbeat.start()
        defer {
            cond.lock()
            stopping = true
            cond.broadcast()
            while !inFlight.isEmpty { cond.wait() }
            cond.unlock()
            try? workspace.store.write { db in try db.execute(sql: "DELETE FROM runner WHERE id = ?", arguments: [runnerId]) }
        }
        var failingSince: Date?
        while !isStopping {
            do {
                var mark = PhaseTimings.now()
                try reconcileOrphans()
                PhaseTimings.record("sched.reconcile", since: mark)
                mark = PhaseTimings.now()
                let created = try createAutomaticRuns()
                PhaseTimings.record("sched.autoRuns", since: mark)
                mark = PhaseTimings.now()
                let free = freeSlots()
                let claimed = free > 0 ? try claim(max: free) : []
                PhaseTimings.record("sched.claim", since: mark)
                if failingSince != nil { workspace.logger.notice("the metastore takes writes again; scheduling resumed") }
                failingSince = nil
                for job in claimed { dispatch(job) }
                if !claimed.isEmpty || created > 0 { continue }
                if untilIdle, try isIdle() { return }
                waitForWork()
            } catch {
                // A metastore that refuses writes for a while (a full disk) is waited out; past the
                // give-up window the runner stops, and the leases of its runs lapse for another.
                let since = failingSince ?? Date()
                if failingSince == nil {
                    workspace.logger.error("scheduling paused: \(error); retrying for up to \(Int(Self.recordingGiveUpSeconds)) s")
                }
                failingSince = since
                guard Date().timeIntervalSince(since) < Self.recordingGiveUpSeconds else {
                    throw SluiceError.failure("the runner gave up after \(Int(Self.recordingGiveUpSeconds)) s of metastore errors: \(error)",
                                              hint: "Free space or fix the metastore, then start `sluice run` again; runs this runner held are settled from the targets' history once their leases lapse.")
                }
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
    }

    private func freeSlots() -> Int {
        cond.lock(); defer { cond.unlock() }
        return options.workers - inFlight.count
    }

    private func waitForWork() {
        cond.lock()
        defer { cond.unlock() }
        let deadline = Date(timeIntervalSinceNow: options.pollInterval)
        while wakeups == 0 && !stopping {
            if !cond.wait(until: deadline) { break }
        }
        wakeups = 0
    }

    /// Idle: nothing running in this process or any other, and this pass found nothing to claim.
    private func isIdle() throws -> Bool {
        cond.lock()
        // A run that finished since this pass claimed may have unblocked another: not idle yet.
        let busy = !inFlight.isEmpty || wakeups > 0
        cond.unlock()
        guard !busy else { return false }
        return try workspace.store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM taskRun WHERE status = 'RUNNING'") ?? 0
        } == 0
    }

    private func registerRunner() throws {
        let now = Date().timeIntervalSince1970
        try workspace.store.write { db in
            try db.execute(sql: "INSERT INTO runner (id, pid, host, startedAt, heartbeatAt) VALUES (?, ?, ?, ?, ?)",
                           arguments: [runnerId, Int(getpid()), host, now, now])
        }
    }

    // MARK: Claims

    /// Claims up to `max` runnable PENDING runs in one transaction: they become RUNNING under this runner's lease.
    func claim(max: Int) throws -> [TaskJob] {
        let anyPending = try workspace.store.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM task WHERE status = 'PENDING' LIMIT 1") ?? false
        }
        guard anyPending else { return [] }
        let now = Date().timeIntervalSince1970
        let jobs: [TaskJob] = try workspace.store.write { db in
            let ctx = try SchedulingContext(db, now: workspace.now)
            let picked = try ClaimWalk(db, ctx).pick(max: max)
            var jobs: [TaskJob] = []
            for (row, task) in picked {
                let runId: Int64 = row["runId"]
                try db.execute(sql: "UPDATE taskRun SET status = 'RUNNING', runner = ?, startedAt = ?, leaseUntil = ? WHERE id = ? AND status = 'PENDING'",
                               arguments: [runnerId, now, now + options.leaseSeconds, runId])
                guard db.changesCount == 1 else { continue }
                try db.execute(sql: "UPDATE task SET status = 'RUNNING' WHERE id = ?", arguments: [task.id])
                jobs.append(try makeJob(db, runId: runId, attempt: row["attempt"], createdBy: row["createdBy"], task: task))
                try workspace.appendLog(db, run: runId, kind: "INFO",
                                        message: "attempt \(row["attempt"] as Int) started on \(jobs.last.map { $0.database.ref.description } ?? "")")
            }
            return jobs
        }
        return jobs
    }

    private func makeJob(_ db: Database, runId: Int64, attempt: Int, createdBy: String, task: SchedulableTask) throws -> TaskJob {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT t.type, t.schemaVersion, s.content, s.sha256 FROM task t JOIN sheet s ON s.id = t.sheet WHERE t.id = ?
            """, arguments: [task.id]),
              let database = try TargetDatabase.fetchOne(db, sql: TargetDatabase.selectSQL + " WHERE d.id = ?", arguments: [task.database])
        else { throw SluiceError.failure("task #\(task.id) vanished while being claimed") }
        return TaskJob(workspaceId: workspaceId, runId: runId, taskId: task.id, attempt: attempt, issueId: task.issue,
                       database: database, sql: row["content"], sheetSHA256: row["sha256"],
                       type: SpecType(rawValue: row["type"]) ?? .migrate, schemaVersion: row["schemaVersion"], createdBy: createdBy,
                       seal: seal)
    }

    private func dispatch(_ job: TaskJob) {
        let handle = CancellationHandle()
        let sink = MetastoreRunSink(workspace: workspace, runId: job.runId)
        cond.lock()
        inFlight[job.runId] = handle
        sinks[job.runId] = sink
        if PhaseTimings.enabled, !freedAt.isEmpty { PhaseTimings.record("sched.refill", since: freedAt.removeFirst()) }
        cond.unlock()
        emit(.runStarted(run: job.runId, task: job.taskId))
        let dispatched = PhaseTimings.now()
        let thread = Thread { [self] in
            PhaseTimings.record("sched.threadStart", since: dispatched)
            let outcome = TargetDrivers.driver(for: job.database.engine).execute(job, sink: sink, cancel: handle)
            var status: TaskRunStatus
            let message: String
            switch outcome {
            case .done(let m): status = .done; message = m
            case .failed(let m): status = .failed; message = m
            case .canceled(let m): status = .canceled; message = m
            case .fenced(let m): status = .failed; message = m
            }
            let finishing = PhaseTimings.now()
            var drained = 0
            let record = { [self] () throws -> TaskRunStatus in
                try workspace.store.write { db in
                    // Only the lease holder may end the run. A runner that lost its lease (stalled past it) says
                    // what it found in the run's log and leaves the outcome the other runner recorded: the fence
                    // guarantees it committed nothing after that runner settled the run.
                    guard let row = try Row.fetchOne(db, sql: "SELECT runner, status FROM taskRun WHERE id = ?", arguments: [job.runId]) else { return status }
                    let recorded = TaskRunStatus(rawValue: row["status"]) ?? status
                    guard recorded == .running, row["runner"] as String? == runnerId else {
                        drained = try sink.drain(db)
                        try workspace.appendLog(db, run: job.runId, kind: "INFO", message:
                            "this runner resumed after its lease had passed; the run had been settled as \(recorded.rawValue) by another runner. "
                            + "What this runner saw: \(message)")
                        return recorded
                    }
                    drained = try sink.drain(db)
                    try workspace.appendLog(db, run: job.runId, kind: status.rawValue, message: message)
                    try workspace.finishRun(db, run: job.runId, status: status, message: message)
                    return status
                }
            }
            if let recorded = recordEnd(of: job.runId, record) {
                status = recorded
                sink.written(drained)
            }
            PhaseTimings.record("sched.finish", since: finishing)
            emit(.runFinished(run: job.runId, task: job.taskId, status: status))
            cond.lock()
            if PhaseTimings.enabled { freedAt.append(PhaseTimings.now()) }
            inFlight[job.runId] = nil
            sinks[job.runId] = nil
            wakeups += 1
            cond.broadcast()
            cond.unlock()
        }
        thread.name = "sluice-task-\(job.taskId)"
        thread.start()
    }

    // MARK: Automatic environments (rule 6)

    /// Queues runs for tasks not started in automatic environments of approved issues whose earlier stages are finished.
    func createAutomaticRuns() throws -> Int {
        // Starts from open, rolled-out-able issues and their automatic stages (a few rows), then
        // probes the (stage, status) index; never scans every task.
        let sql = """
            SELECT t.id, t.issue, st.environment
            FROM issue i
            JOIN stage st ON st.issue = i.id
            JOIN environment e ON e.name = st.environment AND e.autoRollout = 1
            JOIN task t ON t.stage = st.id AND t.status = 'NOT_STARTED'
            WHERE i.status = 'OPEN' AND i.approvalStatus IN ('APPROVED', 'SKIPPED')
              AND \(PlanCheckGate.passesSQL)
              AND NOT EXISTS (
                SELECT 1 FROM stage s2 JOIN task t2 ON t2.stage = s2.id
                WHERE s2.issue = i.id AND s2.position < st.position
                  AND t2.status IN ('NOT_STARTED', 'PENDING', 'RUNNING', 'FAILED', 'CANCELED'))
            ORDER BY i.id, st.position, t.position
            """
        let any = try workspace.store.read { db in try Row.fetchOne(db, sql: sql) != nil }
        guard any else { return 0 }
        let created = try workspace.store.write { db in
            var count = 0
            var stages: [Int64: Set<String>] = [:]
            for row in try Row.fetchAll(db, sql: sql) {
                try workspace.createRun(db, task: row["id"], by: Principal.system.email)
                stages[row["issue"], default: []].insert(row["environment"])
                count += 1
            }
            for (issue, envs) in stages {
                try workspace.recordEvent(db, issue: issue, actor: Principal.system.email, kind: "ROLLOUT",
                                          text: "stage \(envs.sorted().joined(separator: ", ")) started automatically")
            }
            return count
        }
        if created > 0 { emit(.runsCreated(count: created)) }
        return created
    }

    // MARK: Leases, heartbeats, cancellation

    private func heartbeatLoop() {
        var lastBeat = Date.distantPast
        while !isStopping {
            Thread.sleep(forTimeInterval: 0.1)
            cond.lock()
            let running = inFlight
            let liveSinks = Array(sinks.values)
            cond.unlock()
            for sink in liveSinks { sink.flush() }
            if !running.isEmpty {
                let ids = running.keys.map { String($0) }.joined(separator: ",")
                if let canceled = try? workspace.store.read({ db in
                    try Int64.fetchAll(db, sql: "SELECT id FROM taskRun WHERE id IN (\(ids)) AND cancelRequested = 1")
                }) {
                    for id in canceled { running[id]?.cancel() }
                }
            }
            // Leases of running tasks are renewed every third of the lease (at most every 2 s); an idle
            // runner only says it is alive, every 5 s, so that a watching TUI is not woken for nothing.
            if Date().timeIntervalSince(lastBeat) >= (running.isEmpty ? min(5, options.leaseSeconds / 3) : min(2, options.leaseSeconds / 3)) {
                lastBeat = Date()
                let now = lastBeat.timeIntervalSince1970
                try? workspace.store.write { db in
                    try db.execute(sql: "UPDATE runner SET heartbeatAt = ? WHERE id = ?", arguments: [now, runnerId])
                    // Only runs this process is executing or still recording: a run it gave up on
                    // lets its lease lapse, so another runner settles it.
                    guard !running.isEmpty else { return }
                    let ids = running.keys.map { String($0) }.joined(separator: ",")
                    try db.execute(sql: "UPDATE taskRun SET leaseUntil = ? WHERE runner = ? AND status = 'RUNNING' AND id IN (\(ids))",
                                   arguments: [now + options.leaseSeconds, runnerId])
                }
            }
        }
    }
}

/// Collects a run's log lines and writes them to the metastore in batches: the heartbeat flushes
/// every 100 ms (so logs are live), and the run's final transaction takes the rest.
final class MetastoreRunSink: TaskRunSink, @unchecked Sendable {
    struct Line {
        var at: Double, kind: String, statementIndex: Int?, line: Int?, column: Int?
        var durationMs: Double?, affectedRows: Int?, sql: String?, message: String?
    }

    let workspace: Workspace
    let runId: Int64
    private let lock = NSLock()
    private var buffer: [Line] = []

    init(workspace: Workspace, runId: Int64) {
        self.workspace = workspace
        self.runId = runId
    }

    func log(kind: String, statementIndex: Int?, line: Int?, column: Int?, durationMs: Double?, affectedRows: Int?, sql: String?, message: String?) {
        let entry = Line(at: Date().timeIntervalSince1970, kind: kind, statementIndex: statementIndex, line: line, column: column,
                         durationMs: durationMs, affectedRows: affectedRows, sql: sql, message: message)
        lock.withLock { buffer.append(entry) }
    }

    /// Writes buffered lines inside the caller's transaction and returns how many; they leave the
    /// buffer only when the caller says the transaction committed (``written(_:)``), so a failed
    /// write (a full disk) loses no line.
    @discardableResult
    func drain(_ db: Database) throws -> Int {
        let lines: [Line] = lock.withLock { buffer }
        for l in lines {
            try workspace.appendLog(db, run: runId, at: l.at, kind: l.kind, statementIndex: l.statementIndex, line: l.line,
                                    column: l.column, durationMs: l.durationMs, affectedRows: l.affectedRows, sql: l.sql, message: l.message)
        }
        return lines.count
    }

    /// Forgets the first `count` lines, written by a committed transaction.
    func written(_ count: Int) {
        lock.withLock { buffer.removeFirst(min(count, buffer.count)) }
    }

    var isEmpty: Bool { lock.withLock { buffer.isEmpty } }

    func flush() {
        guard !isEmpty else { return }
        let mark = PhaseTimings.now()
        if let n = try? workspace.store.write({ db in try drain(db) }) { written(n) }
        PhaseTimings.record("sched.logFlush", since: mark)
    }

    func markNonTransactional() {
        if let n = try? workspace.store.write({ db in
            let n = try drain(db)
            try db.execute(sql: "UPDATE taskRun SET nonTransactional = 1 WHERE id = ?", arguments: [runId])
            return n
        }) { written(n) }
    }
}
