/// The SQL dialect a script is written in, which decides how it is split and understood.
public enum SQLDialect: String, Sendable, Codable, CaseIterable {
    case sqlite
    case postgres
}
