import Foundation

/// A parsed condition: a tree of nodes, each remembering where it was written.
struct Expr: Equatable, Sendable {
    enum Comparison: String, Sendable {
        case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    }

    indirect enum Node: Equatable, Sendable {
        case int(Int64)
        case string(String)
        case bool(Bool)
        case variable(String)
        case list([Expr])
        case not(Expr)
        /// `&&` and `||` chains are kept flat so a long chain is never a deep tree.
        case and([Expr])
        case or([Expr])
        case compare(Comparison, Expr, Expr)
        case inList(Expr, Expr)
        case method(receiver: Expr, name: String, arguments: [Expr])
    }

    var node: Node
    /// 0-based character offset of the token that names this node (its operator, literal or name).
    var offset: Int
    /// The source text of this node, for messages ("environment_id", "\"prod\"", "(a || b)").
    var text: String
}
