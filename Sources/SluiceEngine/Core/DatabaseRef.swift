import Foundation

/// A target named as `INSTANCE/DB`.
public struct DatabaseRef: Hashable, Sendable, Codable, CustomStringConvertible {
    public var instance: String
    public var name: String

    public init(instance: String, name: String) {
        self.instance = instance
        self.name = name
    }

    /// Parses `INSTANCE/DB`, or Bytebase's `instances/I/databases/D`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty {
            self.init(instance: parts[0], name: parts[1])
        } else if parts.count == 4, parts[0] == "instances", parts[2] == "databases", !parts[1].isEmpty, !parts[3].isEmpty {
            self.init(instance: parts[1], name: parts[3])
        } else {
            throw SluiceError.usage("'\(text)' is not a database name",
                                    hint: "Name databases as INSTANCE/DB, e.g. sqlite-test/app (see `sluice db list`).")
        }
    }

    public var description: String { "\(instance)/\(name)" }
}
