import Foundation

/// Refusals of the functions a statement calls or names, anywhere in its tree: in a SELECT
/// list, a WHERE clause, a DEFAULT, a FROM (`SELECT * FROM pg_ls_dir(…)`), a CALL, a
/// `BEGIN ATOMIC` body, or as the function of an operator, aggregate or cast. Function bodies
/// written as strings are not seen.
extension PostgresSheetPolicy {
    static func functionFinding(_ statement: PgNode) -> Finding? {
        var found: Finding?
        statement.walk { node in
            guard found == nil, let fields = node.fields else { return }
            if fields.member("funcformat") != nil, let names = fields.member("funcname") {
                found = callFinding(names, args: fields.member("args"), location: fields.member("location")?.int)
            } else if let names = fields.member("objname") {
                // `GRANT EXECUTE ON FUNCTION …`, `CREATE CAST … WITH FUNCTION …`.
                found = namedFinding(names, location: nil)
            } else if fields.member("typemod") != nil, let names = fields.member("names") {
                // `CREATE OPERATOR … (FUNCTION = …)`, `CREATE AGGREGATE … (SFUNC = …)` name the
                // function as a type name; no type bears a refused function's name.
                found = namedFinding(names, location: fields.member("location")?.int)
            }
        }
        return found
    }

    /// A call of a refused function, or of `set_config` with a third argument other than true.
    private static func callFinding(_ names: PgNode, args: PgNode?, location: Int?) -> Finding? {
        guard let name = names.list.last?.string else { return nil }
        let arguments = args?.list ?? []
        switch name.lowercased() {
        case "set_config":
            guard isConstantTrue(localArgument(arguments)) else {
                return Finding("set_config(…, false)", Text.setConfigReason, Text.setConfigHint, at: location)
            }
            guard let setting = arguments.first.flatMap(constantString) else {
                return Finding("set_config(…)", Text.settingNamedAtRunTimeReason, Text.settingNamedAtRunTimeHint, at: location)
            }
            let lowered = setting.lowercased()
            if lowered == "role" || lowered == "session_authorization" {
                return Finding("set_config(…) of ROLE or SESSION AUTHORIZATION", Text.roleReason, Text.roleHint, at: location)
            }
            if lowered.hasPrefix("transaction_") {
                return Finding("set_config(…) of the transaction's mode", Text.transactionModeReason, Text.transactionModeHint, at: location)
            }
            if lowered.hasPrefix("sluice.") {
                return Finding("set_config(…) of a sluice.* setting", Text.sluiceSettingReason, Text.sluiceSettingHint, at: location)
            }
            return nil
        case "setval":
            return sequenceFinding(arguments.first, location: location)
        default:
            return namedFinding(names, location: location)
        }
    }

    /// `setval` is not undone by a rollback, so a dry run would change the sequence too: its
    /// sequence must be named by constants (a name, or `pg_get_serial_sequence` of a table and
    /// column), none of them Sluice's.
    private static func sequenceFinding(_ argument: PgNode?, location: Int?) -> Finding? {
        var constants: [String] = []
        if let argument, let name = constantString(argument) {
            constants = [name]
        } else if let argument, argument.hasTag("FuncCall"),
                  argument["funcname"]?.list.last?.string?.lowercased() == "pg_get_serial_sequence" {
            let parts = (argument["args"]?.list ?? []).map(constantString)
            constants = parts.count == 2 && !parts.contains(nil) ? parts.compactMap { $0 } : []
        }
        guard !constants.isEmpty else {
            return Finding("setval() of a sequence named at run time", Text.sequenceAtRunTimeReason,
                           Text.sequenceAtRunTimeHint, at: location)
        }
        for constant in constants {
            let last = constant.split(separator: ".").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? ""
            if isReserved(last) {
                return Finding("setval() of a sluice_ sequence", Text.reservedReason, Text.reservedHint, at: location)
            }
        }
        return nil
    }

    /// The text of a string constant, possibly cast (`'accounts_id_seq'::regclass`).
    private static func constantString(_ expression: PgNode) -> String? {
        if expression.hasTag("TypeCast") { return expression["arg"].flatMap(constantString) }
        guard expression.hasTag("A_Const") else { return nil }
        return expression["sval"]?["sval"]?.string
    }

    private static func namedFinding(_ names: PgNode, location: Int?) -> Finding? {
        guard let name = names.list.last?.string, let family = deniedFamily(ofFunction: name) else { return nil }
        return Finding("\(name.lowercased())()", family.reason, family.hint, at: location)
    }

    /// `set_config`'s `is_local` argument: the third, or the one named `is_local`.
    private static func localArgument(_ args: [PgNode]) -> PgNode? {
        if let named = args.first(where: { $0.hasTag("NamedArgExpr") && $0["name"]?.string?.lowercased() == "is_local" }) {
            return named["arg"]
        }
        guard args.count >= 3 else { return nil }
        return args[2].hasTag("NamedArgExpr") ? args[2]["arg"] : args[2]
    }

    /// Whether an expression is a constant PostgreSQL reads as boolean true: `true`, or a
    /// string such as `'true'`, `'on'` or `'yes'`, possibly cast (`'t'::boolean`).
    private static func isConstantTrue(_ expression: PgNode?) -> Bool {
        guard let expression else { return false }
        if expression.hasTag("TypeCast") { return isConstantTrue(expression["arg"]) }
        guard expression.hasTag("A_Const") else { return false }
        if let boolean = expression["boolval"] { return boolean["boolval"]?.bool == true }
        guard let text = expression["sval"]?["sval"]?.string else { return false }
        return trueWords.contains(text.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// The spellings PostgreSQL accepts for boolean true.
    private static let trueWords: Set<String> = ["t", "tr", "tru", "true", "y", "ye", "yes", "on", "1"]
}
