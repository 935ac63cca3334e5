/// Cuts PostgreSQL scripts where psql would, reading them with PostgreSQL's own scanner.
///
/// The scanner (libpg_query's `pg_query_scan`) settles what is a string, a dollar quote, an
/// `E'…'` escape or a nested comment; ``PsqlStatementTracker`` then applies psql's rule for
/// which `;` ends a statement. libpg_query's own `pg_query_split_with_scanner` is not used: it
/// knows nothing of `BEGIN ATOMIC`, drops statements without a keyword, and (libpg_query 15-4.0)
/// crashes on an unterminated string or comment.
///
/// The script is scanned in windows (see ``PostgresWindowScanner``), and a long one partly on
/// another core (see ``PostgresSpeculativeScan``). `windowSize` and `guess` are only set by
/// tests, which cut windows and guess everywhere to show that neither changes anything (with a
/// guess given, the splitter waits for the second scan where it would otherwise scan on).
enum PostgresStatementSplitter {
    static func split(
        into collector: inout StatementCollector, windowSize: Int = 64 * 1024, guess: Int? = nil
    ) throws(SQLSplitError) {
        let utf8 = collector.utf8
        var scanner = PostgresWindowScanner(utf8, from: collector.scriptStart, windowSize: windowSize)
        var tracker = PsqlStatementTracker(utf8: utf8)
        var speculation = (guess ?? PostgresSpeculativeScan.guess(in: utf8, from: collector.scriptStart)).map { guess in
            // Never start inside the byte-order mark or a multi-byte character.
            var start = min(max(guess, collector.scriptStart), utf8.count)
            while start < utf8.count, LineIndex.isContinuationByte(utf8[start]) { start += 1 }
            return PostgresSpeculativeScan(utf8, from: start, windowSize: windowSize)
        }
        defer { speculation?.cancel() }
        while var tokens = try next(&scanner, tracker: tracker, collector: collector) {
            // Once the scans join, the rest of the script's tokens come from the second one.
            var rest: ArraySlice<PostgresScanner.Token>?
            if let scan = speculation, scanner.position >= scan.guess {
                switch scan.current(waiting: guess != nil) {
                case .running:
                    break
                case .failed:
                    speculation = nil
                case .scanned(let scanned):
                    if let join = scan.join(tokens, with: scanned) {
                        tokens.removeSubrange((join.through + 1)...)
                        rest = join.rest
                        speculation = nil
                    }
                }
            }
            do {
                for token in tokens {
                    if let range = try tracker.consume(token) {
                        collector.append(start: range.lowerBound, end: range.upperBound)
                    }
                }
                for token in rest ?? [] {
                    if let range = try tracker.consume(token) {
                        collector.append(start: range.lowerBound, end: range.upperBound)
                    }
                }
            } catch {
                throw collector.error(error)
            }
            if rest != nil { break }
        }
        do {
            if let range = try tracker.finish() {
                collector.append(start: range.lowerBound, end: range.upperBound)
            }
        } catch {
            throw collector.error(error)
        }
    }

    /// The next window's tokens; a scanner failure becomes the error to report.
    private static func next(
        _ scanner: inout PostgresWindowScanner, tracker: PsqlStatementTracker, collector: StatementCollector
    ) throws(SQLSplitError) -> [PostgresScanner.Token]? {
        do {
            return try scanner.next()
        } catch {
            throw scannerError(error, from: scanner.position, tracker: tracker, in: collector)
        }
    }

    /// Explains a scanner failure. If a psql-only construct comes before it (the rows after a
    /// `COPY … FROM STDIN` seldom scan as SQL), that is the real problem and is reported instead.
    /// `tracker` has consumed the script up to `start`, where the failing scan began.
    private static func scannerError(
        _ failure: PostgresScanner.Failure, from start: Int, tracker: PsqlStatementTracker,
        in collector: StatementCollector
    ) -> SQLSplitError {
        let utf8 = collector.utf8
        // The text before the failure may itself end inside the string that fails (say, at a
        // bad escape in an E'…' string): cut it back to where its own scan fails until it scans.
        var end = failure.offset
        while end > start {
            do {
                var tracker = tracker
                for token in try PostgresScanner.scan(utf8[start..<end]) {
                    do {
                        _ = try tracker.consume(token)
                    } catch {
                        return collector.error(error)
                    }
                }
                break
            } catch {
                guard error.offset < end else { break }
                end = error.offset
            }
        }
        let kind = kind(of: failure)
        return collector.error(kind, message(for: failure, kind: kind, in: utf8), at: failure.offset)
    }

    private static func kind(of failure: PostgresScanner.Failure) -> SQLSplitError.Kind {
        switch failure.message {
        case "unterminated quoted string", "unterminated bit string literal",
            "unterminated hexadecimal string literal":
            .unterminatedString
        case "unterminated quoted identifier": .unterminatedQuotedIdentifier
        case "unterminated /* comment": .unterminatedComment
        case "unterminated dollar-quoted string": .unterminatedDollarQuote
        default: .invalidToken
        }
    }

    private static func message(
        for failure: PostgresScanner.Failure, kind: SQLSplitError.Kind, in utf8: [UInt8]
    ) -> String {
        switch kind {
        case .unterminatedString:
            let opener = utf8[failure.offset...].prefix { $0 != UInt8(ascii: "'") }
            let escapes = opener.elementsEqual("E".utf8) || opener.elementsEqual("e".utf8)
            return "unterminated quoted string: the quote here is never closed"
                + (escapes ? " (in an E'…' string a backslash escapes the next character, a quote included)" : "")
        case .unterminatedQuotedIdentifier:
            return "unterminated quoted identifier: the \" here is never closed"
        case .unterminatedComment:
            return "unterminated block comment: the /* here is never closed by */ (PostgreSQL comments nest, so each inner /* needs its own */)"
        case .unterminatedDollarQuote:
            let tag = dollarQuoteTag(at: failure.offset, in: utf8)
            return "unterminated dollar-quoted string: the \(tag) here is never closed by a matching \(tag)"
        default:
            return "PostgreSQL's scanner cannot read this: \(failure.message)"
        }
    }

    /// The `$tag$` (or `$$`) that opens the dollar-quoted string at `offset`.
    private static func dollarQuoteTag(at offset: Int, in utf8: [UInt8]) -> String {
        guard offset < utf8.count, let close = utf8[(offset + 1)...].firstIndex(of: UInt8(ascii: "$")) else {
            return "$$"
        }
        return String(decoding: utf8[offset...close], as: UTF8.self)
    }
}
