import Foundation

/// A resolved theme: a style for every role.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var styles: [Style]
    /// Roles the file (or what it inherits) set itself, not by parent fallback.
    public var explicitRoles: Set<String>

    public func style(_ role: Role) -> Style { styles[Int(role.rawValue)] }

    /// Every role degraded to a colour depth (what the driver installs).
    public func styles(for depth: ColorDepth) -> [Style] { styles.map { $0.degraded(to: depth) } }

    /// Roles every shipped theme must define itself (sub-roles may fall back to their parents).
    public static let requiredRoles: [Role] = Role.allCases.filter { role in
        ![Role.selectionUnfocused, .titleFocused, .tooSmall].contains(role)
    }

    /// The parent of a dotted role name: `status.failed.badge` → `status.failed`.
    static func parent(of name: String) -> String? {
        guard let dot = name.lastIndex(of: ".") else { return nil }
        return String(name[..<dot])
    }
}
