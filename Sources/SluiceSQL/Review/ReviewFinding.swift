/// One thing SQL review found: which rule, how serious, where, and how to fix it.
public struct ReviewFinding: Sendable, Hashable, Codable {
    public var rule: String
    public var level: ReviewLevel
    public var message: String
    /// A one-line "how to fix".
    public var fix: String
    /// The statement's 0-based index in the sheet (nil when the sheet could not be split).
    public var statementIndex: Int?
    public var line: Int
    public var column: Int
    /// UTF-8 byte offset in the sheet.
    public var offset: Int

    public init(rule: String, level: ReviewLevel, message: String, fix: String, statementIndex: Int?, line: Int, column: Int, offset: Int) {
        self.rule = rule
        self.level = level
        self.message = message
        self.fix = fix
        self.statementIndex = statementIndex
        self.line = line
        self.column = column
        self.offset = offset
    }
}

extension Array where Element == ReviewFinding {
    /// The most serious level among the findings; `.disabled` when there are none.
    public var highestLevel: ReviewLevel { map(\.level).max() ?? .disabled }
}
