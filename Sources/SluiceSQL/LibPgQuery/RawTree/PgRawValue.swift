/// A node of the raw parse tree, or one of its fields, read in place: what ``PgNode`` is for the
/// JSON tree. Like the JSON, it answers nil for a field that is null, false, zero or empty.
///
/// Only valid inside ``PgRawTree/parse(_:_:)``'s body, and only over a tree that
/// ``PgRawTree/Reader/relations(of:)`` has walked (so every node in it has a proved layout).
struct PgRawValue: PgTreeNode {
    enum Storage {
        case node(UnsafeRawPointer, layout: Int)
        case list(UnsafeRawPointer)
        case text(String)
        case flag(Bool)
        case number(Int)
    }

    let storage: Storage

    /// The node at `pointer`, if its type has a proved layout.
    init?(node pointer: UnsafeRawPointer) {
        if pointer.load(as: Int32.self) == PgRawTree.Tags.listTag.load(ordering: .relaxed) {
            storage = .list(pointer)
            return
        }
        guard let layout = PgRawTree.Tags.layoutIndex(forTag: Int(pointer.load(as: Int32.self)), node: pointer) else {
            return nil
        }
        storage = .node(pointer, layout: layout)
    }

    /// The node at `pointer`, whose layout the caller has looked up.
    init(node pointer: UnsafeRawPointer, layout: Int) { storage = .node(pointer, layout: layout) }

    private init(_ storage: Storage) { self.storage = storage }

    var tag: String? {
        if case .node(_, let layout) = storage { return PgRawShape.shared.names[layout] }
        return nil
    }

    subscript(_ key: StaticString) -> PgRawValue? {
        guard case .node(let pointer, let layout) = storage else { return nil }
        let name = key.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
        guard let field = PgRawShape.shared.fieldsByName[layout][name] else { return nil }
        let at = field.offset
        switch field.kind {
        case .node, .list:
            return pointer.load(fromByteOffset: at, as: UnsafeRawPointer?.self).flatMap { PgRawValue(node: $0) }
        case .string:
            return pointer.load(fromByteOffset: at, as: UnsafePointer<CChar>?.self).map { PgRawValue(.text(String(cString: $0))) }
        case .char:
            let value = pointer.load(fromByteOffset: at, as: UInt8.self)
            return value == 0 ? nil : PgRawValue(.text(String(UnicodeScalar(value))))
        case .bool:
            return pointer.load(fromByteOffset: at, as: UInt8.self) != 0 ? PgRawValue(.flag(true)) : nil
        case .int16:
            return number(Int(pointer.load(fromByteOffset: at, as: Int16.self)))
        case .int32:
            return number(Int(pointer.load(fromByteOffset: at, as: Int32.self)))
        case .uint32:
            return number(Int(pointer.load(fromByteOffset: at, as: UInt32.self)))
        case .int64:
            return number(Int(pointer.load(fromByteOffset: at, as: Int64.self)))
        case .enumeration:
            let value = pointer.load(fromByteOffset: at, as: Int32.self)
            return PgRawLayouts.enumNames[field.typeName ?? ""]?[value].map { PgRawValue(.text($0)) }
        case .double, .value, .embedded, .opaque:
            return nil
        }
    }

    private func number(_ value: Int) -> PgRawValue? { value == 0 ? nil : PgRawValue(.number(value)) }

    /// A string field, or the text of a `String` node (`{ NodeTag type; char *sval; }`).
    var string: String? {
        switch storage {
        case .text(let text): return text
        case .node(let pointer, let layout) where PgRawShape.shared.names[layout] == "String":
            return pointer.load(fromByteOffset: 8, as: UnsafePointer<CChar>?.self).map { String(cString: $0) }
        default: return nil
        }
    }

    var bool: Bool {
        switch storage {
        case .flag(let value): value
        case .number(let value): value != 0
        default: false
        }
    }

    var list: [PgRawValue] {
        guard case .list(let pointer) = storage else { return [] }
        var items: [PgRawValue] = []
        PgRawTree.Reader.forEachItem(ofList: pointer) { item in
            if let item, let value = PgRawValue(node: item) { items.append(value) }
        }
        return items
    }
}
