import CPgQuery
import Foundation
import Synchronization

/// PostgreSQL's raw parse tree as libpg_query's parser leaves it in memory, read in place.
///
/// `pg_query_parse` prints the tree as JSON, which costs twice the parse itself; reading the
/// C structs directly costs next to nothing. The structs' layouts come from ``PgRawLayout``
/// (proved field by field against the JSON output by `PgRawLayoutTests`), and the numeric node
/// tags, which the proto does not give, are learnt from the library at run time: the first
/// time a tag is met, libpg_query prints that node as JSON once and the tag is named after it.
///
/// The tree lives in a libpg_query memory context that ``parse(_:_:)`` opens and frees around
/// its body: nothing read from it may outlive the body except copied values.
enum PgRawTree {
    /// Whether the loaded libpg_query is the version the layouts were proved against (a
    /// different one could lay its nodes out differently, so the parser path is then not taken).
    static let isAvailable: Bool = {
        let result = pg_query_parse("SELECT 1")
        defer { pg_query_free_parse_result(result) }
        guard let tree = result.parse_tree else { return false }
        // {"version":150001,"stmts":[…]}
        let prefix = "{\"version\":\(PgRawLayouts.libraryVersion),"
        return String(cString: tree).hasPrefix(prefix) && !PgRawLayouts.all.isEmpty
    }()

    /// PostgreSQL's complaint. Where it stands is not kept: a script that does not parse goes
    /// to the scanner path, which locates the problem itself.
    struct Failure: Error, Sendable {
        var message: String
    }

    /// One `RawStmt`: the statement node and where the parser says the statement lies.
    struct Statement {
        let node: UnsafeRawPointer
        /// Byte offset of the statement's start: 0 for the first, else just past the previous `;`.
        let location: Int
        /// Bytes up to (not including) the terminating `;`; 0 for a last statement without one.
        let length: Int
    }

    /// Parses the NUL-terminated `text` and hands its statements to `body`, inside the memory
    /// context that holds the tree.
    static func parse<T>(
        _ text: UnsafePointer<CChar>, _ body: (_ statements: [Statement], _ reader: inout Reader) -> T
    ) -> Result<T, Failure> {
        let context = pg_query_enter_memory_context()
        defer { pg_query_exit_memory_context(context) }
        let result = pg_query_raw_parse(text)
        if let buffer = result.stderr_buffer { free(buffer) }
        if let error = result.error {
            defer { pg_query_free_error(error) }
            return .failure(Failure(message: error.pointee.message.map { String(cString: $0) } ?? "syntax error"))
        }
        var statements: [Statement] = []
        if let tree = result.tree.map(UnsafeRawPointer.init) {
            Tags.learn(list: tree.load(as: Int32.self))
            Reader.forEachItem(ofList: tree) { item in
                guard let item else { return }
                if statements.isEmpty { Tags.learn(rawStmt: item.load(as: Int32.self)) }
                // RawStmt { NodeTag type; Node *stmt; int stmt_location; int stmt_len; }
                guard let node = item.load(fromByteOffset: 8, as: UnsafeRawPointer?.self) else { return }
                statements.append(Statement(
                    node: node, location: Int(item.load(fromByteOffset: 16, as: Int32.self)),
                    length: Int(item.load(fromByteOffset: 20, as: Int32.self))))
            }
        }
        var reader = Reader()
        return .success(body(statements, &reader))
    }

    /// Reads nodes of one tree: which layout a node has, its fields, its children. It keeps its
    /// own copy of the tag table, so walking takes no lock; a tag it has not seen is looked up
    /// (and if need be learnt) in the shared table.
    struct Reader {
        /// Layout index + 1 per tag; 0 when not yet looked up, -1 when there is no proved layout.
        private var cache = [Int16](repeating: 0, count: Tags.capacity)
        let listTag = Tags.listTag.load(ordering: .relaxed)
        /// The relation walk's stack, kept between statements.
        private var stack: [UnsafeRawPointer] = []

        mutating func takeStack() -> [UnsafeRawPointer] {
            var taken: [UnsafeRawPointer] = []
            swap(&taken, &stack)
            taken.removeAll(keepingCapacity: true)
            return taken
        }

        mutating func returnStack(_ used: [UnsafeRawPointer]) { stack = used }

