import Foundation
@testable import SluiceSQL

/// Reads raw parse trees through candidate ``PgRawLayout``s and compares every field with what
/// libpg_query's JSON output says of the same tree. A layout is proved when its node type was
/// met and no field of it ever disagreed, and the JSON never had a field the layout lacks.
struct PgLayoutProof {
    let layouts: [String: PgRawLayout]
    let enumNames: [String: [Int32: String]]
    private(set) var seen: [String: Int] = [:]
    private(set) var mismatches: [String: [String]] = [:]
    private var names: [Int32: String] = [:]

    init(layouts: [PgRawLayout], enumNames: [String: [Int32: String]]) {
        self.layouts = Dictionary(uniqueKeysWithValues: layouts.map { ($0.name, $0) })
        self.enumNames = enumNames
    }

    var proved: Set<String> { Set(seen.keys.filter { mismatches[$0] == nil }) }

    /// Compares the raw and JSON trees of every statement of `sql` (which must parse).
    mutating func check(_ sql: String) throws {
        let json = try PgParser.parse(sql)
        var proof = self
        let outcome = sql.withCString { text in
            PgRawTree.parse(text) { statements, _ -> String? in
                guard statements.count == json.count else {
                    return "\(statements.count) raw statements, \(json.count) in JSON"
                }
                for (raw, parsed) in zip(statements, json) {
                    proof.compare(raw.node, parsed.node, path: "stmt")
                }
                return nil
            }
        }
        self = proof
        switch outcome {
        case .failure(let failure): throw PgLayoutProofError(description: "raw parse failed: \(failure.message) in \(sql)")
        case .success(let problem?): throw PgLayoutProofError(description: "\(problem) in \(sql)")
        case .success(nil): break
        }
    }

    private mutating func name(of node: UnsafeRawPointer) -> String? {
        let tag = node.load(as: Int32.self)
        if let name = names[tag] { return name }
        let name = PgRawTree.Tags.name(of: node)
        names[tag] = name
        return name
    }

    private mutating func fail(_ type: String, _ message: String) {
        if mismatches[type, default: []].count < 3 { mismatches[type, default: []].append(message) }
    }

    /// `declared`: the node type the field holding this node declares, if any; libpg_query's
    /// JSON then gives the node's fields without its tag.
    private mutating func compare(_ raw: UnsafeRawPointer, _ json: PgNode, path: String, declared: String? = nil) {
        if raw.load(as: Int32.self) == PgRawTree.Tags.listTag.load(ordering: .relaxed) {
            compareList(raw, json.list, path: path, owner: "List")
            return
        }
        guard let name = name(of: raw) else { return fail("?", "\(path): node with tag \(raw.load(as: Int32.self)) has no name") }
        if let declared {
            guard declared == name else { return fail(name, "\(path): field declares \(declared)") }
        } else {
            guard json.tag == name else { return fail(name, "\(path): JSON has \(json.tag ?? "no tag") here") }
        }
        seen[name, default: 0] += 1
        guard let layout = layouts[name] else { return fail(name, "\(path): no layout") }
        guard let fields = declared == nil ? json.fields : json.document.kind(json.index) == .object ? json : nil else {
            return fail(name, "\(path): JSON node has no fields")
        }
        var known = Set<String>()
        for field in layout.fields {
            known.insert(field.name)
            compare(field, of: raw, json: member(field.name, of: fields), fields: fields, path: "\(path).\(name).\(field.name)", owner: name)
        }
        fields.document.forEachMember(of: fields.index) { key in
            let keyName = fields.document.string(key)
            // A_Const's value is one of these, in the layout as a single union field.
            let constant = name == "A_Const" && ["ival", "fval", "boolval", "sval", "bsval"].contains(keyName)
            if !known.contains(keyName) && !constant {
                fail(name, "\(path): JSON field \(keyName) is not in the layout")
            }
            return true
        }
    }

    private mutating func compareList(_ raw: UnsafeRawPointer, _ items: [PgNode], path: String, owner: String) {
        var rawItems: [UnsafeRawPointer?] = []
        PgRawTree.Reader.forEachItem(ofList: raw) { rawItems.append($0) }
        guard rawItems.count == items.count else {
            return fail(owner, "\(path): \(rawItems.count) list items in memory, \(items.count) in JSON")
        }
        for (index, (item, parsed)) in zip(rawItems, items).enumerated() {
            guard let item else {
                // A NIL item (RangeFunction's [function, column definitions] pairs) prints as {}.
                if parsed.document.kind(parsed.index) != .object || parsed.document.next(parsed.index) != parsed.index + 1 {
                    fail(owner, "\(path)[\(index)]: null list item")
                }
                continue
            }
            compare(item, parsed, path: "\(path)[\(index)]")
        }
    }

    private func member(_ name: String, of object: PgNode) -> PgNode? {
        var found: PgNode?
        object.document.forEachMember(of: object.index) { key in
            if object.document.string(key) == name { found = PgNode(object.document, key + 1) }
            return found == nil
        }
        return found
    }

