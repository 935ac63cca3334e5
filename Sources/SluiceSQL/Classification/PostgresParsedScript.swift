import Dispatch
import Foundation
import Synchronization

/// Splits and classifies a PostgreSQL script in one go, with PostgreSQL's parser itself.
///
/// The parser already knows where each statement ends (`RawStmt` locations) and what it is, so
/// one raw parse (see ``PgRawTree``) does the work of the scanner-based split and a parse per
/// statement, at about the cost of the scan alone. Long scripts are cut into chunks parsed on
/// every core. A cut is made after a `;` at the end of a line, and it only stands if the chunk
/// before it parses and its last statement was ended by a `;`: a cut inside a string, dollar
/// quote, comment, parenthesis or `BEGIN ATOMIC` body makes the chunk fail to parse, and the
/// chunk is then parsed again joined with the next one.
///
/// Anything unusual sends the whole script down the scanner path instead, which says exactly
/// what is wrong: a statement PostgreSQL cannot parse, a psql meta-command, `COPY … FROM STDIN`
/// rows. A statement whose tree holds a node type without a proved layout is classified from
/// JSON on its own.
enum PostgresParsedScript {
    /// The statements of `sql`, or nil when the script needs the scanner path.
    static func split(_ sql: String) -> [SQLStatement]? {
        run(sql, chunkSize: defaultChunkSize, cutAtAnyLineEnd: false, classify: false)?.map(\.statement)
    }

    /// The classified statements of `sql`, or nil when the script needs the scanner path.
    ///
    /// `chunkSize` and `cutAtAnyLineEnd` are for tests, which cut small chunks at every `;` that
    /// ends a line (inside bodies and strings too) to show that failed cuts change nothing.
    static func splitAndClassify(
        _ sql: String, chunkSize: Int = defaultChunkSize, cutAtAnyLineEnd: Bool = false
    ) -> [ClassifiedStatement]? {
        run(sql, chunkSize: chunkSize, cutAtAnyLineEnd: cutAtAnyLineEnd, classify: true)
    }

    /// Small enough that a chunk's parse tree is still in the core's cache when it is read.
    static let defaultChunkSize = 64 * 1024

    /// The statements, classified if `classify` (else with an empty type).
    private static func run(
        _ sql: String, chunkSize: Int, cutAtAnyLineEnd: Bool, classify: Bool
    ) -> [ClassifiedStatement]? {
        guard PgRawTree.isAvailable else { return nil }
        let utf8 = Array(sql.utf8)
        guard !utf8.contains(0) else { return nil }
        let chunks = cuts(utf8, from: LineIndex.byteOrderMarkLength(utf8), chunkSize: chunkSize, anyLineEnd: cutAtAnyLineEnd)
        let parsed = parseChunks(utf8, chunks, classify: classify)
        // Join chunks whose cut did not stand, in order.
        var statements: [ClassifiedStatement] = []
        var lineBreaks = 0  // Before the chunk at hand.
        var index = 0
        while index < chunks.count {
            var result = parsed[index]
            var end = index
            while !(result?.complete ?? false) {
                end += 1
                // A script that does not parse gives up after a bounded amount of parsing.
                guard end < chunks.count, chunks[end].upperBound - chunks[index].lowerBound <= max(4 * chunkSize, 1 << 20) else {
                    return nil
                }
                result = parse(utf8, chunks[index].lowerBound..<chunks[end].upperBound, classify: classify)
            }
            guard let result, !result.hasCopyFromStdin else { return nil }
            let first = statements.count
            if statements.isEmpty { statements = result.statements } else { statements += result.statements }
            // Number statements across chunks, and make their lines the script's.
            for position in first..<statements.count {
                statements[position].statement.index = position
                statements[position].statement.line += lineBreaks
            }
            lineBreaks += result.lineBreaks
            index = end + 1
        }
        return statements
    }

