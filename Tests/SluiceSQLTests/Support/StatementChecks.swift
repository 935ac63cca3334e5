import Testing
@testable import SluiceSQL

/// What every split must satisfy whatever the dialect: dense indexes, increasing disjoint
/// ranges, text that is exactly the source's bytes, and lines and columns counted right.
func expectConsistent(_ statements: [SQLStatement], in source: String, sourceLocation: SourceLocation = #_sourceLocation) {
    var previousEnd = 0
    for (position, statement) in statements.enumerated() {
        #expect(statement.index == position, sourceLocation: sourceLocation)
        #expect(statement.start >= previousEnd && statement.start < statement.end, sourceLocation: sourceLocation)
        #expect(statement.text == slice(source, statement.start..<statement.end), sourceLocation: sourceLocation)
        let naive = naivePosition(ofByteOffset: statement.start, in: source)
        #expect(statement.line == naive.line && statement.column == naive.column, "statement \(position)", sourceLocation: sourceLocation)
        #expect(statement.text.first?.isWhitespace == false, sourceLocation: sourceLocation)
        #expect(statement.text.last?.isWhitespace == false, sourceLocation: sourceLocation)
        previousEnd = statement.end
    }
}

/// The same script split again with CRLF line endings: same statements, lines and columns, with
/// offsets moved by one byte per earlier line break.
func expectCRLFMovesOnlyOffsets(_ source: String, dialect: SQLDialect, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let plain = try StatementSplitter.split(source, dialect: dialect)
    let crlf = try StatementSplitter.split(withCRLF(source), dialect: dialect)
    #expect(plain.count == crlf.count, sourceLocation: sourceLocation)
    let bytes = Array(source.utf8)
    for (lf, crlf) in zip(plain, crlf) {
        let breaksBefore = bytes[..<lf.start].filter { $0 == UInt8(ascii: "\n") }.count
        let breaksInside = bytes[lf.start..<lf.end].filter { $0 == UInt8(ascii: "\n") }.count
        #expect(crlf.start == lf.start + breaksBefore, sourceLocation: sourceLocation)
        #expect(crlf.end == lf.end + breaksBefore + breaksInside, sourceLocation: sourceLocation)
        #expect(crlf.text == withCRLF(lf.text), sourceLocation: sourceLocation)
        #expect(crlf.line == lf.line && crlf.column == lf.column, sourceLocation: sourceLocation)
    }
}

/// The error splitting `sql` gives, or nil when it splits.
func splitError(_ sql: String, _ dialect: SQLDialect) -> SQLSplitError? {
    do {
        _ = try StatementSplitter.split(sql, dialect: dialect)
        return nil
    } catch let error as SQLSplitError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

/// A script that must not split, and where its trouble must be reported.
struct MalformedScript: Sendable, CustomTestStringConvertible {
    var sql: String
    var kind: SQLSplitError.Kind
    var line: Int
    var column: Int
    var mentions: String = ""

    var testDescription: String { "\(kind) at \(line):\(column) in \(sql.debugDescription)" }

    func check(_ dialect: SQLDialect, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = splitError(sql, dialect) else {
            Issue.record("\(sql.debugDescription) split without an error", sourceLocation: sourceLocation)
            return
        }
        #expect(error.kind == kind, sourceLocation: sourceLocation)
        #expect(error.line == line && error.column == column, "\(error)", sourceLocation: sourceLocation)
        let naive = naivePosition(ofByteOffset: error.offset, in: sql)
        #expect(naive.line == line && naive.column == column, "offset \(error.offset)", sourceLocation: sourceLocation)
        if !mentions.isEmpty {
            #expect(error.message.contains(mentions), "\(error.message)", sourceLocation: sourceLocation)
        }
    }
}
