import Foundation
@testable import SluiceSQL

/// Derives ``PgRawLayout``s from libpg_query's `pg_query.proto`, which lists each node's fields
/// in the order of its C struct, and renders them as `PgRawLayouts.generated.swift`.
///
/// The proto cannot say everything about C: a few `string` fields are a single `char`, a few
/// `int32` fields are `int16`, an expression node's `xpr` is the node tag itself, and two enums
/// do not count from zero. Those are listed here; anything else wrong shows up as a mismatch
/// against libpg_query's JSON output in `PgRawLayoutTests`, which then leaves the layout unproved.
enum PgLayoutGenerator {
    static let protoPath = "/usr/include/pg_query/pg_query.proto"
    static let headerPath = "/usr/include/pg_query.h"

    /// `PG_VERSION_NUM` of the installed libpg_query (`150001`).
    static func libraryVersion() throws -> Int {
        let header = try String(contentsOfFile: headerPath, encoding: .utf8)
        guard let line = header.split(separator: "\n").first(where: { $0.hasPrefix("#define PG_VERSION_NUM ") }),
              let version = Int(line.split(separator: " ").last ?? "") else { return 0 }
        return version
    }

    /// PostgreSQL `char` fields the proto spells `string`.
    static let charFields: Set<String> = [
        "RangeVar.relpersistence", "ColumnDef.storage", "ColumnDef.identity", "ColumnDef.generated",
        "Constraint.generated_when", "Constraint.fk_matchtype", "Constraint.fk_upd_action",
        "Constraint.fk_del_action", "PartitionBoundSpec.strategy", "AlterDomainStmt.subtype",
        "ReplicaIdentityStmt.identity_type", "CreateAmStmt.amtype", "RangeTblEntry.relkind",
        "AlterEventTrigStmt.tgenabled",
    ]
    /// PostgreSQL `int16` fields the proto spells `int32`.
    static let int16Fields: Set<String> = [
        "CreateTrigStmt.timing", "CreateTrigStmt.events", "AlterTableCmd.num",
    ]
    /// Enums whose C values are not the proto's value minus one.
    static let enumValues: [String: [String: Int32]] = [
        "FunctionParameterMode": [
            "FUNC_PARAM_IN": 105, "FUNC_PARAM_OUT": 111, "FUNC_PARAM_INOUT": 98,
            "FUNC_PARAM_VARIADIC": 118, "FUNC_PARAM_TABLE": 116, "FUNC_PARAM_DEFAULT": 100,
        ],
        "PartitionRangeDatumKind": [
            "PARTITION_RANGE_DATUM_MINVALUE": -1, "PARTITION_RANGE_DATUM_VALUE": 0, "PARTITION_RANGE_DATUM_MAXVALUE": 1,
        ],
    ]
    /// Messages that are not nodes, or whose memory is not a plain struct of their fields.
    static let skipped: Set<String> = ["Node", "ParseResult", "ScanResult", "ScanToken", "List", "IntList", "OidList"]

    struct ProtoField {
        var type: String
        var name: String
        var jsonName: String
        var repeated: Bool
    }

    struct Proto {
        var messages: [(name: String, fields: [ProtoField])] = []
        var enums: [(name: String, values: [(String, Int32)])] = []
    }

