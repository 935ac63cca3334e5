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

extension ReviewParameter {
    /// The kind of value, as a settings file's reader says it.
    public var kindDescription: String {
        switch self {
        case .int: "a whole number"
        case .string: "a string"
        case .bool: "true or false"
        case .list: "a list of strings"
        }
    }

    func sameKind(as other: ReviewParameter) -> Bool {
        switch (self, other) {
        case (.int, .int), (.string, .string), (.bool, .bool), (.list, .list): true
        default: false
        }
    }
}

extension ReviewRule {
    /// Why `value` cannot be this rule's parameter `name` — a name the rule does not read, or a
    /// value of another kind than its default — or nil when it can.
    public func parameterProblem(_ name: String, _ value: ReviewParameter) -> String? {
        guard let expected = defaultParameters[name] else {
            return defaultParameters.isEmpty
                ? "\(self.name) takes no parameters"
                : "\(self.name) has no parameter '\(name)'; it takes: \(defaultParameters.keys.sorted().joined(separator: ", "))"
        }
        return value.sameKind(as: expected) ? nil : "parameter '\(name)' of \(self.name) must be \(expected.kindDescription), not \(value.kindDescription)"
    }
}

extension ReviewConfig {
    /// Everything wrong with this configuration: unknown rule names, then parameters a rule does
    /// not take or of the wrong kind. Empty when it is usable as is.
    public var problems: [String] {
        var out = unknownRuleNames.map { "unknown SQL review rule '\($0)'" }
        for (name, setting) in rules.sorted(by: { $0.key < $1.key }) {
            guard let rule = ReviewRules.byName[name] else { continue }
            for (parameter, value) in (setting.parameters ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let problem = rule.parameterProblem(parameter, value) { out.append(problem) }
            }
        }
        return out
    }

    /// The same configuration with empty parameter sets written as none, so that two
    /// configurations that mean the same compare equal.
    public var normalized: ReviewConfig {
        ReviewConfig(rules: rules.mapValues { ReviewRuleSetting(level: $0.level, parameters: $0.parameters?.isEmpty == true ? nil : $0.parameters) })
    }
}
