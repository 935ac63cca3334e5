/// Rules about the columns a sheet creates or adds.
enum ColumnRules {
    /// A column a statement declares, with where it stands in the statement's text.
    struct Column {
        var table: String
        var name: String
        var type: String
        var length: Int?
        var notNull: Bool
        var hasDefault: Bool
        var primaryKey: Bool
        var offset: Int?
    }

    static func columns(_ input: RuleInput) -> [Column] {
        let table = input.statement.tables.first ?? ""
        if let node = input.node {
            return node.columnDefinitions.map { def in
                Column(table: table, name: def["colname"]?.string ?? "", type: def.typeName ?? "", length: def.typeLength,
                       notNull: def.isNotNull, hasDefault: def.hasDefault,
                       primaryKey: def.columnConstraints.contains { $0.constraintType == "CONSTR_PRIMARY" }, offset: def.location)
            }
        }
        guard let probe = SQLiteTableProbe.probe(input.statement) else { return [] }
        return probe.columns.map { c in
            let offset = input.words.first { $0.word == c.name.uppercased() && $0.depth == 1 }?.offset
            return Column(table: probe.table, name: c.name, type: c.type.lowercased(), length: nil, notNull: c.notNull,
                          hasDefault: false, primaryKey: c.primaryKey, offset: offset)
        }
    }

    static func rule(_ name: String, _ summary: String, fix: String, level: ReviewLevel = .disabled,
                     dialects: Set<SQLDialect> = [.postgres], parameters: [String: ReviewParameter] = [:],
                     _ check: @escaping @Sendable (Column, RuleInput) -> String?) -> ReviewRule {
        ReviewRule(name, summary, fix: fix, level: level, dialects: dialects, parameters: parameters) { input in
            columns(input).compactMap { column in check(column, input).map { RuleHit($0, at: column.offset) } }
        }
    }

    static let all: [ReviewRule] = [
        rule("column.no-null", "Columns are NOT NULL", fix: "Declare the column NOT NULL (with a DEFAULT if rows exist).",
             dialects: [.postgres, .sqlite]) { c, _ in
            c.notNull || c.primaryKey ? nil : "column \(c.name) allows NULL"
        },
        rule("column.require-default", "Columns have a DEFAULT", fix: "Give the column a DEFAULT.") { c, _ in
            c.hasDefault || c.primaryKey ? nil : "column \(c.name) has no DEFAULT"
        },
        rule("column.type-disallow-list", "Column types not allowed", fix: "Use another type (text, numeric, timestamptz…).",
             level: .warning, dialects: [.postgres, .sqlite], parameters: ["types": .list(["money", "timetz"])]) { c, input in
            input.list("types").map { $0.lowercased() }.contains(c.type) ? "column \(c.name) has type \(c.type), which is not allowed here" : nil
        },
        rule("column.maximum-varchar-length", "varchar length has a ceiling", fix: "Use text, or a shorter varchar.",
             parameters: ["maxLength": .int(2560)]) { c, input in
            guard c.type == "varchar", let length = c.length, let max = input.int("maxLength"), length > max else { return nil }
            return "column \(c.name) is varchar(\(length)), longer than \(max)"
        },
        rule("column.required", "Tables have the required columns", fix: "Add the missing columns.",
             dialects: [.postgres, .sqlite], parameters: ["columns": .list(["id"])]) { _, _ in nil },
        rule("column.comment", "Columns are documented with COMMENT ON COLUMN", fix: "Add COMMENT ON COLUMN t.c IS '…';.") { c, input in
            let commented = input.sheet.contains { $0.type == "COMMENT" && $0.statement.text.contains(c.name) && $0.statement.text.uppercased().contains("ON COLUMN") }
            return commented ? nil : "column \(c.name) has no comment"
        },
        rule("column.prefer-text-over-varchar", "Prefer text to varchar(n)", fix: "Use text, with a CHECK (length(c) <= n) if the limit matters.") { c, _ in
            c.type == "varchar" && c.length != nil ? "column \(c.name) is varchar(\(c.length ?? 0)): raising the limit later takes an ACCESS EXCLUSIVE lock" : nil
        },
        rule("column.prefer-bigint", "Prefer bigint to integer", fix: "Use bigint (or bigserial / identity on bigint).") { c, _ in
            ["integer", "smallint", "serial", "serial4", "smallserial", "serial2"].contains(c.type)
                ? "column \(c.name) is \(c.type): ids and counters outgrow 32 bits, and widening later rewrites the table" : nil
        },
        rule("column.prefer-timestamptz", "Prefer timestamptz to timestamp", fix: "Use timestamptz.") { c, _ in
            c.type == "timestamp" ? "column \(c.name) is timestamp without time zone: its values are ambiguous across time zones" : nil
        },
        rule("column.prefer-identity", "Prefer identity columns to serial", fix: "Use bigint GENERATED ALWAYS AS IDENTITY.") { c, _ in
            ["serial", "bigserial", "smallserial", "serial4", "serial8", "serial2"].contains(c.type)
                ? "column \(c.name) is \(c.type): identity columns own their sequence properly" : nil
        },
    ].map { rule in
        // column.required looks at the table as a whole, not column by column.
        guard rule.name == "column.required" else { return rule }
        return ReviewRule(rule.name, rule.summary, fix: rule.fix, level: rule.defaultLevel, dialects: rule.dialects,
                          parameters: rule.defaultParameters) { input in
            guard input.statement.type == "CREATE_TABLE" else { return [] }
            let declared = Set(columns(input).map { $0.name.lowercased() })
            let missing = input.list("columns").filter { !declared.contains($0.lowercased()) }
            return missing.isEmpty ? [] : [RuleHit("table \(input.statement.tables.first ?? "") lacks required column(s) \(missing.joined(separator: ", "))")]
        }
    }
}
