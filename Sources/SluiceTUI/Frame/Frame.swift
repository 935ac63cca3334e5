/// What the screen should show: a grid of cells, each one Unicode scalar with a style role.
/// The renderer produces frames; the driver flushes the cells that differ from the last frame.
public struct Frame: Equatable, Sendable {
    public let width: Int
    public let height: Int
    /// One scalar per cell; `Frame.continuation` marks the right half of a wide character.
    public var scalars: [UInt32]
    public var roles: [Role]

    public static let continuation: UInt32 = 0

    public init(width: Int, height: Int, role: Role = .text) {
        self.width = max(0, width)
        self.height = max(0, height)
        scalars = Array(repeating: 0x20, count: self.width * self.height)
        roles = Array(repeating: role, count: self.width * self.height)
    }

    @inline(__always) public func index(_ x: Int, _ y: Int) -> Int { y * width + x }

    public func role(at x: Int, _ y: Int) -> Role { roles[index(x, y)] }

    /// Writes text from (x, y), clipped to `maxWidth` cells and to the frame; returns the column after it.
    /// Text that does not fit is cut by `DisplayWidth.truncate`, so it ends with `…`; a wide character
    /// is never cut in half. Control and format characters are written out visibly (`TerminalSafe`):
    /// text from users never reaches the terminal as a control sequence.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return x }
        let limit = min(width, x + (maxWidth ?? width))
        var cx = x
        let text = TerminalSafe.text(text)
        for s in text.unicodeScalars {
            let w = DisplayWidth.of(s)
            if w == 0 { continue }
            if cx + w > limit {
                // Cut: write it again as the one truncation, ellipsis included.
                if x >= 0, limit > x { return put(DisplayWidth.truncate(text, to: limit - x), x: x, y: y, role: role, maxWidth: limit - x) }
                break
            }
            if cx >= 0 {
                set(cx, y, s.value, role)
                if w == 2 { set(cx + 1, y, Frame.continuation, role) }
            }
            cx += w
        }
        return cx
    }

    @inline(__always)
    mutating func set(_ x: Int, _ y: Int, _ scalar: UInt32, _ role: Role) {
        let i = y * width + x
        // Overwriting half of an earlier wide character blanks its other half.
        if scalars[i] == Frame.continuation, x > 0 { scalars[i - 1] = 0x20 }
        if x + 1 < width, scalars[i + 1] == Frame.continuation, i + 1 < scalars.count, scalar != Frame.continuation {
            scalars[i + 1] = 0x20
        }
        scalars[i] = scalar
        roles[i] = role
    }

    /// Fills a rectangle with one character and role.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, char: Unicode.Scalar = " ", role: Role) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 {
            let base = yy * width
            for xx in x0..<x1 { scalars[base + xx] = char.value; roles[base + xx] = role }
        }
    }

    /// Sets the role of a rectangle, keeping its text (selection highlight).
    public mutating func restyle(x: Int, y: Int, width w: Int, height h: Int = 1, role: Role) {
        let x0 = max(0, x), y0 = max(0, y), x1 = min(width, x + w), y1 = min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 { for xx in x0..<x1 { roles[yy * width + xx] = role } }
    }

    /// The text of one row (wide characters once), trailing spaces kept.
    public func rowText(_ y: Int) -> String {
        var out = String.UnicodeScalarView()
        for x in 0..<width {
            let v = scalars[index(x, y)]
            if v == Frame.continuation { continue }
            out.append(Unicode.Scalar(v) ?? " ")
        }
        return String(out)
    }

    /// The whole frame as text, one line per row, trailing spaces trimmed.
    public var text: String {
        (0..<height).map { y in
            var line = rowText(y)
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
