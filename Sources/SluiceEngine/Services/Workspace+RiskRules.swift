import Foundation
import GRDB

extension SluiceError {
    /// A condition that does not compile: the message says where, with the line and a caret.
    static func invalidCondition(_ e: ExpressionError, context: String = "condition") -> SluiceError {
        .usage("invalid \(context): \(e.description)\n\(e.caretSnippet())",
               hint: "`sluice risk templates` lists the variables, with examples.")
    }
}

extension Workspace {
    /// Compiles a condition or throws a usage error carrying its column and a caret line.
    public static func compileCondition(_ text: String) throws -> RiskCondition {
        do { return try RiskCondition.compile(text) } catch { throw SluiceError.invalidCondition(error) }
    }

    /// Adds a risk rule; its condition is checked now, never at rollout time.
    public func addRiskRule(by actor: Principal, title: String, source: RiskSource, level: RiskLevel,
                            condition: String, active: Bool = true) throws -> RiskRule {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else { throw SluiceError.usage("a risk rule needs a title (--title)") }
        _ = try Workspace.compileCondition(condition)
        return try store.write { db in
            try require(.settingsManage, actor, to: "add risk rules", db)
            try requireUniqueRiskTitle(title, except: nil, db)
            try db.execute(sql: "INSERT INTO riskRule (title, source, level, active, condition, createdAt) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [title, source.rawValue, level.rawValue, active, condition, now])
            return try fetchRiskRule(db.lastInsertedRowID, db)
        }
    }

    /// Adds the rule of a shipped template, with `{protected}` expanded to today's protected environments.
    public func addRiskRule(by actor: Principal, template name: String, title: String? = nil,
                            level: RiskLevel? = nil) throws -> RiskRule {
        guard let t = RiskTemplate.all.first(where: { $0.name == name }) else {
            throw SluiceError.notFound("no risk template \(name)", hint: "See `sluice risk templates`.")
        }
        let protected = try environments().filter(\.protected).map(\.name)
        if t.condition.contains("{protected}") && protected.isEmpty {
            throw SluiceError.precondition("template \(name) is about protected environments, and there are none",
                                           hint: "Mark one with `sluice env add NAME --order N --protected`, or write the rule with `sluice risk add`.")
        }
        return try addRiskRule(by: actor, title: title ?? t.title, source: t.source, level: level ?? t.level,
                               condition: t.condition(protectedEnvironments: protected))
    }

    public func riskRules() throws -> [RiskRule] {
        try store.read { db in try RiskRule.fetchAll(db, sql: "SELECT * FROM riskRule ORDER BY id") }
    }

    /// Changes some fields of a rule; a new condition is checked first.
    public func updateRiskRule(by actor: Principal, id: Int64, title: String? = nil, source: RiskSource? = nil,
                               level: RiskLevel? = nil, condition: String? = nil, active: Bool? = nil) throws -> RiskRule {
        if let condition { _ = try Workspace.compileCondition(condition) }
        let newTitle = title?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let newTitle, newTitle.isEmpty { throw SluiceError.usage("the title cannot be empty") }
        return try store.write { db in
            try require(.settingsManage, actor, to: "change risk rules", db)
            var rule = try fetchRiskRule(id, db)
            if let newTitle { try requireUniqueRiskTitle(newTitle, except: id, db); rule.title = newTitle }
            if let source { rule.source = source }
            if let level { rule.level = level }
            if let condition { rule.condition = condition }
            if let active { rule.active = active }
            try db.execute(sql: "UPDATE riskRule SET title = ?, source = ?, level = ?, active = ?, condition = ? WHERE id = ?",
                           arguments: [rule.title, rule.source.rawValue, rule.level.rawValue, rule.active, rule.condition, id])
            return rule
        }
    }

    public func removeRiskRule(by actor: Principal, id: Int64) throws -> RiskRule {
        try store.write { db in
            try require(.settingsManage, actor, to: "remove risk rules", db)
            let rule = try fetchRiskRule(id, db)
            try db.execute(sql: "DELETE FROM riskRule WHERE id = ?", arguments: [id])
            return rule
        }
    }

    func fetchRiskRule(_ id: Int64, _ db: Database) throws -> RiskRule {
        guard let r = try RiskRule.fetchOne(db, sql: "SELECT * FROM riskRule WHERE id = ?", arguments: [id]) else {
            throw SluiceError.notFound("no risk rule \(id)", hint: "See `sluice risk list`.")
        }
        return r
    }

    private func requireUniqueRiskTitle(_ title: String, except id: Int64?, _ db: Database) throws {
        if let other = try Int64.fetchOne(db, sql: "SELECT id FROM riskRule WHERE title = ?", arguments: [title]), other != id {
            throw SluiceError.precondition("risk rule \(other) already has the title \"\(title)\"",
                                           hint: "Titles name rules in `sluice settings` files, so each must be unique.")
        }
    }
}
