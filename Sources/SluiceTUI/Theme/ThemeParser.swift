import Foundation
import TOMLKit

/// A theme file before inheritance and palette references are resolved.
struct ThemeSource: Sendable {
    struct RoleSpec: Sendable {
        var fg: String?
        var bg: String?
        var modifiers: [String] = []
        var line: Int?
    }
    var name: String
    var inherits: String?
    var palette: [String: String] = [:]
    var roles: [String: RoleSpec] = [:]
    var file: String
    var text: String

    /// The 1-based line where a key is written (quoted or bare), for error messages.
    static func line(of key: String, in text: String) -> Int? {
        var n = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            n += 1
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("\"\(key)\"") || t.hasPrefix("'\(key)'") || t.hasPrefix("\(key) ") || t.hasPrefix("\(key)=") { return n }
        }
        return nil
    }

    /// Parses the TOML; syntax errors carry the line toml++ reports.
    static func parse(_ text: String, file: String, name: String) throws(ThemeError) -> ThemeSource {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let e as TOMLParseError {
            throw ThemeError(file: file, line: e.source.begin.line, reason: e.description)
        } catch { throw ThemeError(file: file, line: nil, reason: "\(error)") }
        var source = ThemeSource(name: table["name"]?.string ?? name, inherits: table["inherits"]?.string, file: file, text: text)
        if let palette = table["palette"] {
            guard let p = palette.table else { throw ThemeError(file: file, line: line(of: "palette", in: text), reason: "palette must be a table") }
            for key in p.keys {
                guard let v = p[key]?.string else {
                    throw ThemeError(file: file, line: line(of: key, in: text), reason: "palette colour \(key) must be a string")
                }
                source.palette[key] = v
            }
        }
        for key in table.keys where !["name", "inherits", "palette"].contains(key) {
            let at = line(of: key, in: text)
            guard let value = table[key] else { continue }
            if let s = value.string {
                source.roles[key] = RoleSpec(fg: s, line: at)
            } else if let t = value.table {
                // A dotted key written bare (`status.failed = …`) arrives as nested tables.
                if t["fg"] == nil && t["bg"] == nil && t["modifiers"] == nil && !t.isEmpty {
                    throw ThemeError(file: file, line: at, reason: "role '\(key)' must be quoted (\"\(key).…\" = { fg = … })")
                }
                var spec = RoleSpec(fg: t["fg"]?.string, bg: t["bg"]?.string, line: at)
                if let m = t["modifiers"] {
                    guard let a = m.array else { throw ThemeError(file: file, line: at, reason: "modifiers of \(key) must be a list") }
                    spec.modifiers = a.compactMap { $0.string }
                }
                source.roles[key] = spec
            } else {
                throw ThemeError(file: file, line: at, reason: "role '\(key)' must be a colour or a table { fg, bg, modifiers }")
            }
        }
        return source
    }
}

/// A theme that cannot be used, with its file and line.
public struct ThemeError: Error, Equatable, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int?
    public var reason: String
    public var description: String { "theme \(file)\(line.map { ":\($0)" } ?? ""): \(reason)" }
}

extension ThemeSource {
    /// A role of `Role`, a group of them (`status`), or a sub-role of one (`status.failed.badge`).
    static func isKnownRole(_ key: String) -> Bool {
        if Role.byName.keys.contains(where: { $0 == key || $0.hasPrefix(key + ".") }) { return true }
        var name: String? = Theme.parent(of: key)
        while let n = name {
            if Role.byName[n] != nil { return true }
            name = Theme.parent(of: n)
        }
        return false
    }

    /// Merges this source over what it inherits, then resolves palette names, modifiers and parent fallback.
    func resolve(lookup: (String) throws(ThemeError) -> ThemeSource?, depth: Int = 0) throws(ThemeError) -> Theme {
        var palette: [String: String] = [:]
        var roles: [String: RoleSpec] = [:]
        var chain: [ThemeSource] = [self]
        var current = self
        while let parentName = current.inherits {
            guard chain.count < 8 else { throw ThemeError(file: file, line: ThemeSource.line(of: "inherits", in: text), reason: "inheritance is too deep or circular") }
            guard let parent = try lookup(parentName) else {
                throw ThemeError(file: current.file, line: ThemeSource.line(of: "inherits", in: current.text), reason: "inherits unknown theme '\(parentName)'")
            }
            chain.append(parent)
            current = parent
        }
        for source in chain.reversed() {
            palette.merge(source.palette) { _, new in new }
            roles.merge(source.roles) { _, new in new }
        }
        var explicit: [String: Style] = [:]
        for (key, spec) in roles {
            guard ThemeSource.isKnownRole(key) else {
                throw ThemeError(file: file, line: spec.line, reason: "unknown role '\(key)'")
            }
            func color(_ text: String?) throws(ThemeError) -> ThemeColor {
                guard let text else { return .terminal }
                let resolved = palette[text] ?? text
                guard let c = ThemeColor.parse(resolved) else {
                    throw ThemeError(file: file, line: spec.line, reason: "'\(text)' is not a colour (use #rrggbb, an ANSI name or a palette name)")
                }
                return c
            }
            var style = Style(fg: try color(spec.fg), bg: try color(spec.bg))
            for m in spec.modifiers {
                switch m.lowercased() {
                case "bold": style.bold = true
                case "dim": style.dim = true
                case "italic": style.italic = true
                case "underline", "underlined": style.underline = true
                case "reverse", "reversed": style.reverse = true
                default: throw ThemeError(file: file, line: spec.line, reason: "unknown modifier '\(m)'")
                }
            }
            explicit[key] = style
        }
        let styles = Role.allCases.map { role -> Style in
            var name: String? = role.name
            while let n = name {
                if let s = explicit[n] { return s }
                name = Theme.parent(of: n)
            }
            return explicit["ui.text"] ?? Style()
        }
        return Theme(name: name, styles: styles, explicitRoles: Set(explicit.keys))
    }
}
