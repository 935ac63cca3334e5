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

    /// Every stored policy, environment → configuration (normalized: no empty parameter sets).
    func fetchAllReviewConfigs(_ db: Database) throws -> [String: ReviewConfig] {
        var out: [String: ReviewConfig] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT environment, config FROM reviewConfig") {
            let environment: String = row["environment"], json: String = row["config"]
            do {
                out[environment] = try JSONDecoder().decode(ReviewConfig.self, from: Data(json.utf8)).normalized
            } catch {
                throw SluiceError.failure("the SQL review configuration of \(environment) cannot be read: \(error)",
                                          hint: "Set it again with the settings file.")
            }
        }
        return out
    }

    /// Writes an environment's policy (the caller checked permission and the configuration).
    func storeReviewConfig(_ db: Database, environment: String, _ config: ReviewConfig, by actor: Principal) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(config), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO reviewConfig (environment, config, updatedAt, updatedBy) VALUES (?, ?, ?, ?)
            ON CONFLICT(environment) DO UPDATE SET config = excluded.config, updatedAt = excluded.updatedAt, updatedBy = excluded.updatedBy
            """, arguments: [environment, json, now, actor.email])
    }

    /// Replaces the SQL review configuration of an environment; needs `settings.manage`.
    /// Unknown rule names and parameters a rule does not take (or of the wrong kind) are refused,
    /// so a typo does not silently leave a rule at its default.
    public func setReviewConfig(by actor: Principal, environment: String, _ config: ReviewConfig) throws {
        let problems = config.problems
        guard problems.isEmpty else {
            throw SluiceError.usage("not a usable SQL review configuration: \(problems.joined(separator: "; "))",
                                    hint: "See the rules and their parameters with `sluice review --rules`.")
        }
        try store.write { db in
            try require(.settingsManage, actor, to: "configure SQL review", db)
            _ = try fetchReviewConfig(db, environment: environment)
            try storeReviewConfig(db, environment: environment, config, by: actor)
        }
    }
}
