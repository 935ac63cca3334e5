extension PgRawTree.Reader {
    /// Every relation (`RangeVar`) in the tree under `node` and the names of its CTEs, as the
    /// JSON classifier collects them; nil when some node in the tree has no proved layout, in
    /// which case nothing else may be read from this tree either.
    mutating func relations(of node: UnsafeRawPointer) -> (relations: [PgRelation], ctes: Set<String>)? {
        let shape = PgRawShape.shared
        var relations: [PgRelation] = []
        var ctes = Set<String>()
        var stack: [UnsafeRawPointer] = [node]
        while let current = stack.popLast() {
            if isList(current) {
                Self.forEachItem(ofList: current) { item in
                    if let item { stack.append(item) }
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
            let range = shape.children[layout]
            for index in range {
                let entry = shape.childEntries[index]
                if let child = current.load(fromByteOffset: Int(entry >> 1), as: UnsafeRawPointer?.self) {
                    stack.append(child)
                }
            }
        }
        return (relations, ctes)
    }
}

/// The few facts the relation walk needs from the layouts, in flat arrays.
struct PgRawShape: Sendable {
    static let shared = PgRawShape()

    let rangeVar: Int
    let schemaname: Int
    let relname: Int
    let rangeVarLocation: Int
    let commonTableExpr: Int
    let ctename: Int
    /// Per layout, its range in `childEntries`.
    let children: [Range<Int>]
    /// Offsets of child pointers (node or list fields), shifted left by one.
    let childEntries: [Int32]

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
        var children: [Range<Int>] = []
        var entries: [Int32] = []
        for layout in all {
            let start = entries.count
            entries += layout.children.map { Int32($0.offset) << 1 | ($0.isList ? 1 : 0) }
            // An embedded struct's children lie where they lie in that struct.
            for field in layout.fields where field.kind == .embedded {
                let inner = all.first { $0.name == field.typeName }?.children ?? []
                entries += inner.map { Int32(field.offset + $0.offset) << 1 | ($0.isList ? 1 : 0) }
            }
            children.append(start..<entries.count)
        }
        self.children = children
        childEntries = entries
    }
}
