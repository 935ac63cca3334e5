/// Parse-tree questions the review rules ask again and again.
extension PgNode {
    /// `schema.table` or `table` of a `RangeVar` field such as `relation`.
    public var qualifiedName: String? {
        guard let relname = self["relname"]?.string else { return nil }
        return self["schemaname"]?.string.map { "\($0).\(relname)" } ?? relname
    }

    /// The column definitions a `CREATE TABLE` declares or an `ALTER TABLE … ADD COLUMN` adds.
    var columnDefinitions: [PgNode] {
        switch tag {
        case "CreateStmt":
            return (self["tableElts"]?.list ?? []).filter { $0.tag == "ColumnDef" }
        case "AlterTableStmt":
            return alterCommands.filter { $0["subtype"]?.string == "AT_AddColumn" }.compactMap { $0["def"] }
        default:
            return []
        }
    }

    /// The `AlterTableCmd`s of an `ALTER TABLE`.
    var alterCommands: [PgNode] {
        tag == "AlterTableStmt" ? (self["cmds"]?.list ?? []) : []
    }

    /// The constraints of a column definition (`{"Constraint": …}` items).
    var columnConstraints: [PgNode] {
        (self["constraints"]?.list ?? []).filter { $0.tag == "Constraint" }
    }

    /// Table-level constraints of a `CREATE TABLE`, and constraints an `ALTER TABLE` adds.
    var tableConstraints: [PgNode] {
        switch tag {
        case "CreateStmt":
            return (self["tableElts"]?.list ?? []).filter { $0.tag == "Constraint" }
        case "AlterTableStmt":
            return alterCommands.filter { $0["subtype"]?.string == "AT_AddConstraint" }.compactMap { $0["def"] }
        default:
            return []
        }
    }

    var constraintType: String? { self["contype"]?.string }

    /// The type of a column definition or `TypeName`, lower-cased without `pg_catalog.`, with
    /// PostgreSQL's internal names turned back into what people write (`int4` → `integer`).
    var typeName: String? {
        let typeNode = self["typeName"] ?? self
        guard let names = typeNode["names"]?.list.compactMap(\.string), let last = names.last else { return nil }
        let name = last.lowercased()
        return Self.typeAliases[name] ?? name
    }

    /// The first type modifier (`varchar(255)` → 255).
    var typeLength: Int? {
        let typeNode = self["typeName"] ?? self
        return typeNode["typmods"]?.list.first?["ival"]?["ival"]?.int
    }

    static let typeAliases: [String: String] = [
        "int4": "integer", "int8": "bigint", "int2": "smallint", "bpchar": "char", "float8": "double precision",
        "float4": "real", "bool": "boolean", "timestamptz": "timestamptz", "timetz": "timetz",
    ]

    /// Whether the column is declared NOT NULL or PRIMARY KEY.
    var isNotNull: Bool {
        columnConstraints.contains { ["CONSTR_NOTNULL", "CONSTR_PRIMARY"].contains($0.constraintType) }
    }

    var hasDefault: Bool {
        columnConstraints.contains { $0.constraintType == "CONSTR_DEFAULT" } || self["identity"] != nil
            || columnConstraints.contains { $0.constraintType == "CONSTR_IDENTITY" || $0.constraintType == "CONSTR_GENERATED" }
            || ["serial", "bigserial", "smallserial", "serial4", "serial8", "serial2"].contains(typeName ?? "")
    }
}
