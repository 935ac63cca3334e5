extension RolloutScheduler.Options {
    /// Refuses options outside `Limits.workers`, `Limits.leaseSeconds` and `Limits.pollSeconds`:
    /// 0 workers would run nothing, an infinite or NaN lease would never expire (or always), and an
    /// absurd worker count would start that many threads.
    public static func validate(workers: Int, leaseSeconds: Double = RolloutScheduler.leaseSeconds, pollInterval: Double = 0.1) throws {
        try Limits.workers.check(workers)
        try Limits.leaseSeconds.check(leaseSeconds)
        try Limits.pollSeconds.check(pollInterval)
    }

    /// The same check of options already made.
    public func validate() throws {
        try Self.validate(workers: workers, leaseSeconds: leaseSeconds, pollInterval: pollInterval)
    }
}
