/// One statement cut from a script, with where it sits in the source.
///
/// `text` runs from the statement's first token (leading whitespace and comments are left out)
/// through its terminating `;` inclusive. The last statement of a script may lack the `;`; its
/// text then ends with its last token, leaving out trailing whitespace and comments. Both
/// dialects follow the same rule, so `text` is exactly the source's bytes `start..<end`.
public struct SQLStatement: Sendable, Hashable, Codable {
    /// The statement's 0-based position among the script's non-empty statements.
    public var index: Int
    /// The statement exactly as written, from its first token through its `;`.
    public var text: String
    /// The UTF-8 byte offset of the statement's first byte in the source.
    public var start: Int
    /// The UTF-8 byte offset one past the statement's last byte.
    public var end: Int
    /// The 1-based line of `start`.
    public var line: Int
    /// The 1-based column of `start`, counting Unicode scalars (see ``LineIndex``).
    public var column: Int

    public init(index: Int, text: String, start: Int, end: Int, line: Int, column: Int) {
        self.index = index
        self.text = text
        self.start = start
        self.end = end
        self.line = line
        self.column = column
    }
}
