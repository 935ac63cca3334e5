/// SQL review: runs the configured rules over every statement of a sheet.
public enum SQLReviewer {
    /// The findings for `sql`, in sheet order. A sheet that cannot be split gives one ERROR
    /// finding (`statement.syntax-error`) at the problem.
    ///
    /// - Parameters:
    ///   - schema: SQLite only: the target's schema, for classification (see ``SQLClassifier``).
    ///   - affectedRows: rows each statement (by index) changes, when a plan check knows them.
    public static func review(_ sql: String, dialect: SQLDialect, config: ReviewConfig = .default, schema: String? = nil,
                              affectedRows: [Int: Int64] = [:]) -> [ReviewFinding] {
        let statements: [SQLStatement]
        do {
            statements = try StatementSplitter.split(sql, dialect: dialect)
        } catch let error as SQLSplitError {
            return [ReviewFinding(rule: "statement.syntax-error", level: .error, message: error.message,
                                  fix: "Correct the SQL at this position.", statementIndex: nil,
                                  line: error.line, column: error.column, offset: error.offset)]
        } catch {
            return []
        }
        var nodes: [PgNode?] = []
        var classified: [ClassifiedStatement] = []
        var findings: [ReviewFinding] = []
        let lines = LineIndex(sql)
        switch dialect {
        case .postgres:
            for statement in statements {
                do {
                    let node = try PgParser.parse(statement.text).first?.node
                    nodes.append(node)
                    classified.append(node.map { PostgresClassifier.classify(statement, node: $0) }
                                      ?? KeywordClassifier.classify(statement, note: nil))
                } catch {
                    nodes.append(nil)
                    classified.append(KeywordClassifier.classify(statement, note: error.message))
                    let position = lines.position(ofByteOffset: statement.start + error.offset)
                    findings.append(ReviewFinding(rule: "statement.syntax-error", level: .error,
                                                  message: "PostgreSQL cannot parse this statement: \(error.message)",
                                                  fix: "Correct the SQL at this position.", statementIndex: statement.index,
                                                  line: position.line, column: position.column, offset: statement.start + error.offset))
                }
            }
        case .sqlite:
            classified = SQLClassifier.classify(statements, dialect: .sqlite, schema: schema)
            nodes = Array(repeating: nil, count: statements.count)
        }
        let utf8 = Array(sql.utf8)
        let rules = ReviewRules.all.filter { config.level(of: $0) != .disabled && $0.dialects.contains(dialect) }
        var previousEnd = 0
        for (index, statement) in classified.enumerated() {
            let ignored = Suppression.ignoredRules(in: utf8, from: previousEnd, statement: statement.statement, dialect: dialect)
            previousEnd = statement.statement.end
            let words = WordScanner.words(statement.statement.text, dialect: dialect)
            for rule in rules where !ignored.contains(rule.name) && !ignored.contains("all") {
                let input = RuleInput(dialect: dialect, statement: statement, node: nodes[index], words: words,
                                      earlier: classified[..<index], sheet: classified, affectedRows: affectedRows[index],
                                      parameters: { config.parameter($0, of: rule) })
                for hit in rule.check(input) {
                    let offset = statement.statement.start + (hit.offset ?? 0)
                    let position = lines.position(ofByteOffset: offset)
                    findings.append(ReviewFinding(rule: rule.name, level: config.level(of: rule), message: hit.message, fix: rule.fix,
                                                  statementIndex: index, line: position.line, column: position.column, offset: offset))
                }
            }
        }
        return findings.sorted { ($0.offset, $0.rule) < ($1.offset, $1.rule) }
    }
}

/// `-- sluice:ignore RULE[, RULE…]` comments, in the statement or just before it.
enum Suppression {
    static let marker = "sluice:ignore"

    static func ignoredRules(in utf8: [UInt8], from previousEnd: Int, statement: SQLStatement, dialect: SQLDialect) -> Set<String> {
        let text = String(decoding: utf8[min(previousEnd, statement.start)..<statement.end], as: UTF8.self)
        guard text.contains(marker) else { return [] }
        var names = Set<String>()
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            guard let range = line.range(of: marker) else { continue }
            let rest = line[range.upperBound...].replacingOccurrences(of: "*/", with: " ")
            for name in rest.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) where !name.isEmpty {
                names.insert(String(name))
            }
            if rest.trimmingCharacters(in: .whitespaces).isEmpty { names.insert("all") }
        }
        return names
    }
}
