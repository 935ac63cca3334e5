/// Rules about statements as a whole: WHERE clauses, transactions, mixing, row counts.
enum StatementRules {
    static let all: [ReviewRule] = [
        ReviewRule("statement.where.require.update-delete", "UPDATE and DELETE need a WHERE clause",
                   fix: "Add a WHERE clause that selects only the rows to change.", level: .error) { input in
            guard input.statement.type == "UPDATE" || input.statement.type == "DELETE" else { return [] }
            let missing = input.node.map { $0["whereClause"] == nil } ?? !input.hasWord("WHERE")
            return missing ? [RuleHit("\(input.statement.type) without a WHERE clause changes every row of \(input.statement.tables.first ?? "the table")")] : []
        },
        ReviewRule("statement.where.require.select", "SELECT from a table needs a WHERE clause",
                   fix: "Add a WHERE clause (or a LIMIT) so the query does not read the whole table.", level: .disabled) { input in
            guard input.statement.type == "SELECT" else { return [] }
            if let node = input.node {
                guard node["fromClause"] != nil, node["whereClause"] == nil, node["limitCount"] == nil else { return [] }
            } else {
                guard input.hasWord("FROM"), !input.hasWord("WHERE"), !input.hasWord("LIMIT") else { return [] }
            }
            return [RuleHit("SELECT without a WHERE clause reads the whole table")]
        },
        ReviewRule("statement.select.no-select-all", "No SELECT *", fix: "List the columns you need.",
                   level: .disabled, dialects: [.postgres]) { input in
            var hits: [RuleHit] = []
            input.node?.walk { n in
                if n.tag == "ColumnRef", n["fields"]?.list.contains(where: { $0.tag == "A_Star" }) == true {
                    hits.append(RuleHit("SELECT * depends on the column order of the table", at: n.location))
                }
            }
            return hits
        },
        ReviewRule("statement.disallow-commit", "No BEGIN, COMMIT or ROLLBACK in a sheet",
                   fix: "Remove the transaction statement: Sluice runs each task in its own transaction.", level: .error) { input in
            ["BEGIN", "COMMIT", "ROLLBACK"].contains(input.statement.type)
                ? [RuleHit("\(input.statement.type) would end or nest the transaction Sluice runs the task in")] : []
        },
        ReviewRule("statement.disallow-mix-in-ddl", "No data changes in a sheet that changes the schema",
                   fix: "Move the data change to its own DATA issue (or spec).", level: .warning) { input in
            guard input.statement.writesData, input.sheet.contains(where: { $0.category == .ddl }) else { return [] }
            return [RuleHit("\(input.statement.type) in a sheet that also changes the schema: they are reviewed, approved and rolled back differently")]
        },
        ReviewRule("statement.non-transactional", "Statements that cannot run in a transaction",
                   fix: "Put the statement in a sheet of its own so a failure cannot leave the others half applied.",
                   level: .warning) { input in
            guard !input.statement.transactional, !["BEGIN", "COMMIT", "ROLLBACK"].contains(input.statement.type) else { return [] }
            return [RuleHit("\(input.statement.type) cannot run inside a transaction: the task runs outside one, and a failure or crash leaves earlier statements applied")]
        },
        ReviewRule("statement.affected-row-limit", "Limit the rows one statement changes",
                   fix: "Change the rows in smaller batches, or raise maxRows for this environment.", level: .warning,
                   parameters: ["maxRows": .int(1000)]) { input in
            guard let rows = input.affectedRows, let limit = input.int("maxRows"), rows > Int64(limit) else { return [] }
            return [RuleHit("\(input.statement.type) changes \(rows) rows, more than the limit of \(limit)")]
        },
        ReviewRule("statement.insert.must-specify-column", "INSERT names its columns",
                   fix: "List the target columns: INSERT INTO t (a, b) VALUES …", level: .warning) { input in
            guard input.statement.type == "INSERT" else { return [] }
            if let node = input.node {
                return node["cols"] == nil && node["selectStmt"] != nil ? [RuleHit("INSERT without a column list breaks when a column is added")] : []
            }
            return SQLiteText.insertHasColumnList(input.text) ? [] : [RuleHit("INSERT without a column list breaks when a column is added")]
        },
        ReviewRule("statement.disallow-cascade", "No CASCADE on DROP or TRUNCATE", fix: "Drop or truncate the dependent objects explicitly.",
                   level: .warning, dialects: [.postgres]) { input in
            guard let node = input.node, ["DropStmt", "TruncateStmt"].contains(node.tag ?? ""),
                  node["behavior"]?.string == "DROP_CASCADE" else { return [] }
            return [RuleHit("CASCADE also drops or empties every object that depends on this one, unseen in review")]
        },
        ReviewRule("statement.disallow-on-del-cascade", "No ON DELETE CASCADE foreign keys",
                   fix: "Use ON DELETE RESTRICT (or NO ACTION) and delete dependent rows explicitly.", level: .disabled) { input in
            if let node = input.node {
                var hits: [RuleHit] = []
                node.walk { n in
                    if n.tag == "Constraint", n["contype"]?.string == "CONSTR_FOREIGN", n["fk_del_action"]?.string == "c" {
                        hits.append(RuleHit("ON DELETE CASCADE silently deletes rows in this table", at: n.location))
                    }
                }
                return hits
            }
            return input.hasWords(["ON", "DELETE", "CASCADE"]) ? [RuleHit("ON DELETE CASCADE silently deletes rows in this table")] : []
        },
        ReviewRule("statement.merge-alter-table", "One ALTER TABLE per table in a sheet",
                   fix: "Merge the ALTER TABLE statements on this table into one (comma-separated actions).",
                   level: .warning, dialects: [.postgres]) { input in
            guard input.statement.type == "ALTER_TABLE", let table = input.statement.tables.first,
                  input.earlier.contains(where: { $0.type == "ALTER_TABLE" && $0.tables.first == table }) else { return [] }
            return [RuleHit("\(table) is altered more than once: each ALTER TABLE takes its lock (and may rewrite the table) again")]
        },
        ReviewRule("statement.disallow-truncate", "No TRUNCATE", fix: "Delete the rows with a DELETE … WHERE you can review.",
                   level: .warning, dialects: [.postgres]) { input in
            input.statement.type == "TRUNCATE" ? [RuleHit("TRUNCATE removes every row of \(input.statement.tables.joined(separator: ", ")) and cannot be limited")] : []
        },
        ReviewRule("statement.create-specify-schema", "CREATE TABLE names its schema", fix: "Qualify the table: CREATE TABLE public.t …",
                   level: .disabled, dialects: [.postgres]) { input in
            guard input.tag == "CreateStmt", input.node?["relation"]?["schemaname"] == nil else { return [] }
            return [RuleHit("the table's schema depends on the search_path")]
        },
        ReviewRule("statement.disallow-drop-database", "No DROP DATABASE", fix: "Drop databases outside change management, deliberately.",
                   level: .error, dialects: [.postgres]) { input in
            input.tag == "DropdbStmt" ? [RuleHit("DROP DATABASE destroys a whole database")] : []
        },
        ReviewRule("statement.where.no-leading-wildcard-like", "No LIKE with a leading %",
                   fix: "Anchor the pattern at its start, or use a trigram index.", level: .disabled, dialects: [.postgres]) { input in
            var hits: [RuleHit] = []
            input.node?.walk { n in
                guard n.tag == "A_Expr", n["kind"]?.string == "AEXPR_LIKE" || n["kind"]?.string == "AEXPR_ILIKE",
                      let pattern = n["rexpr"]?["sval"]?["sval"]?.string, pattern.hasPrefix("%") else { return }
                hits.append(RuleHit("LIKE with a leading % cannot use an index and reads every row", at: n.location))
            }
            return hits
        },
    ]
}

/// Small facts read off SQLite statement text, where there is no parse tree.
enum SQLiteText {
    /// Whether `INSERT … INTO name` is followed by a `(` column list.
    static func insertHasColumnList(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        var tokenizer = SQLiteTokenizer(utf8: utf8)
        var sawInto = false
        var sawName = false
        while let token = try? tokenizer.next() {
            if token.kind == .whitespace || token.kind == .comment { continue }
            let word = String(decoding: utf8[token.start..<token.end], as: UTF8.self).uppercased()
            if !sawInto { sawInto = word == "INTO"; continue }
            if !sawName { sawName = true; continue }
            if word == "." { sawName = false; continue }
            return word == "(" || word == "AS"
        }
        return false
    }
}
