/// The allowed range of every number a person gives Sluice (command options, settings), checked by the
/// engine where the number is used, so every front end refuses the same values with the same words.
/// A number outside its range is refused, never clamped: 0 workers, an infinite time limit or
/// 999999999999 connections are mistakes, and quietly running with something else hides them.
public struct Limit<Value: Comparable & Sendable>: Sendable {
    /// What the number is, as a person would name it ("workers", "the dry-run time limit").
    public let what: String
    /// The unit shown after the bounds ("seconds"), if any.
    public let unit: String?
    public let range: ClosedRange<Value>
    /// The command-line option that sets it, named in the hint.
    public let option: String?

    public init(_ what: String, _ range: ClosedRange<Value>, unit: String? = nil, option: String? = nil) {
        self.what = what
        self.range = range
        self.unit = unit
        self.option = option
    }
}

extension Limit where Value == Int {
    public func check(_ value: Int) throws {
        guard !range.contains(value) else { return }
        throw refusal(got: "\(value)", bounds: "a whole number from \(range.lowerBound) to \(range.upperBound)")
    }
}

extension Limit where Value == Double {
    /// Refuses NaN, infinities and numbers outside the range.
    public func check(_ value: Double) throws {
        if value.isFinite && range.contains(value) { return }
        let low = Limits.show(range.lowerBound), high = Limits.show(range.upperBound)
        let bounds = range.lowerBound == 0 ? "a number from 0 to \(high)" : "a number from \(low) to \(high)"
        throw refusal(got: value.isNaN ? "not a number" : value.isInfinite ? "infinite" : Limits.show(value), bounds: bounds)
    }
}

extension Limit {
    func refusal(got: String, bounds: String) -> SluiceError {
        let unit = self.unit.map { " \($0)" } ?? ""
        let how = option.map { "Give \($0) \(bounds)\(unit)." } ?? "Use \(bounds)\(unit)."
        return SluiceError.usage("\(what) must be \(bounds)\(unit), not \(got)", hint: how)
    }
}

/// Every range in one place.
public enum Limits {
    /// Tasks one runner executes at once (`sluice run --workers`).
    public static let workers = Limit<Int>("workers", 1...256, option: "--workers")
    /// How long a runner's claim on a task lasts unless renewed (`sluice run --lease`).
    public static let leaseSeconds = Limit<Double>("the lease", 0.5...3600, unit: "seconds", option: "--lease")
    /// How often a runner looks for work queued by other processes.
    public static let pollSeconds = Limit<Double>("the poll interval", 0.01...60, unit: "seconds")
    /// Databases the plan checks of one issue check at once (`issue check --concurrency`).
    public static let checkConcurrency = Limit<Int>("the plan-check concurrency", 1...256, option: "--concurrency")
    /// Seconds a dry run may take (`issue check --dry-run-time-limit`); 0 would skip every dry run.
    public static let dryRunSeconds = Limit<Double>("the dry-run time limit", 0.01...3600, unit: "seconds", option: "--dry-run-time-limit")
    /// Connections Sluice opens to one instance at once (`instance add --max-connections`).
    public static let maxConnections = Limit<Int>("max connections", 1...10_000, option: "--max-connections")
    /// PostgreSQL lock_timeout and statement_timeout in seconds, 0 for none; PostgreSQL keeps them
    /// in milliseconds as a 32-bit integer.
    public static let lockTimeoutSeconds = Limit<Double>("the lock timeout", 0...2_147_483, unit: "seconds", option: "--lock-timeout")
    public static let statementTimeoutSeconds = Limit<Double>("the statement timeout", 0...2_147_483, unit: "seconds", option: "--statement-timeout")
    /// The same timeouts as the engine stores them.
    public static let timeoutMilliseconds = Limit<Int>("a PostgreSQL timeout", 0...2_147_483_647, unit: "milliseconds (0 for none)")
    /// An environment's place in the order of environments; negative places are allowed.
    public static let environmentOrder = Limit<Int>("an environment's order", -1_000_000...1_000_000, option: "--order")

    /// Seconds (already checked against `limit`) as whole milliseconds.
    public static func milliseconds(_ seconds: Double, _ limit: Limit<Double>) throws -> Int {
        try limit.check(seconds)
        return Int((seconds * 1000).rounded())
    }

    /// Seconds as whole milliseconds for a deadline or a server setting, never trapping whatever
    /// the value: at least 1, at most what a 32-bit setting holds (infinite and huge values saturate).
    /// For values already checked, a second line of defence where drivers convert them.
    public static func saturatingMilliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite else { return seconds > 0 ? Int(Int32.max) : 1 }
        return Int(min(max(seconds * 1000, 1), Double(Int32.max)))
    }

    /// `10`, `0.5`, `2147483`: no trailing ".0", no exponent for the numbers of these ranges.
    static func show(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
