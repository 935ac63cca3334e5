/// Follows PostgreSQL tokens the way psql does to find where each statement ends.
///
/// A `;` ends a statement unless it is inside parentheses, or inside the body of a
/// `CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN ATOMIC … END`, which psql recognises with
/// the heuristic reproduced here from `psqlscan.l`: once a statement starts with those words,
/// `BEGIN` and (inside a body) `CASE` open a block that `END` closes. Along the way it refuses
/// what only psql can run: meta-commands and `COPY … FROM STDIN`.
struct PsqlStatementTracker {
    private let utf8: [UInt8]
    /// The current statement's first token; nil while only comments have come.
    private var statementStart: Int?
    /// Where the comments after the statement's last token begin, if any came.
    private var trailingCommentStart: Int?
    /// Where the statement's last token (not a comment) starts: trimming never cuts into it.
    private var lastTokenStart = 0
    /// The offsets of the `(` not yet closed, outermost first.
    private var openParentheses: [Int] = []
    private var blockDepth = 0
    private var outermostBegin = 0
    /// psql's `identifier_count` and `identifiers`: how many words the statement has had, and
    /// the initials of its first four if they are among the words that introduce a routine.
    private var wordCount = 0
    private var leadingInitials: [UInt8] = [0, 0, 0, 0]
    private var isCopy = false
    private var previousWasFrom = false

    init(utf8: [UInt8]) {
        self.utf8 = utf8
    }

    /// Takes the next token and returns the byte range of the statement it ends, if it ends one.
    mutating func consume(_ token: PostgresScanner.Token) throws(SplitProblem) -> Range<Int>? {
        if token.isComment {
            if statementStart != nil, trailingCommentStart == nil { trailingCommentStart = token.start }
            return nil
        }
        trailingCommentStart = nil
        lastTokenStart = token.start
        if token.kind == PostgresScanner.Token.backslash {
            throw metaCommand(at: token.start)
        }
        let isFirst = statementStart == nil
        let start = statementStart ?? token.start
        statementStart = start
        let word = self.word(token)

        switch token.kind {
        case PostgresScanner.Token.openParenthesis:
            openParentheses.append(token.start)
        case PostgresScanner.Token.closeParenthesis:
            _ = openParentheses.popLast()
        case PostgresScanner.Token.semicolon where openParentheses.isEmpty && blockDepth == 0:
            self = PsqlStatementTracker(utf8: utf8)
            // A lone `;` is an empty statement: nothing to run.
            return isFirst ? nil : start..<(token.start + 1)
        default:
            if let word { track(word, at: token.start) }
        }

        if let word {
            if isFirst {
                isCopy = word == "copy"
            } else if isCopy, previousWasFrom, word == "stdin" {
                throw SplitProblem(
                    kind: .copyFromStdin,
                    message: "COPY … FROM STDIN is not supported: its rows would follow the statement as psql input, which Sluice does not read; load the rows with INSERT statements instead",
                    offset: start)
            }
        }
        previousWasFrom = word == "from" && openParentheses.isEmpty
        return nil
    }

    /// The byte range of a last statement that has no `;`, once every token has been consumed.
    mutating func finish() throws(SplitProblem) -> Range<Int>? {
        guard let start = statementStart else { return nil }
        if let parenthesis = openParentheses.first {
            throw SplitProblem(
                kind: .unclosedParenthesis,
                message: "unclosed parenthesis: the ( here is never closed, so every statement after it would be read as part of this one; close it with )",
                offset: parenthesis)
        }
        if blockDepth > 0 {
            throw SplitProblem(
                kind: .unterminatedBody,
                message: "unterminated function body: the BEGIN here is never closed by END, so every statement after it would be read as part of the body; end the body with END;",
                offset: outermostBegin)
        }
        // Token ends are unreliable (see PostgresScanner), so the statement ends where the
        // trailing comments begin, or at the end of the script, less the whitespace before.
        var end = trailingCommentStart ?? utf8.count
        // A token may itself be a character psql counts as space (a vertical tab is one to psql
        // but a token to PostgreSQL's scanner): never trim into the last token.
        while end > max(start, lastTokenStart + 1), Self.isSpace(utf8[end - 1]) { end -= 1 }
        return start..<end
    }

    /// psql's heuristic for `BEGIN ATOMIC … END` bodies (`psqlscan.l`, rule `{identifier}`).
    private mutating func track(_ word: String, at offset: Int) {
        if wordCount < leadingInitials.count,
            ["create", "function", "procedure", "or", "replace"].contains(word),
            let initial = word.utf8.first
        {
            leadingInitials[wordCount] = initial
        }
        wordCount += 1
        guard definesRoutine, openParentheses.isEmpty else { return }
        switch word {
        case "begin":
            if blockDepth == 0 { outermostBegin = offset }
            blockDepth += 1
        case "case":
            // CASE also ends with END, but only matters inside a body.
            if blockDepth >= 1 { blockDepth += 1 }
        case "end":
            if blockDepth > 0 { blockDepth -= 1 }
        default:
            break
        }
    }

    /// Whether the statement began `CREATE [OR REPLACE] FUNCTION|PROCEDURE`.
    private var definesRoutine: Bool {
        let routine: Set<UInt8> = [UInt8(ascii: "f"), UInt8(ascii: "p")]
        guard leadingInitials[0] == UInt8(ascii: "c") else { return false }
        return routine.contains(leadingInitials[1])
            || (leadingInitials[1] == UInt8(ascii: "o") && leadingInitials[2] == UInt8(ascii: "r")
                && routine.contains(leadingInitials[3]))
    }

    /// The lower-cased text of a keyword or unquoted identifier (what psql calls an identifier),
    /// or nil for any other token. Words longer than any looked for come back as "": they still
    /// count as words, but need not be spelled out.
    private func word(_ token: PostgresScanner.Token) -> String? {
        guard token.isKeyword
            || (token.kind == PostgresScanner.Token.identifier && utf8[token.start] != UInt8(ascii: "\""))
        else { return nil }
        var bytes: [UInt8] = []
        var index = token.start
        while index < utf8.count, Self.isWordByte(utf8[index]) {
            guard bytes.count < 9 else { return "" }  // "procedure" is the longest word of interest.
            bytes.append(utf8[index] | (utf8[index] >= 0x41 && utf8[index] <= 0x5A ? 0x20 : 0))
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private func metaCommand(at offset: Int) -> SplitProblem {
        let name = utf8[(offset + 1)...].prefix { byte in
            Self.isWordByte(byte) && byte < 0x80 || "!?.+".utf8.contains(byte)
        }.prefix(16)
        let command = "\\" + String(decoding: name, as: UTF8.self)
        return SplitProblem(
            kind: .psqlMetaCommand,
            message: "psql meta-command \(command) is not supported: Sluice runs plain SQL, not psql scripts; remove it and do its job through Sluice (for instance, pick the target database in Sluice instead of \\connect)",
            offset: offset)
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"), 0x80...0xFF:
            true
        default:
            false
        }
    }

    /// PostgreSQL's whitespace (`space` in scan.l), plus the vertical tab psql also skips.
    private static func isSpace(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D: true
        default: false
        }
    }
}
