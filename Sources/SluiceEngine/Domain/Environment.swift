import Foundation
import GRDB

/// An ordered deployment stage with its rollout policy.
public struct Environment: Sendable, Codable, Equatable, FetchableRecord {
    public var name: String
    public var order: Int
    public var protected: Bool
    /// `automatic` environments roll out by themselves once the issue is approved and checks pass.
    public var autoRollout: Bool
    /// Roles allowed to roll out here (workspace or project roles); empty means anyone with `rollouts.run`.
    public var rolloutRoles: [String]

    public init(name: String, order: Int, protected: Bool, autoRollout: Bool, rolloutRoles: [String]) {
        self.name = name
        self.order = order
        self.protected = protected
        self.autoRollout = autoRollout
        self.rolloutRoles = rolloutRoles
    }

    public init(row: Row) throws {
        name = row["name"]
        order = row["position"]
        protected = row["protected"]
        autoRollout = row["autoRollout"]
        rolloutRoles = JSONColumn.decodeStrings(row["rolloutRoles"])
    }

    /// Default rollout roles of a manual environment: DBA, admin, project owner or releaser.
    public static let defaultManualRolloutRoles = ["admin", "dba", "owner", "releaser"]
}

/// Tiny helpers for the JSON text columns of the metastore.
enum JSONColumn {
    static func encode(_ strings: [String]) -> String {
        (try? String(decoding: JSONEncoder().encode(strings), as: UTF8.self)) ?? "[]"
    }
    static func encode(_ dict: [String: String]) -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = .sortedKeys
        return (try? String(decoding: enc.encode(dict), as: UTF8.self)) ?? "{}"
    }
    static func decodeStrings(_ text: String?) -> [String] {
        guard let text, let data = text.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([String].self, from: data)) ?? []
    }
    static func decodeDict(_ text: String?) -> [String: String] {
        guard let text, let data = text.data(using: .utf8) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }
}
