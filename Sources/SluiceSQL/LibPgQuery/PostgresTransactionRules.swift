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
        guard let node = (try? PgParser.parse(statement))?.first?.node, let tag = node.tag else { return .transactional }
        let flag = { (name: StaticString) in node[name]?.bool == true }
        let defNames = { (name: StaticString) in (node[name]?.list ?? []).compactMap { $0["defname"]?.string } }
        switch tag {
        case "IndexStmt" where flag("concurrent"): return .outsideTransaction("CREATE INDEX CONCURRENTLY")
        case "DropStmt" where flag("concurrent"): return .outsideTransaction("DROP INDEX CONCURRENTLY")
        case "ReindexStmt":
            if defNames("params").contains("concurrently") { return .outsideTransaction("REINDEX CONCURRENTLY") }
            if let kind = node["kind"]?.string, kind == "REINDEX_OBJECT_SYSTEM" || kind == "REINDEX_OBJECT_DATABASE" {
                return .outsideTransaction("REINDEX DATABASE/SYSTEM")
            }
            return .transactional
        case "VacuumStmt" where flag("is_vacuumcmd"): return .outsideTransaction("VACUUM")
        case "CreatedbStmt": return .outsideTransaction("CREATE DATABASE")
        case "DropdbStmt": return .outsideTransaction("DROP DATABASE")
        case "AlterDatabaseStmt":
            return defNames("options").contains("tablespace") ? .outsideTransaction("ALTER DATABASE … SET TABLESPACE") : .transactional
        case "CreateTableSpaceStmt": return .outsideTransaction("CREATE TABLESPACE")
        case "DropTableSpaceStmt": return .outsideTransaction("DROP TABLESPACE")
        case "AlterSystemStmt": return .outsideTransaction("ALTER SYSTEM")
        case "CreateSubscriptionStmt": return .outsideTransaction("CREATE SUBSCRIPTION")
        case "DropSubscriptionStmt": return .outsideTransaction("DROP SUBSCRIPTION")
        case "AlterSubscriptionStmt" where node["kind"]?.string == "ALTER_SUBSCRIPTION_REFRESH":
            return .outsideTransaction("ALTER SUBSCRIPTION … REFRESH PUBLICATION")
        case "ClusterStmt" where node["relation"] == nil: return .outsideTransaction("CLUSTER of every table")
        case "AlterEnumStmt" where node["newVal"] != nil && serverVersion < 120_000:
            return .outsideTransaction("ALTER TYPE … ADD VALUE (before PostgreSQL 12)")
        case "TransactionStmt":
            let kind = node["kind"]?.string ?? ""
            if ["TRANS_STMT_SAVEPOINT", "TRANS_STMT_RELEASE", "TRANS_STMT_ROLLBACK_TO"].contains(kind) { return .transactional }
            let word = kind.replacingOccurrences(of: "TRANS_STMT_", with: "").replacingOccurrences(of: "_", with: " ")
            return .transactionControl(word.isEmpty ? "transaction control" : word)
        default: return .transactional
        }
    }
}
