/// PostgreSQL `ALTER TABLE` rules: changes to existing tables that lock, rewrite or scan them,
/// and changes that break the applications reading them.
enum AlterTableRules {
    /// Commands of an ALTER TABLE on a table that existed before the sheet (new tables are empty and unshared).
    static func existingTableCommands(_ input: RuleInput) -> [PgNode] {
        guard let node = input.node, node.tag == "AlterTableStmt", let table = input.statement.tables.first,
              !input.isCreatedEarlier(table) else { return [] }
        return node.alterCommands
    }

    static let all: [ReviewRule] = [
        ReviewRule("statement.disallow-add-column-with-default", "No ADD COLUMN … DEFAULT on an existing table",
                   fix: "Add the column without a default, set the default in a second statement, and backfill in batches.",
                   level: .warning, dialects: [.postgres]) { input in
            existingTableCommands(input).compactMap { cmd in
                guard cmd["subtype"]?.string == "AT_AddColumn", let def = cmd["def"],
                      let d = def.columnConstraints.first(where: { $0.constraintType == "CONSTR_DEFAULT" }) else { return nil }
                let volatile = d["raw_expr"]?.tag == "FuncCall"
                return RuleHit("ADD COLUMN \(def["colname"]?.string ?? "") with a DEFAULT" +
                               (volatile ? " computed by a function rewrites the whole table under an ACCESS EXCLUSIVE lock"
                                         : " holds an ACCESS EXCLUSIVE lock and, before PostgreSQL 11, rewrites the table"),
                               at: d.location)
            }
        },
        ReviewRule("statement.add-check-not-valid", "Add CHECK constraints NOT VALID",
                   fix: "ADD CONSTRAINT … CHECK (…) NOT VALID, then VALIDATE CONSTRAINT in a later statement.",
                   level: .warning, dialects: [.postgres]) { input in
            existingTableCommands(input).compactMap { cmd in
                guard cmd["subtype"]?.string == "AT_AddConstraint", let c = cmd["def"], c.constraintType == "CONSTR_CHECK",
                      c["skip_validation"]?.bool != true else { return nil }
                return RuleHit("adding a CHECK constraint scans the whole table while holding an ACCESS EXCLUSIVE lock", at: c.location)
            }
        },
        ReviewRule("statement.add-foreign-key-not-valid", "Add foreign keys NOT VALID",
                   fix: "ADD CONSTRAINT … FOREIGN KEY … NOT VALID, then VALIDATE CONSTRAINT in a later statement.",
                   level: .warning, dialects: [.postgres]) { input in
            existingTableCommands(input).compactMap { cmd in
                guard cmd["subtype"]?.string == "AT_AddConstraint", let c = cmd["def"], c.constraintType == "CONSTR_FOREIGN",
                      c["skip_validation"]?.bool != true else { return nil }
                return RuleHit("adding a foreign key scans the whole table and blocks writes to both tables meanwhile", at: c.location)
            }
        },
        ReviewRule("statement.disallow-add-not-null", "No NOT NULL added to an existing table",
                   fix: "Add a CHECK (col IS NOT NULL) NOT VALID constraint, validate it, then SET NOT NULL.",
                   level: .warning, dialects: [.postgres]) { input in
            existingTableCommands(input).compactMap { cmd in
                switch cmd["subtype"]?.string {
                case "AT_SetNotNull":
                    return RuleHit("SET NOT NULL on \(cmd["name"]?.string ?? "a column") scans the whole table under an ACCESS EXCLUSIVE lock")
                case "AT_AddColumn":
                    guard let def = cmd["def"], def.columnConstraints.contains(where: { $0.constraintType == "CONSTR_NOTNULL" }),
                          !def.hasDefault else { return nil }
                    return RuleHit("ADD COLUMN \(def["colname"]?.string ?? "") NOT NULL without a default fails on a table that has rows", at: def.location)
                default:
                    return nil
                }
            }
        },
        ReviewRule("column.disallow-change-type", "No column type changes", fix: "Add a new column, backfill it, and switch readers over.",
                   level: .disabled, dialects: [.postgres]) { input in
            existingTableCommands(input).compactMap { cmd in
                cmd["subtype"]?.string == "AT_AlterColumnType"
                    ? RuleHit("changing the type of \(cmd["name"]?.string ?? "a column") can break the applications that read it", at: cmd["def"]?.location) : nil
            }
        },
        ReviewRule("constraint.add-unique-using-index", "Add UNIQUE constraints through a concurrently built index",
                   fix: "CREATE UNIQUE INDEX CONCURRENTLY …, then ADD CONSTRAINT … UNIQUE USING INDEX ….",
                   level: .warning, dialects: [.postgres]) { input in
            existingTableCommands(input).compactMap { cmd in
                guard cmd["subtype"]?.string == "AT_AddConstraint", let c = cmd["def"], c.constraintType == "CONSTR_UNIQUE",
                      c["indexname"] == nil else { return nil }
                return RuleHit("adding a UNIQUE constraint builds its index while blocking every read and write", at: c.location)
            }
        },
        ReviewRule("constraint.add-primary-key-using-index", "Add primary keys through a concurrently built index",
                   fix: "CREATE UNIQUE INDEX CONCURRENTLY …, then ADD CONSTRAINT … PRIMARY KEY USING INDEX ….",
                   level: .warning, dialects: [.postgres]) { input in
            existingTableCommands(input).compactMap { cmd in
                if cmd["subtype"]?.string == "AT_AddConstraint", let c = cmd["def"], c.constraintType == "CONSTR_PRIMARY", c["indexname"] == nil {
                    return RuleHit("adding a PRIMARY KEY builds its index while blocking every read and write", at: c.location)
                }
                if cmd["subtype"]?.string == "AT_AddColumn", let def = cmd["def"], def.columnConstraints.contains(where: { $0.constraintType == "CONSTR_PRIMARY" }) {
                    return RuleHit("adding a PRIMARY KEY column rewrites the table and builds its index while blocking every read and write", at: def.location)
                }
                return nil
            }
        },
        ReviewRule("schema.backward-compatibility", "No changes that break existing readers and writers",
                   fix: "Expand first (add the new thing), migrate readers, and contract (drop or rename) in a later release.",
                   level: .warning) { input in
            let s = input.statement
            if let node = input.node {
                switch node.tag {
                case "DropStmt" where ["DROP_TABLE", "DROP_VIEW", "DROP_MATERIALIZED_VIEW", "DROP_SCHEMA", "DROP_SEQUENCE", "DROP_TYPE", "DROP_FUNCTION"].contains(s.type):
                    return [RuleHit("\(s.type.replacingOccurrences(of: "_", with: " ")) breaks whatever still uses it")]
                case "RenameStmt":
                    return [RuleHit("renaming breaks every query that uses the old name")]
                case "AlterTableStmt":
                    return node.alterCommands.compactMap { cmd in
                        switch cmd["subtype"]?.string {
                        case "AT_DropColumn": return RuleHit("dropping column \(cmd["name"]?.string ?? "") breaks queries that use it")
                        case "AT_AlterColumnType": return RuleHit("changing the type of \(cmd["name"]?.string ?? "a column") can break its readers", at: cmd["def"]?.location)
                        default: return nil
                        }
                    }
                default:
                    return []
                }
            }
            if s.type == "DROP_TABLE" || s.type == "DROP_VIEW" { return [RuleHit("\(s.type.replacingOccurrences(of: "_", with: " ")) breaks whatever still uses it")] }
            if s.type == "ALTER_TABLE", input.hasWord("RENAME") { return [RuleHit("renaming breaks every query that uses the old name", at: input.offset(of: "RENAME"))] }
            if s.type == "ALTER_TABLE", input.hasWords(["DROP", "COLUMN"]) || (input.hasWord("DROP") && !input.hasWord("ADD")) {
                return [RuleHit("dropping a column breaks queries that use it", at: input.offset(of: "DROP"))]
            }
            return []
        },
    ]
}
