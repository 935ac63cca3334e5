import CLibPQ
import Foundation

/// A libpq conninfo string or URI, read by libpq itself (`PQconninfoParse`), with its password
/// split off so the rest can be stored and shown.
struct PostgresConnInfo {
    /// The parameters given, in libpq's order, the password left out.
    var parameters: [(key: String, value: String)]
    /// The password the string carried, if any.
    var password: String?

    init(_ text: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(text, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "invalid connection string"
            if let errorMessage { PQfreemem(errorMessage) }
            throw SluiceError.usage("the PostgreSQL connection string cannot be read: \(PostgresError.scrub(message))",
                                    hint: "Use key=value pairs (host=… port=… user=… dbname=…) or a postgresql:// URI.")
        }
        defer { PQconninfoFree(options) }
        var pairs: [(String, String)] = []
        var password: String?
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                let key = String(cString: keyword), v = String(cString: value)
                if key == "password" { password = v } else { pairs.append((key, v)) }
            }
            option += 1
        }
        parameters = pairs
        self.password = password
    }

    /// `key='value' …` without the password (libpq quoting: backslash and quote escaped).
    var withoutPassword: String {
        parameters.map { key, value in
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
            return "\(key)='\(escaped)'"
        }.joined(separator: " ")
    }

    /// The same, for the database `name` (what `db list` shows as a PostgreSQL database's location).
    func location(database name: String) -> String {
        var copy = self
        copy.parameters.removeAll { $0.key == "dbname" }
        copy.parameters.append((key: "dbname", value: name))
        return copy.withoutPassword
    }
}
