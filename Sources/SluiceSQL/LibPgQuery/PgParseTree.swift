import CPgQuery
import Foundation

/// One node of PostgreSQL's raw parse tree, as libpg_query's `pg_query_parse` prints it in JSON.
///
/// A node is either a tagged object (`{"CreateStmt": {…}}`), a plain object of fields, a list, or
/// a scalar. The accessors return nil rather than trap on the wrong shape, so rules can ask
/// freely: `node["relation"]?["relname"]?.string`.
public struct PgNode: @unchecked Sendable {
    /// The value decoded by `JSONSerialization`: dictionaries, arrays, strings and numbers only.
    let raw: Any

    init(_ raw: Any) { self.raw = raw }

    /// A field of an object node, seen through a tag: `{"ColumnDef": {"colname": …}}["colname"]`.
    public subscript(_ key: String) -> PgNode? {
        guard let object = fields, let value = object[key] else { return nil }
        return PgNode(value)
    }

    /// The node's tag (`"CreateStmt"`), when it is a single-key object whose key is capitalised.
    public var tag: String? {
        guard let object = raw as? [String: Any], object.count == 1, let key = object.keys.first,
              key.first?.isUppercase == true else { return nil }
        return key
    }

    /// The fields of an object node, looking through its tag if it has one.
    public var fields: [String: Any]? {
        guard let object = raw as? [String: Any] else { return nil }
        if object.count == 1, let key = object.keys.first, key.first?.isUppercase == true,
           let inner = object[key] as? [String: Any] {
            return inner
        }
        return object
    }

    /// The items of a list node (a JSON array, or `{"List": {"items": […]}}`).
    public var list: [PgNode] {
        if let array = raw as? [Any] { return array.map(PgNode.init) }
        if tag == "List", let items = self["items"] { return items.list }
        return []
    }

    public var string: String? {
        if let s = raw as? String { return s }
        // `{"String": {"sval": "x"}}`
        if let s = self["sval"]?.raw as? String { return s }
        return nil
    }

    public var int: Int? {
        if let n = raw as? Int { return n }
        if let n = raw as? NSNumber { return n.intValue }
        return nil
    }

    public var bool: Bool { (raw as? Bool) ?? ((raw as? NSNumber)?.boolValue ?? false) }

    /// The byte offset of the node in the statement's text, when the parser recorded one.
    public var location: Int? { self["location"]?.int }

    /// Every node below this one, depth first, this one included.
    public func walk(_ visit: (PgNode) -> Void) {
        visit(self)
        if let array = raw as? [Any] {
            for item in array { PgNode(item).walk(visit) }
        } else if let object = raw as? [String: Any] {
            for value in object.values where value is [String: Any] || value is [Any] {
                PgNode(value).walk(visit)
            }
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
        let outcome: (json: String?, error: (String, Int)?) = PgQueryLock.withLock {
            let result = pg_query_parse(sql)
            defer { pg_query_free_parse_result(result) }
            if let error = result.error {
                let message = error.pointee.message.map { String(cString: $0) } ?? "syntax error"
                return (nil, (message, Int(error.pointee.cursorpos)))
            }
            return (result.parse_tree.map { String(cString: $0) }, nil)
        }
        if let (message, cursor) = outcome.error {
            throw Failure(message: message, offset: byteOffset(ofCharacter: cursor, in: sql))
        }
        guard let json = outcome.json,
              let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw Failure(message: "libpg_query returned a parse tree that cannot be read", offset: 0)
        }
        let statements = (object["stmts"] as? [Any]) ?? []
        return statements.compactMap { item in
            guard let raw = item as? [String: Any], let stmt = raw["stmt"] else { return nil }
            return (PgNode(stmt), (raw["stmt_location"] as? Int) ?? 0)
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
