import Foundation

/// Refusals of statements that change Sluice's own objects, those whose unqualified names
/// start with `sluice_`.
///
/// The whole tree is walked, so a write hidden in a CTE, a rule's actions, an EXPLAIN ANALYZE
/// or a `BEGIN ATOMIC` body is found. A relation counts as read, and is allowed, where a query
/// reads it: in the FROM of a SELECT or UPDATE (joins included), the USING of a DELETE or
/// MERGE, the LIKE of a CREATE TABLE and the OF of a FOR UPDATE. Everywhere else (the target of
/// an INSERT, UPDATE, DELETE, MERGE, TRUNCATE, COPY or LOCK; the table a trigger, rule, policy,
/// index or foreign key is put on; anything created, altered, renamed, dropped, commented on or
/// granted) it counts as changed.
extension PostgresSheetPolicy {
    static func reservedObjectFinding(_ statement: PgNode) -> Finding? {
        historySchemaFinding(statement) ?? reserved(in: statement, reading: false, label: label(of: statement) ?? "statement")
    }

    /// The schema Sluice's history lives in.
    static let historySchema = "public"

    /// DROP SCHEMA public and ALTER SCHEMA public RENAME, which would take the history along.
    /// (`GRANT … ON ALL TABLES IN SCHEMA public` is what DBAs write every day: it is allowed; a
    /// role that then forges history rows is caught by their seal.)
    private static func historySchemaFinding(_ statement: PgNode) -> Finding? {
        if statement.hasTag("DropStmt"), statement["removeType"]?.string == "OBJECT_SCHEMA",
           (statement["objects"]?.list ?? []).contains(where: { $0.string?.lowercased() == historySchema }) {
            return Finding("DROP SCHEMA \(historySchema)", Text.historySchemaReason, Text.historySchemaHint)
        }
        if statement.hasTag("RenameStmt"), statement["renameType"]?.string == "OBJECT_SCHEMA",
           statement["subname"]?.string?.lowercased() == historySchema {
            return Finding("ALTER SCHEMA \(historySchema) … RENAME", Text.historySchemaReason, Text.historySchemaHint)
        }
        return nil
    }

    /// The first reserved name `node` changes, `label` naming the statement that changes it.
    private static func reserved(in node: PgNode, reading: Bool, label: String) -> Finding? {
        if node.document.kind(node.index) == .array || node.hasTag("List") {
            for item in node.list {
                if let finding = reserved(in: item, reading: reading, label: label) { return finding }
            }
            return nil
        }
        guard let fields = node.fields else { return nil }
        // A relation (a RangeVar, tagged or not).
        if let name = fields.member("relname")?.string {
            guard !reading, isReserved(name) else { return nil }
            return Finding(construct(label, name), Text.reservedReason, Text.reservedHint, at: fields.member("location")?.int)
        }
        // A function, aggregate or operator named with its arguments (an ObjectWithArgs).
        if let objname = fields.member("objname"), let name = objname.list.last?.string {
            return isReserved(name) ? Finding(construct(label, name), Text.reservedReason, Text.reservedHint) : nil
        }
        let tag = node.tag
        let current = Self.label(of: node) ?? label
        if let tag {
            for (name, location) in definedNames(node, tag: tag) where isReserved(name) {
                return Finding(construct(current, name), Text.reservedReason, Text.reservedHint, at: location)
            }
            if tag == "RenameStmt", !["OBJECT_COLUMN", "OBJECT_ATTRIBUTE"].contains(node["renameType"]?.string ?? ""),
               let name = node["newname"]?.string, isReserved(name) {
                return Finding("\(current) … RENAME TO \(name)", Text.reservedReason, Text.reservedHint)
            }
            if tag == "AlterObjectSchemaStmt", let name = node["newschema"]?.string, isReserved(name) {
                return Finding("\(current) … SET SCHEMA \(name)", Text.reservedReason, Text.reservedHint)
            }
        }
        var found: Finding?
        fields.document.forEachMember(of: fields.index) { key in
            let field = fields.document.string(key)
            let readsChild = readPositions.contains("\(tag ?? "").\(field)")
                || (reading && tag == "JoinExpr" && (field == "larg" || field == "rarg"))
            found = reserved(in: PgNode(fields.document, key + 1), reading: readsChild, label: current)
            return found == nil
        }
        return found
    }

