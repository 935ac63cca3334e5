/// Rules about the keys of indexes and key constraints.
enum IndexRules {
    /// Each index or key constraint the statement declares, as its list of key columns.
    static func keys(_ input: RuleInput) -> [(columns: [String], offset: Int?)] {
        guard let node = input.node else { return [] }
        var found: [([String], Int?)] = []
        if node.tag == "IndexStmt" {
            let columns = (node["indexParams"]?.list ?? []).compactMap { $0["name"]?.string }
            found.append((columns, nil))
        }
        node.walk { n in
            guard n.tag == "Constraint", ["CONSTR_PRIMARY", "CONSTR_UNIQUE"].contains(n.constraintType ?? ""),
                  let keys = n["keys"]?.list.compactMap(\.string), !keys.isEmpty else { return }
            found.append((keys, n.location))
        }
        return found
    }

    static let all: [ReviewRule] = [
        ReviewRule("index.no-duplicate-column", "No column twice in one index", fix: "List each column once.",
                   level: .warning, dialects: [.postgres]) { input in
            keys(input).compactMap { key in
                var seen = Set<String>()
                let duplicates = key.columns.filter { !seen.insert($0).inserted }
                return duplicates.isEmpty ? nil : RuleHit("column \(duplicates[0]) appears twice in the index", at: key.offset)
            }
        },
        ReviewRule("index.key-number-limit", "Indexes have few key columns", fix: "Index fewer columns; wide keys are slow and rarely used in full.",
                   level: .warning, dialects: [.postgres], parameters: ["max": .int(5)]) { input in
            guard let max = input.int("max") else { return [] }
            return keys(input).compactMap { key in
                key.columns.count > max ? RuleHit("the index has \(key.columns.count) key columns, more than \(max)", at: key.offset) : nil
            }
        },
    ]
}
