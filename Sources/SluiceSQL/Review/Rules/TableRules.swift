/// Rules about the tables a sheet creates and drops.
enum TableRules {
    static let all: [ReviewRule] = [
        ReviewRule("table.require-pk", "Every table has a primary key", fix: "Add a PRIMARY KEY (an id column, or the natural key).",
                   level: .warning) { input in
            guard input.statement.type == "CREATE_TABLE" else { return [] }
            if let node = input.node {
                guard node["partbound"] == nil, node["inhRelations"] == nil else { return [] }
                let columnPK = node.columnDefinitions.contains { $0.columnConstraints.contains { $0.constraintType == "CONSTR_PRIMARY" } }
                let tablePK = node.tableConstraints.contains { $0.constraintType == "CONSTR_PRIMARY" }
                return columnPK || tablePK ? [] : [RuleHit("table \(input.statement.tables.first ?? "") has no primary key")]
            }
            guard let probe = SQLiteTableProbe.probe(input.statement) else { return [] }
            return probe.columns.contains(where: \.primaryKey) ? [] : [RuleHit("table \(probe.table) has no primary key (only SQLite's hidden rowid)")]
        },
        ReviewRule("table.no-foreign-key", "No foreign keys", fix: "Enforce the relationship in the application instead.",
                   level: .disabled) { input in
            guard input.statement.type == "CREATE_TABLE" || input.statement.type == "ALTER_TABLE" else { return [] }
            if let node = input.node {
                var hits: [RuleHit] = []
                node.walk { n in
                    if n.tag == "Constraint", n["contype"]?.string == "CONSTR_FOREIGN" { hits.append(RuleHit("foreign key declared", at: n.location)) }
                }
                return hits
            }
            return input.hasWord("REFERENCES", anyDepth: true) ? [RuleHit("foreign key declared", at: input.offset(of: "REFERENCES"))] : []
        },
        ReviewRule("table.drop-naming-convention", "Only tables renamed for deletion may be dropped",
                   fix: "Rename the table first (ALTER TABLE t RENAME TO t_del) and drop it in a later release.",
                   level: .disabled, parameters: ["format": .string("_del$")]) { input in
            guard input.statement.type == "DROP_TABLE", let format = input.string("format") else { return [] }
            return input.statement.tables.filter { !RuleInput.matches($0, format) }.map {
                RuleHit("dropping \($0), whose name does not match \(format): it may still be in use")
            }
        },
        ReviewRule("table.comment", "Tables are documented with COMMENT ON TABLE", fix: "Add COMMENT ON TABLE t IS '…'; to the sheet.",
                   level: .disabled, dialects: [.postgres]) { input in
            guard input.tag == "CreateStmt", let table = input.statement.tables.first else { return [] }
            let commented = input.sheet.contains { $0.type == "COMMENT" && $0.statement.text.uppercased().contains("ON TABLE")
                && $0.statement.text.contains(table.split(separator: ".").last.map(String.init) ?? table) }
            return commented ? [] : [RuleHit("table \(table) has no comment")]
        },
        ReviewRule("table.disallow-partition", "No partitioned tables", fix: "Use a plain table.", level: .disabled, dialects: [.postgres]) { input in
            input.tag == "CreateStmt" && input.node?["partspec"] != nil ? [RuleHit("partitioned table")] : []
        },
    ]
}
