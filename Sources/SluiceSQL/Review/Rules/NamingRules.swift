/// Naming conventions for tables, columns, indexes and constraints. Formats are regular
/// expressions; `{{table}}` stands for the table's name (and `{{referenced_table}}` for a
/// foreign key's target).
enum NamingRules {
    /// A name the statement gives to something, with where it stands.
    struct Named {
        var name: String
        var table: String
        var referencedTable: String = ""
        var offset: Int?
    }

    static func format(_ input: RuleInput, _ named: Named) -> String? {
        input.string("format").map {
            $0.replacingOccurrences(of: "{{table}}", with: bare(named.table))
                .replacingOccurrences(of: "{{referencing_table}}", with: bare(named.table))
                .replacingOccurrences(of: "{{referenced_table}}", with: bare(named.referencedTable))
        }
    }

    static func bare(_ qualified: String) -> String {
        qualified.split(separator: ".").last.map(String.init) ?? qualified
    }

    static func rule(_ name: String, _ what: String, level: ReviewLevel, format: String, dialects: Set<SQLDialect> = [.postgres, .sqlite],
                     names: @escaping @Sendable (RuleInput) -> [Named]) -> ReviewRule {
        ReviewRule(name, "\(what.capitalized) names follow a convention", fix: "Rename the \(what) to match the format.",
                   level: level, dialects: dialects, parameters: ["format": .string(format)]) { input in
            names(input).compactMap { named in
                guard let pattern = NamingRules.format(input, named), !RuleInput.matches(named.name, pattern) else { return nil }
                return RuleHit("\(what) name \(named.name) does not match \(pattern)", at: named.offset)
            }
        }
    }

    /// Constraints of a given type that carry an explicit name.
    static func namedConstraints(_ input: RuleInput, _ type: String) -> [Named] {
        guard let node = input.node, let table = input.statement.tables.first else { return [] }
        var found: [Named] = []
        node.walk { n in
            guard n.tag == "Constraint", n.constraintType == type, let name = n["conname"]?.string else { return }
            found.append(Named(name: name, table: table, referencedTable: n["pktable"]?.qualifiedName ?? "", offset: n.location))
        }
        return found
    }

    static let all: [ReviewRule] = [
        rule("naming.table", "table", level: .warning, format: "^[a-z][a-z0-9_]*$") { input in
            if input.statement.type == "CREATE_TABLE", let table = input.statement.tables.first {
                return [Named(name: bare(table), table: table)]
            }
            if input.tag == "RenameStmt", input.node?["renameType"]?.string == "OBJECT_TABLE", let new = input.node?["newname"]?.string {
                return [Named(name: new, table: new)]
            }
            return []
        },
        rule("naming.column", "column", level: .warning, format: "^[a-z][a-z0-9_]*$") { input in
            if input.tag == "RenameStmt", input.node?["renameType"]?.string == "OBJECT_COLUMN", let new = input.node?["newname"]?.string {
                return [Named(name: new, table: input.statement.tables.first ?? "")]
            }
            return ColumnRules.columns(input).map { Named(name: $0.name, table: $0.table, offset: $0.offset) }
        },
        rule("naming.index.idx", "index", level: .disabled, format: "^idx_{{table}}_") { input in
            indexNames(input, unique: false)
        },
        rule("naming.index.uk", "unique index", level: .disabled, format: "^uk_{{table}}_") { input in
            indexNames(input, unique: true) + namedConstraints(input, "CONSTR_UNIQUE")
        },
        rule("naming.index.fk", "foreign key", level: .disabled, format: "^fk_{{referencing_table}}_{{referenced_table}}",
             dialects: [.postgres]) { input in
            namedConstraints(input, "CONSTR_FOREIGN")
        },
        rule("naming.index.pk", "primary key", level: .disabled, format: "^pk_{{table}}$", dialects: [.postgres]) { input in
            namedConstraints(input, "CONSTR_PRIMARY")
        },
    ]

    /// The name a `CREATE [UNIQUE] INDEX` gives its index.
    static func indexNames(_ input: RuleInput, unique: Bool) -> [Named] {
        guard input.statement.type == "CREATE_INDEX", let table = input.statement.tables.first else { return [] }
        if let node = input.node {
            guard (node["unique"]?.bool ?? false) == unique, let name = node["idxname"]?.string else { return [] }
            return [Named(name: name, table: table)]
        }
        guard input.hasWord("UNIQUE") == unique, let name = SQLiteText.name(after: "INDEX", in: input.text) else { return [] }
        return [Named(name: name, table: table)]
    }
}

extension SQLiteText {
    /// The (unquoted) name that follows `keyword`, skipping `IF NOT EXISTS` and a schema qualifier.
    static func name(after keyword: String, in text: String) -> String? {
        let utf8 = Array(text.utf8)
        var tokenizer = SQLiteTokenizer(utf8: utf8)
        var seen = false
        var last: String?
        while let token = try? tokenizer.next() {
            if token.kind == .whitespace || token.kind == .comment { continue }
            let raw = String(decoding: utf8[token.start..<token.end], as: UTF8.self)
            if !seen { seen = raw.uppercased() == keyword; continue }
            if ["IF", "NOT", "EXISTS"].contains(raw.uppercased()) { continue }
            if raw == "." { last = nil; continue }
            if last != nil { return last }
            let unquoted = raw.count >= 2 && "\"`[".contains(raw.first ?? " ") ? String(raw.dropFirst().dropLast()) : raw
            last = unquoted  // kept until the next token shows it was not a schema qualifier
        }
        return last
    }
}