    /// The fields, as `Tag.field`, whose relations a statement reads rather than changes.
    private static let readPositions: Set<String> = [
        "SelectStmt.fromClause", "UpdateStmt.fromClause", "DeleteStmt.usingClause", "MergeStmt.sourceRelation",
        "TableLikeClause.relation", "LockingClause.lockedRels",
    ]

    /// `DELETE FROM sluice_migration_history`, `DROP TABLE … sluice_x`.
    private static func construct(_ label: String, _ name: String) -> String {
        directLabels.contains(label) ? "\(label) \(name)" : "\(label) … \(name)"
    }

    /// Labels directly followed by the relation they act on.
    private static let directLabels: Set<String> = [
        "INSERT INTO", "UPDATE", "DELETE FROM", "MERGE INTO", "TRUNCATE", "COPY", "LOCK TABLE", "SELECT INTO",
    ]

    /// The names, other than relations, that a statement of kind `tag` creates, drops, alters or
    /// otherwise acts on (unqualified), with a location when the tree records one.
    private static func definedNames(_ node: PgNode, tag: String) -> [(String, Int?)] {
        let last = { (field: StaticString) -> [(String, Int?)] in
            (node[field]?.list.last?.string).map { [($0, nil)] } ?? []
        }
        let string = { (field: StaticString) -> [(String, Int?)] in
            (node[field]?.string).map { [($0, nil)] } ?? []
        }
        switch tag {
        case "IndexStmt": return string("idxname")
        case "CreateTrigStmt": return string("trigname")
        case "RuleStmt": return string("rulename")
        case "CreatePolicyStmt", "AlterPolicyStmt": return string("policy_name")
        case "CreateFunctionStmt": return last("funcname")
        case "CreateSchemaStmt": return string("schemaname")
        case "DefineStmt", "CreateStatsStmt": return last("defnames")
        case "CreateEnumStmt", "CreateRangeStmt", "AlterEnumStmt", "AlterDomainStmt": return last("typeName")
        case "CreateDomainStmt": return last("domainname")
        case "AlterStatsStmt": return last("defnames")
        case "DropStmt":
            let subObject = subObjectTypes.contains(node["removeType"]?.string ?? "")
            return (node["objects"]?.list ?? []).flatMap { objectNames($0, subObject: subObject) }
        case "RenameStmt":
            let type = node["renameType"]?.string ?? ""
            let names = ["OBJECT_COLUMN", "OBJECT_ATTRIBUTE", "OBJECT_TABCONSTRAINT", "OBJECT_DOMCONSTRAINT"].contains(type)
                ? [] : string("subname")
            return names + (node["object"].map { objectNames($0, subObject: subObjectTypes.contains(type)) } ?? [])
        case "CommentStmt", "SecLabelStmt", "AlterObjectSchemaStmt", "AlterOwnerStmt", "AlterExtensionContentsStmt",
             "AlterObjectDependsStmt":
            let type = node["objtype"]?.string ?? node["objectType"]?.string ?? ""
            return node["object"].map { objectNames($0, subObject: subObjectTypes.contains(type)) } ?? []
        case "GrantStmt":
            return (node["objects"]?.list ?? []).flatMap { objectNames($0, subObject: false) }
        default: return []
        }
    }

    /// Object types named by a table's name and their own (`DROP TRIGGER t ON sluice_x`).
    private static let subObjectTypes: Set<String> = [
        "OBJECT_TRIGGER", "OBJECT_RULE", "OBJECT_POLICY", "OBJECT_COLUMN", "OBJECT_TABCONSTRAINT",
    ]

