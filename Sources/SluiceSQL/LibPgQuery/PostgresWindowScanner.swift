import CPgQuery

/// Runs PostgreSQL's scanner over a long script one window at a time.
///
/// `pg_query_scan` slows down on very long inputs (its token list and protobuf output grow
/// with the input), so the script is scanned in windows of about `windowSize` bytes. A window
/// is only trusted up to its last `;` token: PostgreSQL's scanner reports a `;` only outside
/// strings, quoted identifiers, comments and dollar quotes, and no longer token contains one, so
/// the scanner is in its initial state just after it, exactly as when it starts a new input.
/// The next window starts there. A window whose end cuts a string, comment or dollar quote
/// either fails to scan or has its damaged tail rescanned by the next window; a window that
/// fails, or holds no `;`, is doubled until it reaches the end of the script, where a failure
/// is the script's own. Parentheses and `BEGIN ATOMIC` bodies are not the scanner's business:
/// ``PsqlStatementTracker`` follows them across windows.
struct PostgresWindowScanner {
    /// The script's bytes with a NUL after them; a window's end is marked by a NUL put there
    /// for the call, then taken away.
    private var buffer: [UInt8]
    private let end: Int
    private let windowSize: Int
    /// Where the next window starts: the script's start or just after a `;` token.
    private(set) var position: Int

    init(_ utf8: [UInt8], from start: Int, windowSize: Int = 64 * 1024) {
        buffer = utf8
        buffer.append(0)
        end = utf8.count
        position = start
        self.windowSize = max(windowSize, 1)
    }

    /// The tokens of the next window (positioned in the whole script), or nil at the end.
    mutating func next() throws(PostgresScanner.Failure) -> [PostgresScanner.Token]? {
        guard position < end else { return nil }
        var size = windowSize
        while true {
            var windowEnd = position + min(size, end - position)
            // Never cut a multi-byte character: the scanner would see a broken one.
            while windowEnd < end, LineIndex.isContinuationByte(buffer[windowEnd]) { windowEnd += 1 }
            let isLast = windowEnd == end
            do {
                let tokens = try scan(position..<windowEnd)
                if isLast {
                    position = end
                    return tokens
                }
                if let last = tokens.lastIndex(where: { $0.kind == PostgresScanner.Token.semicolon }) {
                    position = tokens[last].start + 1
                    return Array(tokens[...last])
                }
            } catch {
                if isLast { throw error }
            }
            size *= 2
        }
    }

    private mutating func scan(_ window: Range<Int>) throws(PostgresScanner.Failure) -> [PostgresScanner.Token] {
        let saved = buffer[window.upperBound]
        buffer[window.upperBound] = 0
        defer { buffer[window.upperBound] = saved }
        return try buffer.withUnsafeBufferPointer { bytes throws(PostgresScanner.Failure) in
            try PostgresScanner.scan(bytes, window)
        }
    }
}
