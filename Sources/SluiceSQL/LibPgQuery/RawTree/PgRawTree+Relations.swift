extension PgRawTree.Reader {
    /// Every relation (`RangeVar`) in the tree under `node` and the names of its CTEs, as the
    /// JSON classifier collects them; nil when some node in the tree has no proved layout, in
    /// which case nothing else may be read from this tree either.
    ///
    /// This visits every node of every statement, so it works on flat tables and a reused stack.
    mutating func relations(of node: UnsafeRawPointer) -> (relations: [PgRelation], ctes: Set<String>)? {
        let shape = PgRawShape.shared
        var relations: [PgRelation] = []
        var ctes = Set<String>()
        var stack = takeStack()
        defer { returnStack(stack) }
        stack.append(node)
        while let current = stack.popLast() {
            let tag = current.load(as: Int32.self)
            if tag == listTag {
                // List { NodeTag type; int length; int max_length; ListCell *elements; … }
                let length = Int(current.load(fromByteOffset: 4, as: Int32.self))
                if length > 0, let cells = current.load(fromByteOffset: 16, as: UnsafeRawPointer?.self) {
                    for index in 0..<length {
                        if let item = cells.load(fromByteOffset: index &* 8, as: UnsafeRawPointer?.self) { stack.append(item) }
                    }
                }
                continue
            }
            guard let layout = layoutIndex(of: current) else { return nil }
            if layout == shape.rangeVar {
                guard let name = current.load(fromByteOffset: shape.relname, as: UnsafePointer<CChar>?.self) else { continue }
                let location = Int(current.load(fromByteOffset: shape.rangeVarLocation, as: Int32.self))
                relations.append(PgRelation(
                    location: location == 0 ? Int.max : location,  // JSON leaves out a zero, and the JSON path reads that as "none"
                    schema: current.load(fromByteOffset: shape.schemaname, as: UnsafePointer<CChar>?.self).map { String(cString: $0) },
                    name: String(cString: name)))
                // A RangeVar's only child is its Alias, which names no relation.
                continue
            }
            if layout == shape.commonTableExpr, let name = current.load(fromByteOffset: shape.ctename, as: UnsafePointer<CChar>?.self) {
                ctes.insert(String(cString: name))
            }
            let first = Int(shape.childStart[layout])
            let last = Int(shape.childStart[layout + 1])
            var entry = first
            while entry < last {
                if let child = current.load(fromByteOffset: Int(shape.childOffsets[entry]), as: UnsafeRawPointer?.self) {
                    stack.append(child)
                }
                entry &+= 1
            }
        }
        return (relations, ctes)
    }
}

/// The few facts the relation walk needs from the layouts, in flat tables that live as long as
/// the process.
/// Unchecked: the tables are written once, in `init`, and only read after.
final class PgRawShape: @unchecked Sendable {
    static let shared = PgRawShape()

    let rangeVar: Int
    let schemaname: Int
    let relname: Int
    let rangeVarLocation: Int
    let commonTableExpr: Int
    let ctename: Int
    /// Per layout, its node type's name and its fields by name (for ``PgRawValue``).
    let names: [String]
    let fieldsByName: [[String: PgRawLayout.Field]]
    /// Per layout, where its child offsets start in `childOffsets` (one extra entry at the end).
    let childStart: UnsafeBufferPointer<Int32>
    /// Offsets of child pointers (node or list fields), layout after layout.
    let childOffsets: UnsafeBufferPointer<Int32>

    private init() {
        let all = PgRawLayouts.all
        func index(_ name: String) -> Int { all.firstIndex { $0.name == name } ?? -1 }
        func offset(_ layout: Int, _ field: String) -> Int { layout >= 0 ? all[layout].field(field)?.offset ?? 0 : 0 }
        rangeVar = index("RangeVar")
        schemaname = offset(rangeVar, "schemaname")
        relname = offset(rangeVar, "relname")
        rangeVarLocation = offset(rangeVar, "location")
        commonTableExpr = index("CommonTableExpr")
        ctename = offset(commonTableExpr, "ctename")
        names = all.map(\.name)
        fieldsByName = all.map { layout in Dictionary(layout.fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }) }
        var starts: [Int32] = []
        var offsets: [Int32] = []
        for layout in all {
            starts.append(Int32(offsets.count))
            offsets += layout.childOffsets.map { Int32($0) }
            // An embedded struct's children lie where they lie in that struct.
            for field in layout.fields where field.kind == .embedded {
                let inner = all.first { $0.name == field.typeName }?.childOffsets ?? []
                offsets += inner.map { Int32(field.offset + $0) }
            }
        }
        starts.append(Int32(offsets.count))
        func permanent(_ values: [Int32]) -> UnsafeBufferPointer<Int32> {
            let buffer = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(values.count, 1))
            _ = buffer.initialize(from: values)
            return UnsafeBufferPointer(buffer)
        }
        childStart = permanent(starts)
        childOffsets = permanent(offsets)
    }
}
