import CPgQuery
import Foundation

/// One node of PostgreSQL's raw parse tree, as libpg_query's `pg_query_parse` prints it in JSON.
///
/// A node is either a tagged object (`{"CreateStmt": {…}}`), a plain object of fields, a list, or
/// a scalar. The accessors return nil rather than trap on the wrong shape, so rules can ask
/// freely: `node["relation"]?["relname"]?.string`. A node is a position in an indexed JSON
/// document (``PgJSONDocument``): reading one costs no dictionaries, and strings are decoded
/// only when asked for.
public struct PgNode: Sendable {
    let document: PgJSONDocument
    let index: Int

    init(_ document: PgJSONDocument, _ index: Int) {
        self.document = document
        self.index = index
    }

    /// A field of an object node, seen through a tag: `{"ColumnDef": {"colname": …}}["colname"]`.
    public subscript(_ key: StaticString) -> PgNode? {
        guard let object = fieldsIndex, let value = document.member(key, of: object) else { return nil }
        return PgNode(document, value)
    }

    /// A member of this very object (not looking through a tag), if it is an object.
    func member(_ key: StaticString) -> PgNode? {
        guard document.kind(index) == .object, let value = document.member(key, of: index) else { return nil }
        return PgNode(document, value)
    }

    /// The node's tag (`"CreateStmt"`), when it is a single-key object whose key is capitalised.
    public var tag: String? { tagKeyIndex.map(document.string) }

    /// Whether the node's tag is `tag`, without decoding it.
    public func hasTag(_ tag: StaticString) -> Bool {
        guard let key = tagKeyIndex else { return false }
        return document.keyEquals(key, tag)
    }

    /// The index of the single, capitalised key of a tagged object.
    private var tagKeyIndex: Int? {
        // One member: its key at index + 1, its value at index + 2, ending where the object ends.
        guard document.kind(index) == .object, index + 2 < document.next(index),
              document.next(index + 2) == document.next(index), document.isTagKey(index + 1) else { return nil }
        return index + 1
    }

    /// The object of fields, looking through the tag if the node has one: nil if not an object.
    public var fields: PgNode? { fieldsIndex.map { PgNode(document, $0) } }

    private var fieldsIndex: Int? {
        guard document.kind(index) == .object else { return nil }
        if let key = tagKeyIndex, document.kind(key + 1) == .object { return key + 1 }
        return index
    }

    /// The items of a list node (a JSON array, or `{"List": {"items": […]}}`).
    public var list: [PgNode] {
        if document.kind(index) == .array {
            var items: [PgNode] = []
            var child = index + 1
            while child < document.next(index) {
                items.append(PgNode(document, child))
                child = document.next(child)
            }
            return items
        }
        if hasTag("List"), let items = self["items"] { return items.list }
        return []
    }

    public var string: String? {
        if document.kind(index) == .string { return document.string(index) }
        // `{"String": {"sval": "x"}}`
        if let value = self["sval"], document.kind(value.index) == .string { return document.string(value.index) }
        return nil
    }

    public var int: Int? { document.int(index) }

    public var bool: Bool {
        switch document.kind(index) {
        case .true: true
        case .number: (document.int(index) ?? 0) != 0
        default: false
        }
    }

    /// The byte offset of the node in the statement's text, when the parser recorded one.
    public var location: Int? { self["location"]?.int }

    /// Every object and list below this one, depth first in document order, this one included.
    public func walk(_ visit: (PgNode) -> Void) {
        // The document lists values depth first already: the subtree is a run of entries.
        let end = document.next(index)
        var entry = index
        while entry < end {
            let kind = document.kind(entry)
            if kind == .object || kind == .array { visit(PgNode(document, entry)) }
            entry += 1
        }
    }

    /// The first location found in this node or below it.
    public var firstLocation: Int? {
        if let location { return location }
        var found: Int?
        walk { node in
            if found == nil, let l = node.location, l >= 0 { found = l }
        }
        return found
    }

    /// Dotted names such as `{"names": [{"String": {"sval": "pg_catalog"}}, …]}` joined with `.`.
    public static func dotted(_ names: PgNode?) -> String? {
        guard let names else { return nil }
        let parts = names.list.compactMap(\.string)
        return parts.isEmpty ? nil : parts.joined(separator: ".")
    }
}

/// `pg_query_parse` over one statement: the statement's node, or the parser's error.
enum PgParser {
    struct Failure: Error, Sendable {
        var message: String
        /// Byte offset in the parsed text (converted from PostgreSQL's character cursor).
        var offset: Int
    }

    /// The raw statement nodes of `sql` (usually one), each with the offset where it starts.
    static func parse(_ sql: String) throws(Failure) -> [(node: PgNode, location: Int)] {
        let outcome: (json: [UInt8], error: (String, Int)?) = {
            let result = pg_query_parse(sql)
            defer { pg_query_free_parse_result(result) }
            if let error = result.error {
                let message = error.pointee.message.map { String(cString: $0) } ?? "syntax error"
                return ([], (message, Int(error.pointee.cursorpos)))
            }
            guard let tree = result.parse_tree else { return ([], nil) }
            return (Array(UnsafeRawBufferPointer(start: tree, count: strlen(tree))), nil)
        }()
        if let (message, cursor) = outcome.error {
            throw Failure(message: message, offset: byteOffset(ofCharacter: cursor, in: sql))
        }
        guard let document = try? PgJSONDocument(outcome.json), document.kind(0) == .object else {
            throw Failure(message: "libpg_query returned a parse tree that cannot be read", offset: 0)
        }
        guard let stmts = document.member("stmts", of: 0), document.kind(stmts) == .array else { return [] }
        return PgNode(document, stmts).list.compactMap { item in
            guard let stmt = item["stmt"] else { return nil }
            return (stmt, item["stmt_location"]?.int ?? 0)
        }
    }

    /// PostgreSQL's error cursor counts characters from 1; we speak in UTF-8 byte offsets.
    static func byteOffset(ofCharacter cursor: Int, in sql: String) -> Int {
        guard cursor > 1 else { return 0 }
        var offset = 0
        var characters = 0
        for scalar in sql.unicodeScalars {
            if characters >= cursor - 1 { break }
            offset += String(scalar).utf8.count
            characters += 1
        }
        return offset
    }
}

extension PgNode {
    /// The text of a string value (not looking inside a `String` node).
    var stringValue: String? { document.kind(index) == .string ? document.string(index) : nil }

    /// An integer value written without fraction or exponent (what `as? Int` accepted of JSON).
    var exactInt: Int? {
        let entry = document.entries[index]
        guard entry.kind == .number else { return nil }
        return Int(String(decoding: document.bytes[Int(entry.start)..<Int(entry.end)], as: UTF8.self))
    }
}
