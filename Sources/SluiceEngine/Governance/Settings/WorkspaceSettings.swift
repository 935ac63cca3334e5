import Foundation
import SluiceSQL

/// The workspace configuration that lives in git as one TOML file (DESIGN §5): environments and
/// their rollout policy, custom roles, risk rules, approval flows and approval rules, and the SQL
/// review policy of each environment.
///
/// Each section is optional: a section present in a file replaces that part of the workspace
/// (what it leaves out is removed), a section absent from it is left alone. `sluice settings
/// export` always writes every section.
public struct WorkspaceSettings: Sendable, Equatable {
    public struct EnvironmentEntry: Sendable, Equatable {
        public var name: String
        public var order: Int
        public var protected: Bool
        public var autoRollout: Bool
        public var rolloutRoles: [String]
    }

    public struct RoleEntry: Sendable, Equatable {
        public var name: String
        public var permissions: [String]
    }

    public struct RiskRuleEntry: Sendable, Equatable {
        public var title: String
        public var source: RiskSource
        public var level: RiskLevel
        public var active: Bool
        public var condition: String
    }

    public struct FlowEntry: Sendable, Equatable {
        public var name: String
        public var roles: [String]
    }

    public struct ApprovalRuleEntry: Sendable, Equatable {
        public var source: RiskSource
        public var level: RiskLevel
        public var flow: String
    }

    public static let formatVersion = 1

    public var environments: [EnvironmentEntry]?
    public var roles: [RoleEntry]?
    public var riskRules: [RiskRuleEntry]?
    public var flows: [FlowEntry]?
    public var approvalRules: [ApprovalRuleEntry]?
    /// SQL review policy per environment (TOML `[sql_review.ENVIRONMENT]`). An environment that
    /// is not a key has no policy — plan checks do not review there — which is not the same as
    /// a policy that names no rule (every rule at its default level).
    public var sqlReview: [String: ReviewConfig]?

    public init(environments: [EnvironmentEntry]? = nil, roles: [RoleEntry]? = nil, riskRules: [RiskRuleEntry]? = nil,
                flows: [FlowEntry]? = nil, approvalRules: [ApprovalRuleEntry]? = nil, sqlReview: [String: ReviewConfig]? = nil) {
        self.environments = environments
        self.roles = roles
        self.riskRules = riskRules
        self.flows = flows
        self.approvalRules = approvalRules
        self.sqlReview = sqlReview
    }

    /// TOML names of the sections, in file order.
    enum Section: String, CaseIterable {
        case environment, role, riskRule = "risk_rule", approvalFlow = "approval_flow", approvalRule = "approval_rule"
        case sqlReview = "sql_review"

        var keys: [String] {
            switch self {
            case .environment: ["name", "order", "protected", "rollout", "rollout_roles"]
            case .role: ["name", "permissions"]
            case .riskRule: ["title", "source", "level", "active", "condition"]
            case .approvalFlow: ["name", "roles"]
            case .approvalRule: ["source", "level", "flow"]
            case .sqlReview: []
            }
        }
    }
}

/// One thing wrong in a settings file, with the line it is on when known.
public struct SettingsProblem: Sendable, Equatable, CustomStringConvertible {
    public var line: Int?
    /// Where in the document: `risk_rule[2].condition`.
    public var path: String
    public var message: String

    public var description: String {
        let at = line.map { "line \($0): " } ?? ""
        return "\(at)\(path.isEmpty ? "" : path + ": ")\(message)"
    }
}
