/// A run of text with one role; a line is a list of spans.
public struct Span: Equatable, Sendable {
    public var text: String
    public var role: Role
    public init(_ text: String, _ role: Role = .text) { self.text = text; self.role = role }
}

extension Frame {
    /// Writes spans one after another from (x, y), clipped to `maxWidth`; returns the column after them.
    @discardableResult
    public mutating func put(_ spans: [Span], x: Int, y: Int, maxWidth: Int) -> Int {
        var cx = x
        let limit = x + maxWidth
        for span in spans {
            guard cx < limit else { break }
            cx = put(span.text, x: cx, y: y, role: span.role, maxWidth: limit - cx)
        }
        return cx
    }
}
