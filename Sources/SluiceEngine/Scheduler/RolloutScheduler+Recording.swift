import Foundation

extension RolloutScheduler {
    /// How long a runner keeps trying to record the end of a run the metastore refuses (a full
    /// disk, a lock held too long) before it gives the run up.
    static let recordingGiveUpSeconds: Double = 60

    /// Records the end of a run, retrying while the metastore refuses the write: the run stays in
    /// flight (its lease renewed where the metastore allows) so nobody else settles it meanwhile.
    /// Past the give-up window it stops renewing the lease and returns nil: the run is then settled
    /// by the next runner from the target's own history, which says whether the change committed.
    func recordEnd(of run: Int64, _ record: () throws -> TaskRunStatus) -> TaskRunStatus? {
        let started = Date()
        var delay = 0.1
        var said = false
        while true {
            do {
                let status = try record()
                if said { workspace.logger.notice("recorded the end of run \(run) once the metastore took writes again") }
                return status
            } catch {
                let waited = Date().timeIntervalSince(started)
                if waited >= Self.recordingGiveUpSeconds {
                    workspace.logger.error("""
                        gave up recording the end of run \(run) after \(Int(waited)) s: \(error). Its lease lapses and the next \
                        runner settles it from the target's history
                        """)
                    return nil
                }
                if !said {
                    workspace.logger.error("could not record the end of run \(run): \(error); retrying until it can (for up to \(Int(Self.recordingGiveUpSeconds)) s)")
                    said = true
                }
                Thread.sleep(forTimeInterval: delay)
                delay = min(2, delay * 2)
            }
        }
    }
}
