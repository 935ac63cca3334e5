import Foundation

/// Why a script could not be cut into statements, and where the trouble starts.
///
/// The message names the problem and the fix but never quotes the script's literals, which may
/// hold someone else's data.
public struct SQLSplitError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    /// The kind of problem, for callers that react to particular ones.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A `'…'` string (or `E'…'`, `B'…'`, `X'…'`) that never closes.
        case unterminatedString
        /// A `"…"`, `` `…` `` or `[…]` identifier that never closes.
        case unterminatedQuotedIdentifier
        /// A `/* … */` comment that never closes.
        case unterminatedComment
        /// A PostgreSQL `$tag$ … $tag$` string that never closes.
        case unterminatedDollarQuote
        /// A SQLite trigger body or a PostgreSQL `BEGIN ATOMIC` body without its `END`.
        case unterminatedBody
        /// A PostgreSQL `(` that never closes, which would swallow every later statement.
        case unclosedParenthesis
        /// A psql meta-command such as `\connect`, which only psql understands.
        case psqlMetaCommand
        /// `COPY … FROM STDIN`, whose rows only psql can feed.
        case copyFromStdin
        /// A NUL character, which no SQL text may contain.
        case nulCharacter
        /// Any other complaint of PostgreSQL's scanner, or a scanner that could not be used.
        case invalidToken
    }

    public var kind: Kind
    /// What went wrong and what to do about it.
    public var message: String
    /// The 1-based line where the offending token starts.
    public var line: Int
    /// The 1-based column (in Unicode scalars) where the offending token starts.
    public var column: Int
    /// The UTF-8 byte offset where the offending token starts.
    public var offset: Int

    public init(kind: Kind, message: String, line: Int, column: Int, offset: Int) {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
        self.offset = offset
    }

    public var description: String { "line \(line), column \(column): \(message)" }

    public var errorDescription: String? { description }
}
