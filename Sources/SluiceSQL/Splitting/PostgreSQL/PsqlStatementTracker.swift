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
    private var leadingWords: (Word, Word, Word, Word) = (.other, .other, .other, .other)
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
                isCopy = word == .copy
            } else if isCopy, previousWasFrom, word == .stdin {
                throw SplitProblem(
                    kind: .copyFromStdin,
                    message: "COPY … FROM STDIN is not supported: its rows would follow the statement as psql input, which Sluice does not read; load the rows with INSERT statements instead",
                    offset: start)
            }
        }
        previousWasFrom = word == .from && openParentheses.isEmpty
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
    private mutating func track(_ word: Word, at offset: Int) {
        // psql remembers the initials of the first four words among these: only C, F, P, O and
        // R matter, and no two of these words share an initial, so the word stands for it.
        if wordCount < 4, word.introducesRoutine {
            switch wordCount {
            case 0: leadingWords.0 = word
            case 1: leadingWords.1 = word
            case 2: leadingWords.2 = word
            default: leadingWords.3 = word
            }
        }
        wordCount += 1
        guard definesRoutine, openParentheses.isEmpty else { return }
        switch word {
        case .begin:
            if blockDepth == 0 { outermostBegin = offset }
            blockDepth += 1
        case .case:
            // CASE also ends with END, but only matters inside a body.
            if blockDepth >= 1 { blockDepth += 1 }
        case .end:
            if blockDepth > 0 { blockDepth -= 1 }
        default:
            break
        }
    }

    /// Whether the statement began `CREATE [OR REPLACE] FUNCTION|PROCEDURE`.
    private var definesRoutine: Bool {
        guard leadingWords.0 == .create else { return false }
        return leadingWords.1.isRoutine
            || (leadingWords.1 == .or && leadingWords.2 == .replace && leadingWords.3.isRoutine)
    }

    /// The keyword or unquoted identifier (what psql calls an identifier) a token is, case
    /// folded, or nil for any other token. Words the tracker does not look for are `.other`.
    private func word(_ token: PostgresScanner.Token) -> Word? {
        guard token.isKeyword
            || (token.kind == PostgresScanner.Token.identifier && utf8[token.start] != UInt8(ascii: "\""))
        else { return nil }
        // The word's letters, folded to lower case, packed into an integer: "procedure" is the
        // longest word looked for (9 letters), so longer ones need not be spelled out.
        var packed: UInt128 = 0
        var length = 0
        var index = token.start
        while index < utf8.count, Self.isWordByte(utf8[index]) {
            guard length < 9 else { return .other }
            let byte = utf8[index] | (utf8[index] >= 0x41 && utf8[index] <= 0x5A ? 0x20 : 0)
            packed = packed << 8 | UInt128(byte)
            length += 1
            index += 1
        }
        return Word.byLetters[packed] ?? .other
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

extension PsqlStatementTracker {
    /// The words the tracker reacts to.
    enum Word: CaseIterable {
        case create, function, procedure, or, replace, begin, `case`, end, copy, from, stdin, other

        var introducesRoutine: Bool {
            switch self {
            case .create, .function, .procedure, .or, .replace: true
            default: false
            }
        }
        var isRoutine: Bool { self == .function || self == .procedure }

        /// Each word by its lower-case letters packed into an integer, one byte each.
        static let byLetters: [UInt128: Word] = Dictionary(uniqueKeysWithValues: allCases.compactMap { word in
            let spelling = "\(word)".utf8
            guard word != .other else { return nil }
            return (spelling.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }, word)
        })
    }
}