    struct ChunkResult {
        /// Numbered from 0, and their lines counted from 1, within the chunk.
        var statements: [ClassifiedStatement]
        /// How many line breaks the chunk holds (chunks start at the start of a line).
        var lineBreaks = 0
        /// Whether the chunk ended between statements (or at the end of the script).
        var complete: Bool
        var hasCopyFromStdin: Bool
    }

    /// Chunk boundaries: about every `chunkSize` bytes, just after a `;` that ends a line and is
    /// followed by a line that starts like a statement or a comment, at its first column. A cut
    /// inside a function body fails and costs a parse, so the words that start lines inside
    /// bodies (`BEGIN`, `END`, `RETURN`, `IF`, …) are not taken as starts; bodies are mostly
    /// indented anyway.
    static func cuts(_ utf8: [UInt8], from start: Int, chunkSize: Int, anyLineEnd: Bool = false) -> [Range<Int>] {
        var chunks: [Range<Int>] = []
        var chunkStart = start
        while utf8.count - chunkStart > chunkSize + chunkSize / 2 {
            var cut = chunkStart + chunkSize
            while cut < utf8.count - 1, !(anyLineEnd ? utf8[cut] == UInt8(ascii: ";") && utf8[cut + 1] == 0x0A : isCut(utf8, at: cut)) {
                cut += 1
            }
            guard cut < utf8.count - 1 else { break }
            let next = utf8[cut + 1] == 0x0A ? cut + 2 : cut + 3  // Past the LF or CRLF.
            chunks.append(chunkStart..<next)
            chunkStart = next
        }
        if chunkStart < utf8.count || chunks.isEmpty { chunks.append(chunkStart..<utf8.count) }
        return chunks
    }

    /// Words that start statements in migrations, and seldom a line inside a function body.
    private static let statementStarts: [[UInt8]] = [
        "ALTER", "ANALYZE", "CALL", "CLUSTER", "COMMENT", "COPY", "CREATE", "DELETE", "DO", "DROP", "GRANT",
        "INSERT", "LOCK", "MERGE", "REFRESH", "REINDEX", "RESET", "REVOKE", "SELECT", "SET", "TRUNCATE",
        "UPDATE", "VACUUM", "WITH",
    ].map { Array($0.utf8) }

    /// Whether `utf8[at]` is a `;` ending a line (LF or CRLF) that a statement or comment follows.
    static func isCut(_ utf8: [UInt8], at: Int) -> Bool {
        guard utf8[at] == UInt8(ascii: ";") else { return false }
        let line: Int
        if utf8[at + 1] == 0x0A {
            line = at + 2
        } else if utf8[at + 1] == 0x0D, at + 2 < utf8.count, utf8[at + 2] == 0x0A {
            line = at + 3
        } else {
            return false
        }
        guard line + 1 < utf8.count else { return false }
        if utf8[line] == UInt8(ascii: "-") && utf8[line + 1] == UInt8(ascii: "-") { return true }
        if utf8[line] == UInt8(ascii: "/") && utf8[line + 1] == UInt8(ascii: "*") { return true }
        return statementStarts.contains { word in
            guard line + word.count < utf8.count else { return false }
            for (offset, letter) in word.enumerated() where utf8[line + offset] & 0xDF != letter { return false }
            let after = utf8[line + word.count]
            return after == 0x20 || after == 0x09 || after == 0x0A || after == 0x0D || after == UInt8(ascii: "(")
        }
    }

    /// Every chunk parsed, on every core when there are several; nil for a chunk that failed.
    private static func parseChunks(_ utf8: [UInt8], _ chunks: [Range<Int>], classify: Bool) -> [ChunkResult?] {
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, chunks.count)
        guard workers > 1 else { return chunks.map { parse(utf8, $0, classify: classify) } }
        let next = Atomic<Int>(0)
        let results = Mutex<[ChunkResult?]>(Array(repeating: nil, count: chunks.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < chunks.count else { return }
                let result = parse(utf8, chunks[index], classify: classify)
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0 }
    }

