/// Turns the byte ranges a dialect's splitter finds into numbered, positioned statements.
struct StatementCollector {
    let lines: LineIndex
    private(set) var statements: [SQLStatement] = []

    init(source: String) {
        lines = LineIndex(source)
    }

    /// The source's UTF-8 bytes; every offset the splitters deal in indexes into them.
    var utf8: [UInt8] { lines.utf8 }

    /// Where the script proper begins: past a leading byte-order mark, which neither SQLite nor
    /// PostgreSQL would take for whitespace (it would glue itself to the first keyword).
    var scriptStart: Int { LineIndex.byteOrderMarkLength(utf8) }

    /// Records the statement occupying `start..<end`, numbering it after the ones before.
    mutating func append(start: Int, end: Int) {
        let position = lines.position(ofByteOffset: start)
        statements.append(
            SQLStatement(
                index: statements.count,
                text: String(decoding: utf8[start..<end], as: UTF8.self),
                start: start,
                end: end,
                line: position.line,
                column: position.column
            )
        )
    }

    /// An error located at a byte offset of the source.
    func error(_ kind: SQLSplitError.Kind, _ message: String, at offset: Int) -> SQLSplitError {
        let position = lines.position(ofByteOffset: offset)
        return SQLSplitError(
            kind: kind, message: message, line: position.line, column: position.column, offset: offset)
    }

    /// The error a splitter's problem amounts to, with its line and column.
    func error(_ problem: SplitProblem) -> SQLSplitError {
        error(problem.kind, problem.message, at: problem.offset)
    }
}
