/// Where the fields of one node type of PostgreSQL's raw parse tree lie in memory.
///
/// The layouts are generated from the `pg_query.proto` that libpg-query-dev installs: it lists
/// every node's fields in the order of the C struct, so applying C's alignment rules to them
/// gives each field's offset (see `PgRawLayoutTests`, which writes
/// `PgRawLayouts.generated.swift`). A layout is only used when it is `proved`: every field of
/// that node type was read at its offset and found equal to what libpg_query's own JSON output
/// says, over the test corpus. A node of any other type sends its statement down the JSON path.
struct PgRawLayout: Sendable {
    enum Kind: UInt8, Sendable {
        /// `Node *` or a pointer to a particular node type.
        case node
        /// `List *` of nodes.
        case list
        /// `char *`, NUL-terminated; null when absent.
        case string
        /// A single `char` (`relpersistence`), which the proto spells as a string.
        case char
        case bool
        case int16
        case int32
        case uint32
        case int64
        case double
        /// A C enum (4 bytes); its names are in ``PgRawLayout/enumNames``.
        case enumeration
        /// `A_Const`'s embedded value union: an Integer, Float, Boolean, String or BitString node.
        case value
        /// Another node type's whole struct, starting at offset 0 (its tag is the node's own).
        case embedded
        /// Present in memory but never read (say, a `Bitmapset *`).
        case opaque
    }

    struct Field: Sendable {
        /// The name libpg_query's JSON output uses for the field.
        let name: String
        let kind: Kind
        let offset: Int
        /// For an enumeration, the name of its C type; for a node, its type when the field
        /// declares one (libpg_query's JSON then leaves out the node's tag).
        let typeName: String?
    }

    let name: String
    let fields: [Field]
    /// Whether `PgRawLayoutTests` proved this layout against libpg_query's JSON output.
    let proved: Bool

    init(_ name: String, proved: Bool, _ fields: [Field]) {
        self.name = name
        self.fields = fields
        self.proved = proved
    }

    /// Offsets of the fields that hold child nodes (node pointers and lists), for walking.
    var childOffsets: [Int] { fields.filter { $0.kind == .node || $0.kind == .list }.map(\.offset) }

    func field(_ name: String) -> Field? { fields.first { $0.name == name } }
}

extension PgRawLayout.Field {
    init(_ name: String, _ kind: PgRawLayout.Kind, _ offset: Int, _ typeName: String? = nil) {
        self.init(name: name, kind: kind, offset: offset, typeName: typeName)
    }
}

extension PgRawLayout {
    /// Layouts from their compact text: one node per line, `Name proved|unproved` then a field
    /// per word as `name:kind:offset[:type]` (a string, because Swift compiles a large array
    /// literal of structs very slowly).
    static func decode(_ table: String) -> [PgRawLayout] {
        table.split(separator: "\n").map { line in
            let words = line.split(separator: " ")
            let fields = words.dropFirst(2).map { word -> Field in
                let parts = word.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                return Field(parts[0], Kind(name: parts[1]), Int(parts[2])!, parts.count > 3 ? parts[3] : nil)
            }
            return PgRawLayout(String(words[0]), proved: words[1] == "proved", fields)
        }
    }

    /// Enum names from their compact text: one enum per line, `Name value:NAME …`.
    static func decodeEnums(_ table: String) -> [String: [Int32: String]] {
        var enums: [String: [Int32: String]] = [:]
        for line in table.split(separator: "\n") {
            let words = line.split(separator: " ")
            var values: [Int32: String] = [:]
            for word in words.dropFirst() {
                let parts = word.split(separator: ":")
                values[Int32(parts[0])!] = String(parts[1])
            }
            enums[String(words[0])] = values
        }
        return enums
    }
}

extension PgRawLayout.Kind {
    static let names: [String: Self] = [
        "node": .node, "list": .list, "string": .string, "char": .char, "bool": .bool, "int16": .int16,
        "int32": .int32, "uint32": .uint32, "int64": .int64, "double": .double, "enumeration": .enumeration,
        "value": .value, "embedded": .embedded, "opaque": .opaque,
    ]

    init(name: String) { self = Self.names[name]! }

    var name: String { Self.names.first { $0.value == self }!.key }
}
