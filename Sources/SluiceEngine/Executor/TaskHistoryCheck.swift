import Foundation

/// What a task finds in its target's history before it runs, the same on every engine: only
/// rows whose seal verifies are trusted to skip a task or to hold a version; the others are
/// reported as tampering and set aside.
enum TaskHistoryCheck {
    enum Verdict {
        /// A verified row records this very task: it is not applied again.
        case alreadyApplied(String)
        /// A verified row of this workspace records the task's schema version.
        case versionTaken(String)
        /// Nothing trusted stands in the way; `untrusted` rows claim this task but do not verify
        /// and must be marked TAMPERED before the task's own row can be written.
        case proceed(untrusted: [MigrationRecord])
    }

    /// Raised when the history tables changed while the sheet's statements ran.
    static let reachedHistory = "the sheet changed Sluice's own history tables (sluice_migration_history or sluice_run_fence) "
        + "while it ran; everything was rolled back. A sheet may read the history but never write it."

    /// `rows`: the DONE rows that record this task (any seal) or its version (any workspace).
    static func check(_ rows: [MigrationRecord], job: TaskJob, sink: any TaskRunSink) -> Verdict {
        let ref = job.database.ref
        var untrusted: [MigrationRecord] = []
        var taken: MigrationRecord?
        for r in rows {
            let integrity = job.seal.integrity(of: r, workspace: job.workspaceId)
            let isThisTask = r.workspace == job.workspaceId && r.taskId == job.taskId
            switch integrity {
            case .verified where isThisTask:
                return .alreadyApplied("already recorded in \(ref) history (#\(r.id)); not applied again")
            case .verified:
                if taken == nil, let v = job.schemaVersion, !v.isEmpty, r.version == v { taken = r }
            case .tampered:
                sink.info("history row #\(r.id) of \(ref) claims \(isThisTask ? "this task" : "version \(r.version ?? "?")") but its seal does not verify: "
                    + "it was forged or altered, and is not trusted\(isThisTask ? " (marked TAMPERED)" : "")")
                if isThisTask { untrusted.append(r) }
            case .foreign:
                sink.info("history row #\(r.id) of \(ref) records version \(r.version ?? "?") for another workspace; it cannot be verified here and is not trusted")
            }
        }
        if let taken, let version = job.schemaVersion {
            return .versionTaken("version \(version) is already applied to \(ref) (history #\(taken.id), \(taken.appliedAt))")
        }
        return .proceed(untrusted: untrusted)
    }
}

/// Thrown by a fence that cannot take the target's lock in time (a stalled runner still holds it).
public struct FenceBusy: Error, CustomStringConvertible {
    public var database: String
    public var description: String { "\(database) is still locked by the stalled run's transaction" }
}
