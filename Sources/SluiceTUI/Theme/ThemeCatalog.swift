import Foundation

/// Finds themes: the user's (`$XDG_CONFIG_HOME/sluice/themes/NAME.toml`) first, then the shipped ones.
public struct ThemeCatalog: Sendable {
    public static let defaultName = "dark"
    public var userDirectory: String?

    public init(environment env: [String: String]) {
        userDirectory = (ThemeCatalog.configDir(environment: env) as NSString).appendingPathComponent("themes")
    }

    public init(userDirectory: String?) { self.userDirectory = userDirectory }

    /// `$XDG_CONFIG_HOME/sluice`, else `~/.config/sluice`.
    public static func configDir(environment env: [String: String]) -> String {
        if let x = env["XDG_CONFIG_HOME"], !x.isEmpty { return (x as NSString).appendingPathComponent("sluice") }
        return ((env["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".config/sluice")
    }

    /// Names of every theme available.
    public var names: [String] {
        var names = Set(BuiltinThemes.sources.keys)
        if let dir = userDirectory, let files = try? FileManager.default.contentsOfDirectory(atPath: dir) {
            for f in files where f.hasSuffix(".toml") { names.insert(String(f.dropLast(5))) }
        }
        return names.sorted()
    }

    func source(_ name: String) throws(ThemeError) -> ThemeSource? {
        if let dir = userDirectory {
            let path = (dir as NSString).appendingPathComponent("\(name).toml")
            if let data = FileManager.default.contents(atPath: path) {
                return try ThemeSource.parse(String(decoding: data, as: UTF8.self), file: path, name: name)
            }
        }
        if let text = BuiltinThemes.sources[name] {
            return try ThemeSource.parse(text, file: "themes/\(name).toml", name: name)
        }
        return nil
    }

    /// Loads a theme by name; throws with file and line when it is broken.
    public func theme(named name: String) throws(ThemeError) -> Theme {
        guard let src = try source(name) else {
            throw ThemeError(file: name, line: nil, reason: "no theme named '\(name)' (available: \(names.joined(separator: ", ")))")
        }
        return try src.resolve { (n: String) throws(ThemeError) -> ThemeSource? in try self.source(n) }
    }

    /// The theme to use: `--theme`, else `SLUICE_THEME`, else dark. A broken theme gives the
    /// default and a warning to show.
    public func choose(flag: String?, environment env: [String: String]) -> (theme: Theme, warning: String?) {
        let name = flag ?? env["SLUICE_THEME"].flatMap { $0.isEmpty ? nil : $0 } ?? ThemeCatalog.defaultName
        do {
            return (try theme(named: name), nil)
        } catch {
            let fallback = (try? ThemeCatalog(userDirectory: nil).theme(named: ThemeCatalog.defaultName))
                ?? Theme(name: "plain", styles: Role.allCases.map { _ in Style() }, explicitRoles: [])
            return (fallback, "\(error.description); using the \(fallback.name) theme")
        }
    }
}
