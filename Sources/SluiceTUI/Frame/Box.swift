/// Rectangles and boxes drawn into a frame.
public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    /// The inside of a bordered box.
    public var inner: Rect { Rect(x: x + 1, y: y + 1, width: width - 2, height: height - 2) }
    public func contains(_ px: Int, _ py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
}

/// Box-drawing characters, with an ASCII fallback for terminals without Unicode.
public struct BoxGlyphs: Sendable, Equatable {
    public var h: Unicode.Scalar, v: Unicode.Scalar, tl: Unicode.Scalar, tr: Unicode.Scalar, bl: Unicode.Scalar, br: Unicode.Scalar
    public static let unicode = BoxGlyphs(h: "─", v: "│", tl: "┌", tr: "┐", bl: "└", br: "┘")
    public static let ascii = BoxGlyphs(h: "-", v: "|", tl: "+", tr: "+", bl: "+", br: "+")
}

extension Frame {
    /// Draws a bordered box with a title in its top edge and an optional right-aligned note.
    public mutating func box(_ r: Rect, title: String, note: String = "", focused: Bool, glyphs: BoxGlyphs) {
        guard r.width >= 2, r.height >= 2 else { return }
        let border: Role = focused ? .borderFocused : .border
        fill(x: r.x + 1, y: r.y, width: r.width - 2, height: 1, char: glyphs.h, role: border)
        fill(x: r.x + 1, y: r.maxY - 1, width: r.width - 2, height: 1, char: glyphs.h, role: border)
        fill(x: r.x, y: r.y + 1, width: 1, height: r.height - 2, char: glyphs.v, role: border)
        fill(x: r.maxX - 1, y: r.y + 1, width: 1, height: r.height - 2, char: glyphs.v, role: border)
        fill(x: r.x, y: r.y, width: 1, height: 1, char: glyphs.tl, role: border)
        fill(x: r.maxX - 1, y: r.y, width: 1, height: 1, char: glyphs.tr, role: border)
        fill(x: r.x, y: r.maxY - 1, width: 1, height: 1, char: glyphs.bl, role: border)
        fill(x: r.maxX - 1, y: r.maxY - 1, width: 1, height: 1, char: glyphs.br, role: border)
        let room = r.width - 2
        var noteText = note.isEmpty ? "" : " \(note) "
        if DisplayWidth.of(noteText) > room / 2 { noteText = "" }
        let titleRoom = room - DisplayWidth.of(noteText) - 1
        if !title.isEmpty, titleRoom > 2 {
            put(DisplayWidth.truncate(title, to: titleRoom), x: r.x + 1, y: r.y, role: focused ? .titleFocused : .title)
        }
        if !noteText.isEmpty {
            put(noteText, x: r.maxX - 1 - DisplayWidth.of(noteText), y: r.y, role: .title)
        }
    }
}