    /// The unqualified names an object reference holds: a `String`, a list of them (the last
    /// one, or the last two for an object of a table), or a `TypeName`. ObjectWithArgs and
    /// RangeVar references are found by the walk itself.
    private static func objectNames(_ object: PgNode, subObject: Bool) -> [(String, Int?)] {
        if let name = object.string { return [(name, nil)] }
        if let names = object["names"], object["typemod"] != nil {
            return names.list.last?.string.map { [($0, object.location)] } ?? []
        }
        let parts = object.list.compactMap(\.string)
        return parts.suffix(subObject ? 2 : 1).map { ($0, nil) }
    }

    /// What people call a statement: `DROP TABLE`, `CREATE TRIGGER`, `INSERT INTO`…; nil for
    /// nodes that are not statements of their own (their parent's label stays).
    static func label(of node: PgNode) -> String? {
        guard let tag = node.tag else { return nil }
        let type = { (field: StaticString) in objectWords(node[field]?.string ?? "OBJECT_TABLE") }
        switch tag {
        case "InsertStmt": return "INSERT INTO"
        case "UpdateStmt": return "UPDATE"
        case "DeleteStmt": return "DELETE FROM"
        case "MergeStmt": return "MERGE INTO"
        case "TruncateStmt": return "TRUNCATE"
        case "CopyStmt": return "COPY"
        case "LockStmt": return "LOCK TABLE"
        case "SelectStmt": return "SELECT INTO"
        case "CreateStmt": return "CREATE TABLE"
        case "CreateForeignTableStmt": return "CREATE FOREIGN TABLE"
        case "CreateTableAsStmt": return node["objtype"]?.string == "OBJECT_MATVIEW" ? "CREATE MATERIALIZED VIEW" : "CREATE TABLE … AS"
        case "ViewStmt": return "CREATE VIEW"
        case "AlterTableStmt": return "ALTER \(type("objtype"))"
        case "DropStmt": return "DROP \(type("removeType"))"
        case "RenameStmt": return "ALTER \(type("renameType"))"
        case "AlterObjectSchemaStmt": return "ALTER \(type("objectType"))"
        case "AlterOwnerStmt": return "ALTER \(type("objectType")) … OWNER TO"
        case "CommentStmt": return "COMMENT ON \(type("objtype"))"
        case "SecLabelStmt": return "SECURITY LABEL ON \(type("objtype"))"
        case "GrantStmt": return node["is_grant"]?.bool == true ? "GRANT … ON" : "REVOKE … ON"
        case "IndexStmt": return "CREATE INDEX"
        case "CreateTrigStmt": return "CREATE TRIGGER"
        case "RuleStmt": return "CREATE RULE"
        case "CreatePolicyStmt": return "CREATE POLICY"
        case "AlterPolicyStmt": return "ALTER POLICY"
        case "CreateSeqStmt": return "CREATE SEQUENCE"
        case "AlterSeqStmt": return "ALTER SEQUENCE"
        case "CreateFunctionStmt": return node["is_procedure"]?.bool == true ? "CREATE PROCEDURE" : "CREATE FUNCTION"
        case "AlterFunctionStmt": return "ALTER \(type("objtype"))"
        case "CreateSchemaStmt": return "CREATE SCHEMA"
        case "DefineStmt": return "CREATE \(type("kind"))"
        case "CompositeTypeStmt", "CreateEnumStmt", "CreateRangeStmt": return "CREATE TYPE"
        case "AlterEnumStmt": return "ALTER TYPE"
        case "CreateDomainStmt": return "CREATE DOMAIN"
        case "AlterDomainStmt": return "ALTER DOMAIN"
        case "RefreshMatViewStmt": return "REFRESH MATERIALIZED VIEW"
        case "VacuumStmt": return node["is_vacuumcmd"]?.bool == true ? "VACUUM" : "ANALYZE"
        case "ClusterStmt": return "CLUSTER"
        case "ReindexStmt": return "REINDEX"
        case "CreateStatsStmt": return "CREATE STATISTICS"
        case "AlterStatsStmt": return "ALTER STATISTICS"
        case "AlterExtensionContentsStmt": return "ALTER EXTENSION"
        case "AlterObjectDependsStmt": return "ALTER … DEPENDS ON EXTENSION"
        default: return tag.hasSuffix("Stmt") ? words(ofTag: tag) : nil
        }
    }
}
