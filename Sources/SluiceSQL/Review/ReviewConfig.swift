/// How strongly a review rule speaks: an error blocks, a warning asks for a look, disabled is silent.
public enum ReviewLevel: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    case error = "ERROR"
    case warning = "WARNING"
    case disabled = "DISABLED"

    private var rank: Int { self == .error ? 2 : self == .warning ? 1 : 0 }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

/// A rule parameter: a number, a word or pattern, a flag, or a list of words.
public enum ReviewParameter: Sendable, Hashable, Codable {
    case int(Int)
    case string(String)
    case bool(Bool)
    case list([String])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let v = try? container.decode(Bool.self) { self = .bool(v) }
        else if let v = try? container.decode(Int.self) { self = .int(v) }
        else if let v = try? container.decode(String.self) { self = .string(v) }
        else { self = .list(try container.decode([String].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .int(let v): try container.encode(v)
        case .string(let v): try container.encode(v)
        case .bool(let v): try container.encode(v)
        case .list(let v): try container.encode(v)
        }
    }

    public var intValue: Int? { if case .int(let v) = self { return v }; return nil }
    public var stringValue: String? { if case .string(let v) = self { return v }; return nil }
    public var listValue: [String]? {
        switch self {
        case .list(let v): return v
        case .string(let v): return v.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        default: return nil
        }
    }
}

/// One rule's setting in a configuration: its level and any parameters that differ from the defaults.
public struct ReviewRuleSetting: Sendable, Hashable, Codable {
    public var level: ReviewLevel
    public var parameters: [String: ReviewParameter]?

    public init(level: ReviewLevel, parameters: [String: ReviewParameter]? = nil) {
        self.level = level
        self.parameters = parameters
    }
}

/// SQL review settings (per environment): rule name → level and parameters. Rules it does not
/// name keep their default level and parameters. Plain Codable, so it embeds in the settings TOML.
public struct ReviewConfig: Sendable, Hashable, Codable {
    public var rules: [String: ReviewRuleSetting]

    public init(rules: [String: ReviewRuleSetting] = [:]) {
        self.rules = rules
    }

    /// Every rule at its default level.
    public static let `default` = ReviewConfig()

    /// Every rule on: disabled rules become warnings, the others keep their level.
    public static var allEnabled: ReviewConfig {
        var config = ReviewConfig()
        for rule in ReviewRules.all where rule.defaultLevel == .disabled {
            config.rules[rule.name] = ReviewRuleSetting(level: .warning)
        }
        return config
    }

    /// The level a rule speaks at under this configuration.
    public func level(of rule: ReviewRule) -> ReviewLevel {
        rules[rule.name]?.level ?? rule.defaultLevel
    }

    /// A rule's parameter: the configured value, else the rule's default.
    public func parameter(_ name: String, of rule: ReviewRule) -> ReviewParameter? {
        rules[rule.name]?.parameters?[name] ?? rule.defaultParameters[name]
    }

    /// Names in the configuration that are not rules (a typo in the settings file).
    public var unknownRuleNames: [String] {
        rules.keys.filter { ReviewRules.byName[$0] == nil }.sorted()
    }
}
