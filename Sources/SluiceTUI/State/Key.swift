/// A key press, as the driver decodes it.
public enum Key: Hashable, Sendable {
    case char(Character)
    case ctrl(Character)
    case enter, esc, tab, backTab, backspace, delete
    case up, down, left, right, pageUp, pageDown, home, end
    case function(Int)

    /// The name used in keymap files and docs (`j`, `ctrl-c`, `shift-tab`, `pgdn`…).
    public var name: String {
        switch self {
        case .char(" "): "space"
        case .char(let c): String(c)
        case .ctrl(let c): "ctrl-\(c)"
        case .enter: "enter"
        case .esc: "esc"
        case .tab: "tab"
        case .backTab: "shift-tab"
        case .backspace: "backspace"
        case .delete: "delete"
        case .up: "up"
        case .down: "down"
        case .left: "left"
        case .right: "right"
        case .pageUp: "pgup"
        case .pageDown: "pgdn"
        case .home: "home"
        case .end: "end"
        case .function(let n): "f\(n)"
        }
    }

    /// Parses a key name; nil when it names no key.
    public init?(name: String) {
        let named: [String: Key] = [
            "space": .char(" "), "enter": .enter, "return": .enter, "esc": .esc, "escape": .esc, "tab": .tab,
            "shift-tab": .backTab, "backtab": .backTab, "backspace": .backspace, "delete": .delete, "del": .delete,
            "up": .up, "down": .down, "left": .left, "right": .right, "pgup": .pageUp, "pageup": .pageUp,
            "pgdn": .pageDown, "pagedown": .pageDown, "home": .home, "end": .end,
        ]
        if let k = named[name.lowercased()] { self = k; return }
        if name.count == 1, let c = name.first { self = .char(c); return }
        if name.lowercased().hasPrefix("ctrl-"), name.count == 6, let c = name.last { self = .ctrl(Character(c.lowercased())); return }
        if name.lowercased().hasPrefix("f"), let n = Int(name.dropFirst()), (1...24).contains(n) { self = .function(n); return }
        return nil
    }
}

/// A mouse event in frame coordinates.
public struct MouseEvent: Equatable, Sendable {
    public enum Kind: Sendable { case click, wheelUp, wheelDown }
    public var kind: Kind
    public var x: Int
    public var y: Int
    public init(kind: Kind, x: Int, y: Int) { self.kind = kind; self.x = x; self.y = y }
}
