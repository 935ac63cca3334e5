/// A statement of a sheet that the sheet policy refuses: what it is, where it sits, why it is
/// refused and what to write instead. A sheet touches only its own target, and only through
/// Sluice's own transaction; everything else is a violation.
public struct SheetViolation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 0-based index of the statement in the sheet.
    public var statementIndex: Int
    /// 1-based line and column (Unicode scalars) of the offending construct in the sheet.
    public var line: Int
    public var column: Int
    /// What was refused, in a few words: "COMMIT", "ATTACH DATABASE", "PRAGMA journal_mode = …".
    public var construct: String
    /// Why it is refused.
    public var reason: String
    /// What to do instead.
    public var hint: String

    public init(statementIndex: Int, line: Int, column: Int, construct: String, reason: String, hint: String) {
        self.statementIndex = statementIndex
        self.line = line
        self.column = column
        self.construct = construct
        self.reason = reason
        self.hint = hint
    }

    /// "line 3, column 1: COMMIT is refused: <reason>. <hint>"
    public var description: String {
        "line \(line), column \(column): \(construct) is refused: \(reason). \(hint)"
    }
}
