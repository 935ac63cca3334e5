import Dispatch
import Foundation
import Synchronization

/// Scans the second part of a long PostgreSQL script on another core while the splitter scans
/// the first, then joins the two token streams where they provably agree.
///
/// The second scan starts at a guess (a `;` at the end of a line, near the middle of the script)
/// as if the scanner were in its initial state there, which it is unless the guess fell inside a
/// string, comment or dollar quote. The guess is never trusted: the splitter's own scan goes on
/// past it until it meets a `;` token that the second scan also found at the same offset. Both
/// scanners were then in their initial state (a `;` is a token only there), so every token after
/// it is the same in both, and the splitter takes the rest from the second scan. The splitter
/// never waits: until the second scan is done it scans on by itself, exactly as without a guess,
/// so a guess that does not join (or a second scan that fails) only costs the other core's time.
final class PostgresSpeculativeScan: Sendable {
    let guess: Int
    enum State {
        case running
        /// The tokens from `guess` to the end of the script.
        case scanned([PostgresScanner.Token])
        case failed
    }

    private let state = Mutex(State.running)
    private let finished = DispatchSemaphore(value: 0)
    private let cancelled = Atomic<Bool>(false)

    /// Starts scanning `utf8` from `guess` to its end on another thread.
    init(_ utf8: [UInt8], from guess: Int, windowSize: Int) {
        self.guess = guess
        DispatchQueue.global().async { [self] in
            var scanner = PostgresWindowScanner(utf8, from: guess, windowSize: windowSize)
            var tokens: [PostgresScanner.Token] = []
            while !cancelled.load(ordering: .relaxed), let window = try? scanner.next() {
                tokens += window
            }
            let succeeded = scanner.position == utf8.count && !cancelled.load(ordering: .relaxed)
            state.withLock { $0 = succeeded ? .scanned(tokens) : .failed }
            finished.signal()
        }
    }

    /// Stops the scan at its next window if it is still running.
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    /// How the second scan is doing; without `waiting` (as the splitter asks, but not tests,
    /// which want every guess joined), this does not wait for it to finish.
    func current(waiting: Bool = false) -> State {
        if waiting {
            finished.wait()
            finished.signal()  // Later calls do not wait.
        }
        return state.withLock { $0 }
    }

    /// Where `window` (tokens of the splitter's own scan) meets `scanned` (the second scan's
    /// tokens): the index in `window` of the first `;` at or past the guess that both scans
    /// found, and the second scan's tokens after it. Nil if they do not meet in this window.
    func join(
        _ window: [PostgresScanner.Token], with scanned: [PostgresScanner.Token]
    ) -> (through: Int, rest: ArraySlice<PostgresScanner.Token>)? {
        for index in window.indices {
            let token = window[index]
            guard token.kind == PostgresScanner.Token.semicolon, token.start >= guess - 1 else { continue }
            // A `;` just before the guess: the second scan started in the initial state, as it should.
            if token.start == guess - 1 { return (index, scanned[...]) }
            var low = 0
            var high = scanned.count
            while low < high {
                let middle = (low + high) / 2
                if scanned[middle].start < token.start { low = middle + 1 } else { high = middle }
            }
            if low < scanned.count, scanned[low].start == token.start, scanned[low].kind == token.kind {
                return (index, scanned[(low + 1)...])
            }
        }
        return nil
    }

    /// Where to start a second scan of `utf8[start...]`: nil when the script is too short to be
    /// worth it or there is one core. From a little before the middle, the first `;` ending a line that is
    /// followed by a blank line or a comment (how migrations are laid out), else by anything.
    static func guess(in utf8: [UInt8], from start: Int, minimumLength: Int = 1 << 20) -> Int? {
        guard utf8.count - start >= minimumLength, ProcessInfo.processInfo.activeProcessorCount > 1 else { return nil }
        let limit = start + (utf8.count - start) * 3 / 4
        var fallback: Int?
        // A little before the middle: the splitter also follows the tokens, so it scans slower.
        var index = start + (utf8.count - start) * 9 / 20
        while index + 3 < limit {
            defer { index += 1 }
            guard utf8[index] == UInt8(ascii: ";") else { continue }
            var next = index + 1
            if utf8[next] == UInt8(ascii: "\r") { next += 1 }
            guard utf8[next] == UInt8(ascii: "\n") else { continue }
            let following = utf8[next + 1]
            if following == UInt8(ascii: "\n") || following == UInt8(ascii: "\r") || following == UInt8(ascii: "-") {
                return index + 1
            }
            if fallback == nil { fallback = index + 1 }
        }
        return fallback
    }
}