    private mutating func compare(
        _ field: PgRawLayout.Field, of raw: UnsafeRawPointer, json: PgNode?, fields: PgNode, path: String, owner: String
    ) {
        let at = field.offset
        if ProcessInfo.processInfo.environment["SLUICE_PROOF_TRACE"] != nil { FileHandle.standardError.write("\(path) \(field.kind) @\(at)\n".data(using: .utf8)!) }
        // libpg_query 15-4.0 prints some negative integers as nothing at all (an Integer node
        // of -1, a negative constant), so a negative number may stand for a missing one.
        func sameNumber(_ value: Int) -> Bool { value == (json?.int ?? 0) || (json == nil && value < 0) }
        func expect(_ ok: Bool, _ memory: Any) {
            if !ok { fail(owner, "\(path): memory has \(memory), JSON \(json.map { describe($0) } ?? "nothing")") }
        }
        switch field.kind {
        case .node:
            let child = raw.load(fromByteOffset: at, as: UnsafeRawPointer?.self)
            guard plausible(child, aligned: true) else { return fail(owner, "\(path): \(child!) is no node pointer") }
            if let child, let json {
                compare(child, json, path: path, declared: field.typeName)
            } else {
                expect(child == nil && (json == nil || json?.document.kind(json!.index) == .null), child as Any)
            }
        case .list:
            let child = raw.load(fromByteOffset: at, as: UnsafeRawPointer?.self)
            guard plausible(child, aligned: true) else { return fail(owner, "\(path): \(child!) is no list pointer") }
            if let child {
                compareList(child, json?.list ?? [], path: path, owner: owner)
            } else {
                expect(json == nil || json!.list.isEmpty, "NIL")
            }
        case .string:
            guard plausible(raw.load(fromByteOffset: at, as: UnsafeRawPointer?.self), aligned: false) else {
                return fail(owner, "\(path): no string pointer")
            }
            let value = raw.load(fromByteOffset: at, as: UnsafePointer<CChar>?.self).map { String(cString: $0) }
            expect(value == json?.stringValue, value as Any)
        case .char:
            let value = raw.load(fromByteOffset: at, as: UInt8.self)
            expect(value == 0 ? json == nil : json?.stringValue == String(UnicodeScalar(value)), value)
        case .bool:
            let value = raw.load(fromByteOffset: at, as: UInt8.self)
            expect(value <= 1 && (value == 1) == (json?.bool ?? false), value)
        case .int16:
            let value = Int(raw.load(fromByteOffset: at, as: Int16.self))
            expect(sameNumber(value), value)
        case .int32:
            let value = Int(raw.load(fromByteOffset: at, as: Int32.self))
            expect(sameNumber(value), value)
        case .uint32:
            let value = Int(raw.load(fromByteOffset: at, as: UInt32.self))
            expect(sameNumber(value), value)
        case .int64:
            let value = Int(raw.load(fromByteOffset: at, as: Int64.self))
            expect(sameNumber(value), value)
        case .double:
            break
        case .enumeration:
            let value = raw.load(fromByteOffset: at, as: Int32.self)
            let name = enumNames[field.typeName ?? ""]?[value]
            expect(name != nil && (name == json?.stringValue || (json == nil && value == 0)), "\(value) (\(name ?? "?"))")
        case .value:
            // A_Const: { NodeTag; union { Node; Integer; Float; Boolean; String; BitString } val; bool isnull; … }
            // JSON spells it {"A_Const": {"ival": {"ival": 5}, …}}, {"sval": {"sval": "x"}}, …
            guard raw.load(fromByteOffset: at, as: Int32.self) != 0 else { break }
            let embedded = raw + at
            guard let type = name(of: embedded),
                  let key = ["Integer": "ival", "Float": "fval", "Boolean": "boolval", "String": "sval", "BitString": "bsval"][type] else {
                return fail(owner, "\(path): value of unknown type")
            }
            let inner = member(key, of: fields).flatMap { member(key, of: $0) }
            switch type {
            case "Integer":
                let value = Int(embedded.load(fromByteOffset: 4, as: Int32.self))
                // libpg_query 15-4.0 prints a negative integer constant as {} (no value at all).
                if value != (inner?.int ?? 0) && !(inner == nil && value < 0) { fail(owner, "\(path): integer \(value) in memory") }
            case "Boolean":
                let value = embedded.load(fromByteOffset: 4, as: UInt8.self) == 1
                if value != (inner?.bool ?? false) { fail(owner, "\(path): boolean \(value) in memory") }
            default:
                let value = embedded.load(fromByteOffset: 8, as: UnsafePointer<CChar>?.self).map { String(cString: $0) }
                if value != inner?.stringValue { fail(owner, "\(path): \(type) \(value ?? "nil") in memory, JSON \(inner?.stringValue ?? "nil")") }
            }
        case .embedded:
            guard let inner = layouts[field.typeName ?? ""], let json else { return fail(owner, "\(path): embedded struct missing") }
            for innerField in inner.fields {
                compare(innerField, of: raw, json: member(innerField.name, of: json), fields: json,
                        path: "\(path).\(innerField.name)", owner: owner)
            }
        case .opaque:
            break
        }
    }

    /// Whether a value read as a pointer could be one: a layout that is off reads neighbouring
    /// integers, flags or characters, which make small or misaligned values.
    private func plausible(_ pointer: UnsafeRawPointer?, aligned: Bool) -> Bool {
        guard let pointer else { return true }
        let value = UInt(bitPattern: pointer)
        return value >= 0x10000 && value < 0x8000_0000_0000 && (!aligned || value % 8 == 0)
    }

    private func describe(_ node: PgNode) -> String {
        let entry = node.document.entries[node.index]
        return String(decoding: node.document.bytes[Int(entry.start)..<min(Int(entry.end), Int(entry.start) + 80)], as: UTF8.self)
    }
}

struct PgLayoutProofError: Error, CustomStringConvertible {
    var description: String
}
