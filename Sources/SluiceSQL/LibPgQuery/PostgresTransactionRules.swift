import CPgQuery
import Foundation

/// Whether a PostgreSQL statement may run inside a transaction block, read from PostgreSQL's
/// own parse tree (libpg_query) rather than from how the text begins.
public enum PostgresTransactionRules {
    public enum Requirement: Sendable, Equatable {
        /// Runs inside the task's transaction.
        case transactional
        /// PostgreSQL refuses it inside a transaction block (the reason names the construct).
        case outsideTransaction(String)
        /// `BEGIN`, `COMMIT`, `ROLLBACK`…: the sheet would fight the executor's own transaction.
        case transactionControl(String)
    }

    /// What `statement` needs, on a server of `serverVersion` (`PQserverVersion`, e.g. 150004).
    /// A statement that does not parse is `.transactional`: the server reports the error.
    public static func requirement(of statement: String, serverVersion: Int = 150_000) -> Requirement {
        guard let tree = parse(statement),
              let stmts = tree["stmts"] as? [[String: Any]], let first = stmts.first?["stmt"] as? [String: Any],
              let (node, value) = first.first, let fields = value as? [String: Any]
        else { return .transactional }
        let flag = { (name: String) in fields[name] as? Bool == true }
        switch node {
        case "IndexStmt" where flag("concurrent"): return .outsideTransaction("CREATE INDEX CONCURRENTLY")
        case "DropStmt" where flag("concurrent"): return .outsideTransaction("DROP INDEX CONCURRENTLY")
        case "ReindexStmt":
            let params = (fields["params"] as? [[String: Any]]) ?? []
            if params.contains(where: { (($0["DefElem"] as? [String: Any])?["defname"] as? String) == "concurrently" }) {
                return .outsideTransaction("REINDEX CONCURRENTLY")
            }
            if let kind = fields["kind"] as? String, kind == "REINDEX_OBJECT_SYSTEM" || kind == "REINDEX_OBJECT_DATABASE" {
                return .outsideTransaction("REINDEX DATABASE/SYSTEM")
            }
            return .transactional
        case "VacuumStmt" where flag("is_vacuumcmd"): return .outsideTransaction("VACUUM")
        case "CreatedbStmt": return .outsideTransaction("CREATE DATABASE")
        case "DropdbStmt": return .outsideTransaction("DROP DATABASE")
        case "AlterDatabaseStmt":
            let options = (fields["options"] as? [[String: Any]]) ?? []
            let moves = options.contains { (($0["DefElem"] as? [String: Any])?["defname"] as? String) == "tablespace" }
            return moves ? .outsideTransaction("ALTER DATABASE … SET TABLESPACE") : .transactional
        case "CreateTableSpaceStmt": return .outsideTransaction("CREATE TABLESPACE")
        case "DropTableSpaceStmt": return .outsideTransaction("DROP TABLESPACE")
        case "AlterSystemStmt": return .outsideTransaction("ALTER SYSTEM")
        case "CreateSubscriptionStmt": return .outsideTransaction("CREATE SUBSCRIPTION")
        case "DropSubscriptionStmt": return .outsideTransaction("DROP SUBSCRIPTION")
        case "AlterSubscriptionStmt" where (fields["kind"] as? String) == "ALTER_SUBSCRIPTION_REFRESH":
            return .outsideTransaction("ALTER SUBSCRIPTION … REFRESH PUBLICATION")
        case "ClusterStmt" where fields["relation"] == nil: return .outsideTransaction("CLUSTER of every table")
        case "AlterEnumStmt" where fields["newVal"] != nil && serverVersion < 120_000:
            return .outsideTransaction("ALTER TYPE … ADD VALUE (before PostgreSQL 12)")
        case "TransactionStmt":
            let kind = fields["kind"] as? String ?? ""
            if ["TRANS_STMT_SAVEPOINT", "TRANS_STMT_RELEASE", "TRANS_STMT_ROLLBACK_TO"].contains(kind) { return .transactional }
            let word = kind.replacingOccurrences(of: "TRANS_STMT_", with: "").replacingOccurrences(of: "_", with: " ")
            return .transactionControl(word.isEmpty ? "transaction control" : word)
        default: return .transactional
        }
    }

    /// libpg_query's JSON parse tree of `sql`, or nil when it does not parse.
    private static func parse(_ sql: String) -> [String: Any]? {
        let json: String? = {
            let result = pg_query_parse(sql)
            defer { pg_query_free_parse_result(result) }
            guard result.error == nil, let tree = result.parse_tree else { return nil }
            return String(cString: tree)
        }()
        guard let json, let data = json.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}
