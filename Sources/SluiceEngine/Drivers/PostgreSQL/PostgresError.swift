import Foundation

/// An error reported by libpq or the server, already scrubbed of any password.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// The server's primary message (or libpq's, for client-side failures), one line.
    public var message: String
    /// SQLSTATE, when the server sent one (`57014` canceled, `57P01` terminated, …).
    public var sqlState: String?
    /// 1-based character position of the error in the statement sent, when the server knows it.
    public var position: Int?
    public var detail: String?
    public var hint: String?
    /// The connection is unusable afterwards (lost, terminated, never made).
    public var connectionLost: Bool

    public var description: String {
        var s = message
        if let detail, !detail.isEmpty { s += " (\(detail))" }
        return s
    }

    /// SQLSTATE 57014: canceled by `PQcancel` or `statement_timeout`.
    var isQueryCanceled: Bool { sqlState == "57014" }

    init(message: String, sqlState: String? = nil, position: Int? = nil, detail: String? = nil, hint: String? = nil,
         connectionLost: Bool = false, secrets: [String] = []) {
        self.message = PostgresError.scrub(message, secrets: secrets)
        self.sqlState = sqlState
        self.position = position
        self.detail = detail.map { PostgresError.scrub($0, secrets: secrets) }
        self.hint = hint
        self.connectionLost = connectionLost
    }

    /// Removes passwords from a libpq or server message: every known secret, `password=…` pairs
    /// and the `user:password@` part of URIs. libpq seldom echoes them, but a malformed conninfo can.
    static func scrub(_ text: String, secrets: [String] = []) -> String {
        var s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        for secret in secrets where !secret.isEmpty { s = s.replacingOccurrences(of: secret, with: "***") }
        let patterns = [#"(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)"#, #"(?i)(postgres(?:ql)?://[^:/@\s]*:)[^@\s]*(@)"#]
        for p in patterns {
            guard let re = try? NSRegularExpression(pattern: p) else { continue }
            let template = p.contains("(@)") ? "$1***$2" : "$1***"
            s = re.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
        }
        // libpq prefixes severities and ends lines with newlines; keep one readable line.
        return s.split(whereSeparator: \.isNewline).map { line in
            var l = line.trimmingCharacters(in: .whitespaces)
            for prefix in ["ERROR:  ", "FATAL:  ", "PANIC:  "] where l.hasPrefix(prefix) { l.removeFirst(prefix.count) }
            return l.hasSuffix(".") || l.hasSuffix(":") ? l : l + ";"
        }.joined(separator: " ").trimmingCharacters(in: CharacterSet(charactersIn: ";"))
    }
}
