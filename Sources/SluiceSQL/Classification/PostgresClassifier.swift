import Dispatch
import Foundation
import Synchronization

/// Classifies PostgreSQL statements from PostgreSQL's own parse tree.
enum PostgresClassifier {
    /// Classifies many statements, on every core when there are enough of them to pay off.
    ///
    /// Each statement is parsed on its own, and libpg_query keeps its parser's state in thread-
    /// local memory (Debian's 15-4.0 build touches no file descriptors either), so parses may
    /// run side by side: `LibPgQueryConcurrencyTests` holds the library to that.
    static func classify(_ statements: [SQLStatement]) -> [ClassifiedStatement] {
        let batch = 128
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, statements.count / batch)
        guard workers > 1 else { return statements.map(classify) }
        let nextBatch = Atomic<Int>(0)
        return [ClassifiedStatement](unsafeUninitializedCapacity: statements.count) { buffer, initialized in
            let results = Slots(base: buffer.baseAddress!)
            // Workers take batches in turn, so a core slowed by other work simply takes fewer.
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let start = nextBatch.wrappingAdd(batch, ordering: .relaxed).oldValue
                    guard start < statements.count else { return }
                    for index in start..<min(start + batch, statements.count) {
                        (results.base + index).initialize(to: classify(statements[index]))
                    }
                }
            }
            initialized = statements.count
        }
    }

    /// The result buffer, shared by the workers: each slot is written by the one worker that
    /// took its batch, and read only after every worker is done.
    private struct Slots: @unchecked Sendable {
        let base: UnsafeMutablePointer<ClassifiedStatement>
    }

    static func classify(_ statement: SQLStatement) -> ClassifiedStatement {
        do {
            let nodes = try PgParser.parse(statement.text)
            guard let node = nodes.first?.node else {
                return KeywordClassifier.classify(statement, note: nil)
            }
            return classify(statement, node: node)
        } catch {
            return KeywordClassifier.classify(statement, note: "PostgreSQL cannot parse this statement: \(error.message)")
        }
    }

    /// The classification of a statement whose parse tree is `node`.
    static func classify(_ statement: SQLStatement, node: PgNode) -> ClassifiedStatement {
        classify(statement, node: node, tables: tables(node))
    }

    /// The classification of a statement whose parse tree is `node` (JSON or in place), given
    /// the tables it names.
    static func classify<Node: PgTreeNode>(_ statement: SQLStatement, node: Node, tables: [String]) -> ClassifiedStatement {
        let type = statementType(node)
        return ClassifiedStatement(
            statement: statement, type: type, category: StatementTypes.category(of: type),
            tables: tables, transactional: isTransactional(node))
    }

    /// Bytebase-style type of a raw statement node.
    static func statementType<Node: PgTreeNode>(_ node: Node) -> String {
        guard let tag = node.tag else { return "UNKNOWN" }
        if let type = typeByTag[tag] { return type }
        switch tag {
        case "CreateTableAsStmt": return node["objtype"]?.string == "OBJECT_MATVIEW" ? "CREATE_MATERIALIZED_VIEW" : "CREATE_TABLE_AS"
        case "AlterTableStmt": return "ALTER_" + objectName(node["objtype"]?.string, default: "TABLE")
        case "DropStmt": return "DROP_" + objectName(node["removeType"]?.string, default: "OBJECT")
        case "RenameStmt": return "RENAME_" + objectName(node["renameType"]?.string, default: "OBJECT")
        case "SelectStmt": return node["intoClause"] == nil ? "SELECT" : "CREATE_TABLE_AS"
        case "CreateFunctionStmt": return node["is_procedure"]?.bool == true ? "CREATE_PROCEDURE" : "CREATE_FUNCTION"
        case "GrantStmt": return node["is_grant"]?.bool == true ? "GRANT" : "REVOKE"
        case "GrantRoleStmt": return node["is_grant"]?.bool == true ? "GRANT" : "REVOKE"
        case "VariableSetStmt": return node["kind"]?.string == "VAR_RESET" ? "RESET" : "SET"
        case "TransactionStmt": return transactionType(node["kind"]?.string)
        case "VacuumStmt": return node["is_vacuumcmd"]?.bool == true ? "VACUUM" : "ANALYZE"
        default: return simpleType(tag)
        }
    }

    /// Node types whose statement type depends on a field, not on the tag alone.
    private static let fieldDependentTags: Set<String> = ["CreateTableAsStmt", "AlterTableStmt", "DropStmt", "RenameStmt", "SelectStmt", "CreateFunctionStmt", "GrantStmt", "GrantRoleStmt", "VariableSetStmt", "TransactionStmt", "VacuumStmt"]

    /// The statement type of every other statement node type, worked out once.
    private static let typeByTag: [String: String] = Dictionary(
        uniqueKeysWithValues: PgRawLayouts.all.map(\.name)
            .filter { $0.hasSuffix("Stmt") && !fieldDependentTags.contains($0) }
            .map { ($0, simpleType($0)) })

    /// The statement type of a node type whose fields do not matter.
    private static func simpleType(_ tag: String) -> String {
        switch tag {
        case "CreateStmt": return "CREATE_TABLE"
        case "IndexStmt": return "CREATE_INDEX"
        case "InsertStmt": return "INSERT"
        case "UpdateStmt": return "UPDATE"
        case "DeleteStmt": return "DELETE"
        case "MergeStmt": return "MERGE"
        case "TruncateStmt": return "TRUNCATE"
        case "CopyStmt": return "COPY"
        case "ViewStmt": return "CREATE_VIEW"
        case "CreateTrigStmt": return "CREATE_TRIGGER"
        case "CreateSeqStmt": return "CREATE_SEQUENCE"
        case "AlterSeqStmt": return "ALTER_SEQUENCE"
        case "CreateSchemaStmt": return "CREATE_SCHEMA"
        case "CreateExtensionStmt": return "CREATE_EXTENSION"
        case "CreateEnumStmt", "CompositeTypeStmt", "CreateRangeStmt": return "CREATE_TYPE"
        case "AlterEnumStmt": return "ALTER_TYPE"
        case "CreateDomainStmt": return "CREATE_DOMAIN"
        case "CreatedbStmt": return "CREATE_DATABASE"
        case "DropdbStmt": return "DROP_DATABASE"
        case "CommentStmt": return "COMMENT"
        case "VariableShowStmt": return "SHOW"
        case "DoStmt": return "DO"
        case "CallStmt": return "CALL"
        case "ExplainStmt": return "EXPLAIN"
        case "ReindexStmt": return "REINDEX"
        case "ClusterStmt": return "CLUSTER"
        case "LockStmt": return "LOCK"
        case "RefreshMatViewStmt": return "REFRESH_MATERIALIZED_VIEW"
        case "CreatePolicyStmt": return "CREATE_POLICY"
        case "CreateRoleStmt": return "CREATE_ROLE"
        case "AlterSystemStmt": return "ALTER_SYSTEM"
        case "CreateTableSpaceStmt": return "CREATE_TABLESPACE"
        case "DropTableSpaceStmt": return "DROP_TABLESPACE"
        default: return screamingSnake(tag.hasSuffix("Stmt") ? String(tag.dropLast(4)) : tag)
        }
    }

    /// `OBJECT_MATVIEW` → `MATERIALIZED_VIEW`, `OBJECT_TABLE` → `TABLE`.
    private static func objectName(_ objectType: String?, default fallback: String) -> String {
        guard let objectType, objectType.hasPrefix("OBJECT_") else { return fallback }
        let name = String(objectType.dropFirst("OBJECT_".count))
        switch name {
        case "MATVIEW": return "MATERIALIZED_VIEW"
        case "TABCONSTRAINT": return "CONSTRAINT"
        default: return name
        }
    }

    private static func transactionType(_ kind: String?) -> String {
        switch kind {
        case "TRANS_STMT_BEGIN", "TRANS_STMT_START": return "BEGIN"
        case "TRANS_STMT_COMMIT": return "COMMIT"
        case "TRANS_STMT_ROLLBACK": return "ROLLBACK"
        case "TRANS_STMT_SAVEPOINT": return "SAVEPOINT"
        case "TRANS_STMT_RELEASE": return "RELEASE"
        case "TRANS_STMT_ROLLBACK_TO": return "ROLLBACK"
        default: return "TRANSACTION"
        }
    }

    private static func screamingSnake(_ camel: String) -> String {
        var out = ""
        for (i, c) in camel.enumerated() {
            if c.isUppercase, i > 0 { out.append("_") }
            out.append(contentsOf: c.uppercased())
        }
        return out
    }

    /// Whether PostgreSQL lets the statement run inside a transaction block.
    static func isTransactional<Node: PgTreeNode>(_ node: Node) -> Bool {
        switch node.tag {
        case "IndexStmt": return node["concurrent"]?.bool != true
        case "DropStmt": return node["concurrent"]?.bool != true
        case "ReindexStmt":
            return !(node["params"]?.list.contains { $0["defname"]?.string == "concurrently" } ?? false)
        case "VacuumStmt" where node["is_vacuumcmd"]?.bool == true: return false
        case "CreatedbStmt", "DropdbStmt", "AlterSystemStmt", "CreateTableSpaceStmt", "DropTableSpaceStmt",
             "TransactionStmt", "CreateSubscriptionStmt", "DropSubscriptionStmt":
            return false
        case "AlterSubscriptionStmt": return false
        // ADD VALUE cannot be used in the same transaction, and older servers refuse it in one.
        case "AlterEnumStmt": return node["newVal"] == nil || node["oldVal"] != nil
        default: return true
        }
    }

    /// Every relation named in the statement, qualified as written, leaving out names of CTEs.
    static func tables(_ node: PgNode) -> [String] {
        // Relations, and the names of CTEs (which are not tables), in one pass.
        var ctes = Set<String>()
        var relations: [PgRelation] = []
        node.walk { n in
            if n.hasTag("CommonTableExpr"), let name = n["ctename"]?.string { ctes.insert(name) }
            guard let fields = n.fields, let relname = fields.member("relname")?.stringValue else { return }
            relations.append(PgRelation(location: fields.member("location")?.exactInt ?? Int.max,
                                        schema: fields.member("schemaname")?.stringValue, name: relname))
        }
        return tables(node, relations: relations, ctes: ctes)
    }

    /// The tables of a statement, from the relations (`RangeVar`s) and CTE names found in its tree.
    static func tables<Node: PgTreeNode>(_ node: Node, relations: [PgRelation], ctes: Set<String>) -> [String] {
        var names: [String] = []
        func add(_ name: String?) {
            guard let name, !name.isEmpty, !names.contains(name) else { return }
            names.append(name)
        }
        if node.tag == "DropStmt", ["OBJECT_TABLE", "OBJECT_VIEW", "OBJECT_MATVIEW", "OBJECT_FOREIGN_TABLE"].contains(node["removeType"]?.string) {
            for object in node["objects"]?.list ?? [] {
                let parts = object.list.compactMap(\.string)
                add(parts.isEmpty ? nil : parts.joined(separator: "."))
            }
        }
        // The tree does not follow the text: order relations by where they stand in it.
        var found: [(location: Int, name: String)] = []
        for relation in relations {
            if let schema = relation.schema {
                found.append((relation.location, "\(schema).\(relation.name)"))
            } else if !ctes.contains(relation.name) {
                found.append((relation.location, relation.name))
            }
        }
        for item in found.sorted(by: { $0.location < $1.location }) { add(item.name) }
        return names
    }
}

/// A relation named in a statement: where, and as written.
struct PgRelation {
    /// Byte offset in the parsed text; `Int.max` when the parser recorded none.
    var location: Int
    var schema: String?
    var name: String
}

/// What classification reads of a parse-tree node, whether printed as JSON (``PgNode``) or read
/// in place (``PgRawValue``).
protocol PgTreeNode {
    var tag: String? { get }
    subscript(_ key: StaticString) -> Self? { get }
    var string: String? { get }
    var bool: Bool { get }
    var list: [Self] { get }
}

extension PgNode: PgTreeNode {}
