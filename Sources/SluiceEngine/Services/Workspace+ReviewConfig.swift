import Foundation
import GRDB
import SluiceSQL

extension Workspace {
    /// The SQL review policy of an environment, or nil when none is set. As in Bytebase, plan
    /// checks review SQL only in environments that have a policy; `sluice review` alone uses
    /// the built-in defaults.
    public func reviewConfig(environment: String) throws -> ReviewConfig? {
        try store.read { db in try fetchReviewConfig(db, environment: environment) }
    }

    func fetchReviewConfig(_ db: Database, environment: String) throws -> ReviewConfig? {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM environment WHERE name = ?", arguments: [environment]) != nil else {
            throw SluiceError.notFound("no environment \(environment)", hint: "See `sluice env list`.")
        }
        guard let json = try String.fetchOne(db, sql: "SELECT config FROM reviewConfig WHERE environment = ?", arguments: [environment]) else {
            return nil
        }
        do {
            return try JSONDecoder().decode(ReviewConfig.self, from: Data(json.utf8))
        } catch {
            throw SluiceError.failure("the SQL review configuration of \(environment) cannot be read: \(error)",
                                      hint: "Set it again with the settings file.")
        }
    }

    /// Replaces the SQL review configuration of an environment; needs `settings.manage`.
    /// Unknown rule names are refused, so a typo does not silently leave a rule at its default.
    public func setReviewConfig(by actor: Principal, environment: String, _ config: ReviewConfig) throws {
        let unknown = config.unknownRuleNames
        guard unknown.isEmpty else {
            throw SluiceError.usage("unknown SQL review rule(s): \(unknown.joined(separator: ", "))",
                                    hint: "See the rule names with `sluice review --rules`.")
        }
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        try store.write { db in
            try require(.settingsManage, actor, to: "configure SQL review", db)
            _ = try fetchReviewConfig(db, environment: environment)
            try db.execute(sql: """
                INSERT INTO reviewConfig (environment, config, updatedAt, updatedBy) VALUES (?, ?, ?, ?)
                ON CONFLICT(environment) DO UPDATE SET config = excluded.config, updatedAt = excluded.updatedAt, updatedBy = excluded.updatedBy
                """, arguments: [environment, json, now, actor.email])
        }
    }
}