        /// The index in ``PgRawLayouts/all`` of the node's layout, or nil if it has no proved one.
        mutating func layoutIndex(of node: UnsafeRawPointer) -> Int? {
            let tag = Int(node.load(as: Int32.self))
            guard tag > 0, tag < Tags.capacity else { return nil }
            var entry = cache[tag]
            if entry == 0 {
                entry = Int16(Tags.layoutIndex(forTag: tag, node: node).map { $0 + 1 } ?? -1)
                cache[tag] = entry
            }
            return entry > 0 ? Int(entry) - 1 : nil
        }

        /// Calls `body` with each item of a `List` (`{ NodeTag type; int length; int max_length;
        /// ListCell *elements; … }`, each cell one pointer wide).
        static func forEachItem(ofList node: UnsafeRawPointer, _ body: (UnsafeRawPointer?) -> Void) {
            let length = Int(node.load(fromByteOffset: 4, as: Int32.self))
            guard length > 0, let cells = node.load(fromByteOffset: 16, as: UnsafeRawPointer?.self) else { return }
            for index in 0..<length {
                body(cells.load(fromByteOffset: index * 8, as: UnsafeRawPointer?.self))
            }
        }
    }

    /// The shared table from numeric node tags to layouts, filled as tags are met.
    enum Tags {
        static let capacity = 1024
        private static let table = Mutex<[Int: Int?]>([:])
        static let listTag = Atomic<Int32>(0)
        static let rawStmtTag = Atomic<Int32>(0)
        private static let indexByName: [String: Int] = Dictionary(
            uniqueKeysWithValues: PgRawLayouts.all.enumerated().map { ($1.name, $0) })

        static func learn(list tag: Int32) { listTag.store(tag, ordering: .relaxed) }

        static func learn(rawStmt tag: Int32) { rawStmtTag.store(tag, ordering: .relaxed) }

        /// The layout index for `tag`, naming it after `node` (a node with that tag) if need be.
        static func layoutIndex(forTag tag: Int, node: UnsafeRawPointer) -> Int? {
            if let known = table.withLock({ $0[tag] }) { return known }
            let name = self.name(of: node)
            let index = name.flatMap { indexByName[$0] }.flatMap { PgRawLayouts.all[$0].proved ? $0 : nil }
            table.withLock { $0[tag] = index }
            return index
        }

        /// The node type's name, as libpg_query prints it: the node is wrapped in a one-item
        /// List of one RawStmt (all `pg_query_nodes_to_json` accepts) and printed.
        static func name(of node: UnsafeRawPointer) -> String? {
            let tags = (list: listTag.load(ordering: .relaxed), rawStmt: rawStmtTag.load(ordering: .relaxed))
            guard tags.list != 0, tags.rawStmt != 0 else { return nil }
            let rawStmt = UnsafeMutableRawPointer.allocate(byteCount: 24, alignment: 8)
            let cell = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
            let list = UnsafeMutableRawPointer.allocate(byteCount: 24, alignment: 8)
            defer { rawStmt.deallocate(); cell.deallocate(); list.deallocate() }
            rawStmt.initializeMemory(as: UInt8.self, repeating: 0, count: 24)
            rawStmt.storeBytes(of: tags.rawStmt, as: Int32.self)
            rawStmt.storeBytes(of: node, toByteOffset: 8, as: UnsafeRawPointer.self)
            cell.storeBytes(of: UnsafeRawPointer(rawStmt), as: UnsafeRawPointer.self)
            list.storeBytes(of: tags.list, as: Int32.self)
            list.storeBytes(of: Int32(1), toByteOffset: 4, as: Int32.self)
            list.storeBytes(of: Int32(1), toByteOffset: 8, as: Int32.self)
            list.storeBytes(of: UnsafeRawPointer(cell), toByteOffset: 16, as: UnsafeRawPointer.self)
            guard let json = pg_query_nodes_to_json(list) else { return nil }
            // {"version":150001,"stmts":[{"stmt":{"RangeVar":{…}}}]}
            let text = String(cString: json)
            guard let stmt = text.range(of: "\"stmt\":{\"") else { return nil }
            let rest = text[stmt.upperBound...]
            guard let close = rest.firstIndex(of: "\"") else { return nil }
            return String(rest[..<close])
        }
    }
}