    /// One chunk parsed into positioned (and, if `classify`, classified) statements; nil if
    /// PostgreSQL cannot parse it.
    static func parse(_ utf8: [UInt8], _ range: Range<Int>, classify: Bool) -> ChunkResult? {
        var text = Array(utf8[range])
        text.append(0)
        // Lines and columns within the chunk, which starts at the start of a line (the NUL at its
        // end is no line break).
        let lines = LineIndex(utf8: text)
        let outcome = text.withUnsafeBufferPointer { buffer in
            PgRawTree.parse(UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)) { parsed, reader -> ChunkResult? in
                var result = ChunkResult(statements: [], lineBreaks: lines.lineCount - 1, complete: true, hasCopyFromStdin: false)
                result.statements.reserveCapacity(parsed.count)
                for raw in parsed {
                    let start = firstToken(utf8, from: range.lowerBound + raw.location)
                    var end = range.lowerBound + raw.location + raw.length + 1
                    if raw.length == 0 {
                        // A statement without its `;`: the chunk cannot end here unless the script does,
                        // and then the statement ends at its last token, which the scanner path finds.
                        guard range.upperBound == utf8.count else {
                            result.complete = false
                            return result
                        }
                        guard let tail = try? StatementSplitter.scannerSplit(String(decoding: utf8[start...], as: UTF8.self), dialect: .postgres),
                              tail.count == 1 else { return nil }
                        end = start + tail[0].end
                    }
                    let position = lines.position(ofByteOffset: start - range.lowerBound)
                    let statement = SQLStatement(
                        index: result.statements.count, text: String(decoding: utf8[start..<end], as: UTF8.self),
                        start: start, end: end, line: position.line, column: position.column)
                    let node = reader.layoutIndex(of: raw.node).map { PgRawValue(node: raw.node, layout: $0) }
                    // psql sends the rows after COPY … FROM STDIN itself: the scanner path refuses them.
                    if node?.tag == "CopyStmt", node?["is_from"]?.bool == true, node?["filename"] == nil {
                        result.hasCopyFromStdin = true
                    }
                    guard classify else {
                        result.statements.append(ClassifiedStatement(statement: statement, type: "", category: .other, tables: [], transactional: true))
                        continue
                    }
                    // A tree holding a node type without a proved layout is classified from JSON.
                    guard let node, let found = reader.relations(of: raw.node) else {
                        result.statements.append(PostgresClassifier.classify(statement))
                        continue
                    }
                    result.statements.append(PostgresClassifier.classify(
                        statement, node: node, tables: PostgresClassifier.tables(node, relations: found.relations, ctes: found.ctes)))
                }
                return result
            }
        }
        return (try? outcome.get()) ?? nil
    }

    /// The first byte at or after `offset` that is not whitespace or part of a comment: where
    /// the statement that the parser says starts at `offset` (just past the previous `;`) has
    /// its first token.
    static func firstToken(_ utf8: [UInt8], from offset: Int) -> Int {
        var at = offset
        let count = utf8.count
        while at < count {
            switch utf8[at] {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x0B:
                at += 1
            case UInt8(ascii: "-") where at + 1 < count && utf8[at + 1] == UInt8(ascii: "-"):
                while at < count, utf8[at] != 0x0A, utf8[at] != 0x0D { at += 1 }
            case UInt8(ascii: "/") where at + 1 < count && utf8[at + 1] == UInt8(ascii: "*"):
                var depth = 0
                repeat {
                    if utf8[at] == UInt8(ascii: "/"), at + 1 < count, utf8[at + 1] == UInt8(ascii: "*") {
                        depth += 1; at += 2
                    } else if utf8[at] == UInt8(ascii: "*"), at + 1 < count, utf8[at + 1] == UInt8(ascii: "/") {
                        depth -= 1; at += 2
                    } else {
                        at += 1
                    }
                } while depth > 0 && at < count
            default:
                return at
            }
        }
        return at
    }
}
