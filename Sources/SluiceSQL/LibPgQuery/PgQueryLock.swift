import Foundation

/// The one lock every call into libpg_query takes, so that no two calls ever overlap.
///
/// libpg_query keeps its parser state per thread, and Debian's build (15-4.0) is safe to call
/// from several threads at once. Other builds are not: upstream releases point the process's
/// stderr (file descriptor 2) at a private pipe and back with `dup2` around each call, and two
/// overlapping calls can leave stderr pointing at a closed pipe for good. A call takes
/// microseconds to milliseconds, so serialising them costs nothing worth measuring and keeps
/// Sluice safe whichever build it links.
enum PgQueryLock {
    private static let lock = NSLock()

    /// Runs `body` (which should call into libpg_query) while no other such call runs.
    static func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