    static func readProto(_ text: String) -> Proto {
        var proto = Proto()
        var current: (kind: String, name: String)?
        var fields: [ProtoField] = []
        var values: [(String, Int32)] = []
        var inOneof = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // Leave out comments: `int32 ival = 1; /* machine integer */`.
            var line = String(rawLine)
            if let comment = line.range(of: "/*") ?? line.range(of: "//") { line = String(line[..<comment.lowerBound]) }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("message ") || line.hasPrefix("enum ") {
                let parts = line.split(separator: " ")
                current = (String(parts[0]), String(parts[1]))
                fields = []; values = []
                continue
            }
            guard let open = current else { continue }
            if line.hasPrefix("oneof ") { inOneof = true; continue }
            if line == "}" {
                if inOneof { inOneof = false; continue }
                if open.kind == "message" { proto.messages.append((open.name, fields)) } else { proto.enums.append((open.name, values)) }
                current = nil
                continue
            }
            guard line.hasSuffix(";"), line.contains("=") else { continue }
            let body = line.dropLast()
            if open.kind == "enum" {
                let parts = body.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }
                values.append((parts[0], Int32(parts[1])!))
                continue
            }
            if inOneof {
                // A_Const's value union: one embedded field, recorded once.
                if !fields.contains(where: { $0.name == "val" }) {
                    fields.append(ProtoField(type: "<value>", name: "val", jsonName: "val", repeated: false))
                }
                continue
            }
            var words = body.split(separator: " ").map(String.init)
            let repeated = words.first == "repeated"
            if repeated { words.removeFirst() }
            var jsonName = words[1]
            if let range = body.range(of: "json_name=\"") {
                jsonName = String(body[range.upperBound...].prefix { $0 != "\"" })
            }
            fields.append(ProtoField(type: words[0], name: words[1], jsonName: jsonName, repeated: repeated))
        }
        return proto
    }

    /// Fields that embed another node's struct rather than point to it (`CreateForeignTableStmt`
    /// begins with a whole `CreateStmt`, whose tag is the outer node's).
    static let embeddedFields: Set<String> = ["CreateForeignTableStmt.base_stmt"]

    /// Every node layout, with C alignment applied, none proved yet.
    static func layouts(_ proto: Proto) -> [PgRawLayout] {
        let enumNames = Set(proto.enums.map(\.name))
        let messages = Dictionary(proto.messages.map { ($0.name, $0.fields) }, uniquingKeysWith: { a, _ in a })
        var sizes: [String: Int] = [:]
        func layout(_ name: String, _ protoFields: [ProtoField]) -> (fields: [PgRawLayout.Field], size: Int) {
            var offset = 4  // NodeTag
            var alignment = 4
            var fields: [PgRawLayout.Field] = []
            for (index, field) in protoFields.enumerated() {
                if index == 0, field.name == "xpr", field.type == "Node" { continue }
                let qualified = "\(name).\(field.name)"
                let kind: PgRawLayout.Kind
                var typeName: String?
                var size: Int
                if embeddedFields.contains(qualified), let inner = messages[field.type] {
                    // The embedded struct starts the node: its tag is the node's own.
                    let embedded = layout(field.type, inner)
                    fields.append(PgRawLayout.Field(field.jsonName, .embedded, 0, field.type))
                    offset = embedded.size
                    alignment = 8
                    continue
                } else if field.type == "<value>" {
                    kind = .value; size = 16
                } else if field.repeated {
                    kind = field.type == "uint64" ? .opaque : .list; size = 8
                } else {
                    switch field.type {
                    case "string": (kind, size) = charFields.contains(qualified) ? (.char, 1) : (.string, 8)
                    case "bool": (kind, size) = (.bool, 1)
                    case "int32": (kind, size) = int16Fields.contains(qualified) ? (.int16, 2) : (.int32, 4)
                    case "uint32": (kind, size) = (.uint32, 4)
                    case "int64", "uint64": (kind, size) = (.int64, 8)
                    case "double": (kind, size) = (.double, 8)
                    case let type where enumNames.contains(type):
                        (kind, size) = (.enumeration, 4); typeName = type
                    default:
                        (kind, size) = (.node, 8)
                        if field.type != "Node" { typeName = field.type }
                    }
                }
                let align = min(size, 8)
                alignment = max(alignment, align)
                offset = (offset + align - 1) / align * align
                fields.append(PgRawLayout.Field(field.jsonName, kind, offset, typeName))
                offset += size
            }
            let size = (offset + alignment - 1) / alignment * alignment
            sizes[name] = size
            return (fields, size)
        }
        return proto.messages.filter { !skipped.contains($0.name) }.map { message in
            PgRawLayout(message.name, proved: false, layout(message.name, message.fields).fields)
        }
    }

    /// C value → name for every enum.
    static func enumNames(_ proto: Proto) -> [String: [Int32: String]] {
        var names: [String: [Int32: String]] = [:]
        for item in proto.enums {
            var table: [Int32: String] = [:]
            // The proto adds a `…_UNDEFINED = 0` in front of PostgreSQL's own values.
            let shift: Int32 = item.values.contains { $0.1 == 0 && $0.0.hasSuffix("_UNDEFINED") } ? 1 : 0
            for (name, value) in item.values where !(value == 0 && shift == 1) {
                table[enumValues[item.name]?[name] ?? value - shift] = name
            }
            names[item.name] = table
        }
        return names
    }

    static func render(_ layouts: [PgRawLayout], proved: Set<String>, enumNames: [String: [Int32: String]], version: Int) -> String {
        let quotes = String(repeating: "\"", count: 3)
        var out = """
        // Generated by PgRawLayoutTests from libpg_query's pg_query.proto and proved against its JSON
        // output (SLUICE_RECORD_LAYOUTS=1 swift test --filter PgRawLayoutTests). Do not edit.
        // Format: see PgRawLayout.decode and PgRawLayout.decodeEnums.
        enum PgRawLayouts {
            /// The libpg_query these layouts were proved against (its PG_VERSION_NUM).
            static let libraryVersion = \(version)
            static let all: [PgRawLayout] = PgRawLayout.decode(layoutTable)
            static let enumNames: [String: [Int32: String]] = PgRawLayout.decodeEnums(enumTable)

            private static let layoutTable = \(quotes)

        """
        for layout in layouts {
            let fields = layout.fields.map { field in
                "\(field.name):\(field.kind.name):\(field.offset)" + (field.typeName.map { ":\($0)" } ?? "")
            }
            out += "        " + ([layout.name, proved.contains(layout.name) ? "proved" : "unproved"] + fields).joined(separator: " ") + "\n"
        }
        out += "        \(quotes)\n\n    private static let enumTable = \(quotes)\n"
        for name in enumNames.keys.sorted() {
            let values = enumNames[name]!.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }
            out += "        " + ([name] + values).joined(separator: " ") + "\n"
        }
        out += "        \(quotes)\n}\n"
        return out
    }
}
