import Foundation

/// A hit of a rule inside one statement: what is wrong, and where in the statement's text.
public struct RuleHit: Sendable {
    public var message: String
    /// Byte offset inside the statement's text; nil points at the statement's start.
    public var offset: Int?

    public init(_ message: String, at offset: Int? = nil) {
        self.message = message
        self.offset = offset
    }
}

/// One SQL review rule: its name (Bytebase's where one exists), default level and parameters,
/// the dialects it understands, a one-line fix, and the check itself.
public struct ReviewRule: Sendable {
    public var name: String
    public var summary: String
    public var fix: String
    public var defaultLevel: ReviewLevel
    public var defaultParameters: [String: ReviewParameter]
    public var dialects: Set<SQLDialect>
    let check: @Sendable (RuleInput) -> [RuleHit]

    init(_ name: String, _ summary: String, fix: String, level: ReviewLevel, dialects: Set<SQLDialect> = [.postgres, .sqlite],
         parameters: [String: ReviewParameter] = [:], check: @escaping @Sendable (RuleInput) -> [RuleHit]) {
        self.name = name
        self.summary = summary
        self.fix = fix
        self.defaultLevel = level
        self.defaultParameters = parameters
        self.dialects = dialects
        self.check = check
    }
}

/// Everything a rule may look at for one statement.
public struct RuleInput: Sendable {
    public let dialect: SQLDialect
    public let statement: ClassifiedStatement
    /// PostgreSQL's parse tree of the statement (nil for SQLite, or when it does not parse).
    public let node: PgNode?
    /// Upper-cased words of the statement outside strings, quoted names and comments, with their offsets.
    public let words: [StatementWord]
    /// The statements before this one in the sheet.
    public let earlier: ArraySlice<ClassifiedStatement>
    /// The whole sheet.
    public let sheet: [ClassifiedStatement]
    /// Rows the statement changes, when a plan check measured or estimated them.
    public let affectedRows: Int64?
    let parameters: @Sendable (String) -> ReviewParameter?

    public func int(_ name: String) -> Int? { parameters(name)?.intValue }
    public func string(_ name: String) -> String? { parameters(name)?.stringValue }
    public func list(_ name: String) -> [String] { parameters(name)?.listValue ?? [] }

    public var text: String { statement.statement.text }
    public var tag: String? { node?.tag }

    /// Whether `table` was created earlier in this sheet (so it is new and empty: no lock worries).
    public func isCreatedEarlier(_ table: String) -> Bool {
        earlier.contains { ($0.type == "CREATE_TABLE" || $0.type == "CREATE_TABLE_AS") && $0.tables.first?.lowercased() == table.lowercased() }
    }

    /// Whether the statement has `word` outside parentheses (or anywhere, with `anyDepth`).
    public func hasWord(_ word: String, anyDepth: Bool = false) -> Bool {
        words.contains { $0.word == word && (anyDepth || $0.depth == 0) }
    }

    /// Whether `sequence` appears as consecutive words.
    public func hasWords(_ sequence: [String]) -> Bool {
        guard sequence.count <= words.count else { return false }
        for start in 0...(words.count - sequence.count) where words[start].word == sequence[0] {
            if (0..<sequence.count).allSatisfy({ words[start + $0].word == sequence[$0] }) { return true }
        }
        return false
    }

    /// Whether `pattern` (a regular expression) matches all of `name`.
    public static func matches(_ name: String, _ pattern: String) -> Bool {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return true }
        return regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
    }

    /// The offset of the first occurrence of `word`, if any.
    public func offset(of word: String) -> Int? { words.first { $0.word == word }?.offset }
}

/// The catalogue of rules, by family.
public enum ReviewRules {
    public static let all: [ReviewRule] =
        StatementRules.all + AlterTableRules.all + LockRules.all + TableRules.all + ColumnRules.all + NamingRules.all + IndexRules.all

    public static let byName: [String: ReviewRule] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
}
