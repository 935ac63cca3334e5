import Foundation

/// Finds the line of a key in a TOML document, for messages about values that parsed but mean
/// nothing valid (TOMLKit reports lines only for syntax errors). Understands `[table]`,
/// `[[array.of.tables]]` and `key = value` lines; for anything else it falls back to the
/// table's header line. Header names are looked up without quotes or spaces: `[sql_review."qa"]`
/// is section `sql_review.qa`.
struct TOMLLineLocator {
    private var lines: [String: Int] = [:]

    init(_ text: String) {
        var section = ""
        var index = 0
        var counts: [String: Int] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("[["), let end = line.range(of: "]]") {
                section = Self.header(line[line.index(line.startIndex, offsetBy: 2)..<end.lowerBound])
                index = counts[section, default: 0]
                counts[section] = index + 1
                record(Self.key(section, index, nil), n + 1)
            } else if line.hasPrefix("["), let end = line.firstIndex(of: "]") {
                section = Self.header(line[line.index(after: line.startIndex)..<end])
                index = 0
                record(Self.key(section, 0, nil), n + 1)
            } else if let eq = line.firstIndex(of: "=") {
                let key = line[..<eq].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                record(Self.key(section, index, key), n + 1)
            }
        }
    }

    private static func header(_ name: Substring) -> String {
        String(name.filter { $0 != "\"" && $0 != "'" && !$0.isWhitespace })
    }

    private mutating func record(_ key: String, _ line: Int) {
        if lines[key] == nil { lines[key] = line }
    }

    private static func key(_ section: String, _ index: Int, _ key: String?) -> String {
        "\(section)#\(index)" + (key.map { ".\($0)" } ?? "")
    }

    /// The line of `key` in the `index`-th (0-based) `[[section]]` (or top-level with section ""),
    /// else the section's header line.
    func line(section: String, index: Int = 0, key: String? = nil) -> Int? {
        if let key, let l = lines[Self.key(section, index, key)] { return l }
        return lines[Self.key(section, index, nil)]
    }

    /// The first line of any table under `section` (`[sql_review.prod]` for `sql_review`), for a
    /// table that is only ever written through its sub-tables.
    func firstLine(under section: String) -> Int? {
        lines.filter { $0.key.hasPrefix(section + ".") }.values.min()
    }
}
