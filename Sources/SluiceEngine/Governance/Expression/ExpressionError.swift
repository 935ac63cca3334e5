import Foundation

/// A syntax or type error in a condition, with where it is: reported when a rule is saved.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        case syntax = "SYNTAX"
        case type = "TYPE"
        /// Nested deeper than ``ExpressionLimits/maxDepth`` or longer than ``ExpressionLimits/maxLength``.
        case tooComplex = "TOO_COMPLEX"
    }

    public var kind: Kind
    public var message: String
    /// 0-based offset in characters into `source`.
    public var offset: Int
    /// The whole condition text.
    public var source: String

    public init(_ kind: Kind, _ message: String, at offset: Int, in source: String) {
        self.kind = kind
        self.message = message
        self.offset = offset
        self.source = source
    }

    /// 1-based line and column (in characters) of `offset`.
    public var position: (line: Int, column: Int) {
        var line = 1, column = 1
        for (i, c) in source.enumerated() {
            if i >= offset { break }
            if c == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    public var line: Int { position.line }
    public var column: Int { position.column }

    /// "column 12: …", or "line 2, column 3: …" for a condition written over several lines.
    public var description: String {
        let p = position
        let at = source.contains("\n") ? "line \(p.line), column \(p.column)" : "column \(p.column)"
        return "\(at): \(message)"
    }

    /// The offending source line and a caret under the error, each indented by `indent`.
    public func caretSnippet(indent: String = "  ") -> String {
        let p = position
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let text = p.line - 1 < lines.count ? String(lines[p.line - 1]) : ""
        // Tabs stay tabs so the caret lines up in a terminal.
        let pad = String(text.prefix(p.column - 1).map { $0 == "\t" ? "\t" : " " })
        return "\(indent)\(text)\n\(indent)\(pad)^"
    }
}

/// Bounds that keep a hostile or runaway condition from exhausting the stack or the CPU.
public enum ExpressionLimits {
    /// Nesting levels of parentheses, lists, method calls and `!`.
    public static let maxDepth = 32
    /// Characters in one condition.
    public static let maxLength = 4096
}
