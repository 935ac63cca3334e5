import Foundation

/// An error a person sees: what went wrong, what to do next, and the exit code class it maps to.
public struct SluiceError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The class of an error; each maps to one CLI exit code (see CLI.md).
    public enum Kind: String, Sendable, Codable {
        case failure = "FAILURE"               // exit 1
        case usage = "USAGE"                   // exit 2
        case permissionDenied = "PERMISSION_DENIED" // exit 3
        case notFound = "NOT_FOUND"            // exit 4
        case precondition = "PRECONDITION"     // exit 5
    }

    public var kind: Kind
    public var message: String
    /// What the person can do about it, if anything.
    public var hint: String?
    /// For `permissionDenied`: the missing permission.
    public var permission: String?

    public init(_ kind: Kind, _ message: String, hint: String? = nil, permission: String? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.permission = permission
    }

    public var exitCode: Int32 {
        switch kind {
        case .failure: 1
        case .usage: 2
        case .permissionDenied: 3
        case .notFound: 4
        case .precondition: 5
        }
    }

    public var description: String {
        if let hint { return "\(message)\n\(hint)" }
        return message
    }

    public static func notFound(_ what: String, hint: String? = nil) -> SluiceError {
        SluiceError(.notFound, what, hint: hint)
    }
    public static func usage(_ what: String, hint: String? = nil) -> SluiceError {
        SluiceError(.usage, what, hint: hint)
    }
    public static func precondition(_ what: String, hint: String? = nil) -> SluiceError {
        SluiceError(.precondition, what, hint: hint)
    }
    public static func failure(_ what: String, hint: String? = nil) -> SluiceError {
        SluiceError(.failure, what, hint: hint)
    }
    public static func denied(_ permission: Permission, _ what: String) -> SluiceError {
        SluiceError(.permissionDenied, "permission denied: \(what) needs \(permission.rawValue)",
                    hint: "Ask a workspace admin to grant a role with \(permission.rawValue).",
                    permission: permission.rawValue)
    }
}
