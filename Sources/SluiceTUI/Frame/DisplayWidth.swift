import SluiceEngine

/// Display width of text in terminal cells, without asking the terminal: East Asian wide and
/// fullwidth characters take two cells, combining marks and zero-width characters none.
public enum DisplayWidth {
    /// Cells a scalar occupies: 0, 1 or 2.
    @inline(__always)
    public static func of(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        if v < 0x300 { return v < 0x20 || (v >= 0x7f && v < 0xa0) ? 0 : 1 }
        if isZeroWidth(v) { return 0 }
        return isWide(v) ? 2 : 1
    }

    /// Cells a string occupies as the frame shows it.
    public static func of(_ text: String) -> Int {
        var n = 0
        for s in TerminalSafe.text(text).unicodeScalars { n += of(s) }
        return n
    }

    static func isZeroWidth(_ v: UInt32) -> Bool {
        (0x300...0x36f).contains(v) || (0x483...0x489).contains(v) || (0x591...0x5bd).contains(v)
            || (0x200b...0x200f).contains(v) || (0x202a...0x202e).contains(v) || (0x2060...0x2064).contains(v)
            || (0xfe00...0xfe0f).contains(v) || v == 0xfeff || (0x1ab0...0x1aff).contains(v)
            || (0x1dc0...0x1dff).contains(v) || (0x20d0...0x20ff).contains(v) || (0xe0100...0xe01ef).contains(v)
    }

    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115f).contains(v) || (0x2e80...0x303e).contains(v) || (0x3041...0x33ff).contains(v)
            || (0x3400...0x4dbf).contains(v) || (0x4e00...0x9fff).contains(v) || (0xa000...0xa4cf).contains(v)
            || (0xac00...0xd7a3).contains(v) || (0xf900...0xfaff).contains(v) || (0xfe30...0xfe4f).contains(v)
            || (0xff00...0xff60).contains(v) || (0xffe0...0xffe6).contains(v) || (0x1f300...0x1f64f).contains(v)
            || (0x1f900...0x1f9ff).contains(v) || (0x20000...0x3fffd).contains(v)
    }

    /// The longest prefix of `text` that fits in `width` cells, with `…` when cut: the one
    /// truncation of the UI (`Frame.put` cuts through it, so every clipped text ends with `…`).
    public static func truncate(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        let text = TerminalSafe.text(text)
        if of(text) <= width { return text }
        var out = String.UnicodeScalarView()
        var used = 0
        for s in text.unicodeScalars {
            let w = of(s)
            if used + w > width - 1 { break }
            out.append(s)
            used += w
        }
        // No dangling space before the ellipsis.
        while let last = out.last, last == " " { out.removeLast() }
        return String(out) + "…"
    }

    /// Pads (or truncates) to exactly `width` cells.
    public static func pad(_ text: String, to width: Int) -> String {
        let t = truncate(text, to: width)
        let w = of(t)
        return w < width ? t + String(repeating: " ", count: width - w) : t
    }
}

/// What reaches the terminal from text: every character a terminal would act on instead of
/// showing (C0 and C1 controls such as ESC and CSI, bidi embeddings, overrides and isolates,
/// other format characters) is written out visibly by the engine's `TerminalText`, as the CLI
/// writes it (ESC as `\u{1B}`), so text from users cannot move the cursor, recolour, retitle,
/// clear or reorder the screen. A tab shows as a space. `Frame.put` and `DisplayWidth` see text
/// only through `text(_:)`.
public enum TerminalSafe {
    /// The text as the frame shows it.
    @inline(__always)
    public static func text(_ text: String) -> String {
        if TerminalText.isSafeLine(text) { return text }
        return TerminalText.line(text.replacingOccurrences(of: "\t", with: " "))
    }

    /// A C0 or C1 control (the driver's last guard: such a cell is written as a space).
    @inline(__always)
    public static func isControl(_ v: UInt32) -> Bool { v < 0x20 || (v >= 0x7f && v < 0xa0) }
}
