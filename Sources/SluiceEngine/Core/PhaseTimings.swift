import Foundation

/// Optional per-phase timings of task runs, for benchmarks and profiling (issue 5). Off unless
/// the environment sets `SLUICE_PHASE_TIMINGS=1`; when off, `record` is one branch on a constant.
/// Phases are named by the code that measures them ("pg.connect", "scheduler.finish"…).
public enum PhaseTimings {
    public static let enabled = ProcessInfo.processInfo.environment["SLUICE_PHASE_TIMINGS"] == "1"

    private static let lock = NSLock()
    nonisolated(unsafe) private static var samples: [String: [Double]] = [:]

    /// Monotonic now, in nanoseconds.
    @inline(__always) public static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Records the time from `since` (a `now()`) to now under `phase`, in milliseconds.
    @inline(__always) public static func record(_ phase: String, since: UInt64) {
        guard enabled else { return }
        let ms = Double(now() &- since) / 1e6
        lock.withLock { samples[phase, default: []].append(ms) }
    }

    /// Takes every sample recorded so far and clears them.
    public static func take() -> [String: [Double]] {
        lock.withLock {
            defer { samples.removeAll() }
            return samples
        }
    }

    /// One line per phase: count, median, mean and total in milliseconds, sorted by name.
    public static func report(_ samples: [String: [Double]]) -> String {
        samples.keys.sorted().map { key in
            let xs = samples[key]!.sorted()
            let total = xs.reduce(0, +)
            return String(format: "  %-26@ n=%4d  median %7.2f ms  mean %7.2f ms  total %8.1f ms",
                          key as NSString, xs.count, xs[xs.count / 2], total / Double(xs.count), total)
        }.joined(separator: "\n")
    }
}
