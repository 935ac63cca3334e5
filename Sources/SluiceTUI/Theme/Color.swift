/// A colour as a theme names it, and how it degrades to what the terminal can show.
public enum ThemeColor: Equatable, Hashable, Sendable {
    /// The terminal's own foreground or background.
    case terminal
    /// One of the 16 palette colours of the terminal (0–7 normal, 8–15 bright).
    case ansi(Int)
    /// One of the 256 xterm colours.
    case indexed(Int)
    case rgb(UInt8, UInt8, UInt8)

    static let ansiNames: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "gray": 8, "grey": 8, "bright-black": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// Typical RGB of the 16 ANSI colours (xterm), for nearest-colour degradation.
    static let ansiRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    /// Parses `#rrggbb`, an ANSI name, `default`, or a number 0–255 given as text.
    public static func parse(_ text: String) -> ThemeColor? {
        let t = text.lowercased()
        if t == "default" || t == "reset" || t == "terminal" { return .terminal }
        if let n = ansiNames[t] { return .ansi(n) }
        if t.hasPrefix("#"), t.count == 7, let v = UInt32(t.dropFirst(), radix: 16) {
            return .rgb(UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff))
        }
        if let n = Int(t), (0...255).contains(n) { return n < 16 ? .ansi(n) : .indexed(n) }
        return nil
    }

    var rgbValue: (Int, Int, Int)? {
        switch self {
        case .terminal: return nil
        case .ansi(let n): return ThemeColor.ansiRGB[n]
        case .rgb(let r, let g, let b): return (Int(r), Int(g), Int(b))
        case .indexed(let n):
            if n < 16 { return ThemeColor.ansiRGB[n] }
            if n >= 232 { let v = 8 + (n - 232) * 10; return (v, v, v) }
            let i = n - 16
            let steps = [0, 95, 135, 175, 215, 255]
            return (steps[i / 36], steps[(i / 6) % 6], steps[i % 6])
        }
    }

    /// This colour as the given depth can show it.
    public func degraded(to depth: ColorDepth) -> ThemeColor {
        switch (depth, self) {
        case (.monochrome, _), (_, .terminal): return .terminal
        case (.truecolor, _): return self
        case (.ansi256, .rgb(let r, let g, let b)): return .indexed(ThemeColor.nearest256(Int(r), Int(g), Int(b)))
        case (.ansi256, _): return self
        case (.ansi16, .ansi): return self
        case (.ansi16, _):
            guard let (r, g, b) = rgbValue else { return .terminal }
            return .ansi(ThemeColor.nearest16(r, g, b))
        }
    }

    static func nearest256(_ r: Int, _ g: Int, _ b: Int) -> Int {
        func level(_ v: Int) -> Int { v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40 }
        let (ri, gi, bi) = (level(r), level(g), level(b))
        let steps = [0, 95, 135, 175, 215, 255]
        let cube = 16 + 36 * ri + 6 * gi + bi
        let cubeDist = dist((steps[ri], steps[gi], steps[bi]), (r, g, b))
        let avg = (r + g + b) / 3
        let grayIndex = avg > 238 ? 23 : max(0, (avg - 3) / 10)
        let gv = 8 + grayIndex * 10
        return dist((gv, gv, gv), (r, g, b)) < cubeDist ? 232 + grayIndex : cube
    }

    /// The 16-colour palette entry of the same hue family: plain RGB distance sends every pastel
    /// to white, which would make statuses look alike.
    static func nearest16(_ r: Int, _ g: Int, _ b: Int) -> Int {
        let maxC = max(r, g, b), minC = min(r, g, b)
        let value = Double(maxC) / 255
        let saturation = maxC == 0 ? 0 : Double(maxC - minC) / Double(maxC)
        if saturation < 0.2 || maxC - minC < 40 {
            switch value {
            case ..<0.2: return 0
            case ..<0.6: return 8
            case ..<0.9: return 7
            default: return 15
            }
        }
        var hue: Double
        let d = Double(maxC - minC)
        if maxC == r { hue = 60 * (Double(g - b) / d) } else if maxC == g { hue = 60 * (Double(b - r) / d + 2) } else { hue = 60 * (Double(r - g) / d + 4) }
        if hue < 0 { hue += 360 }
        // red 1, yellow 3, green 2, cyan 6, blue 4, magenta 5, by 60° sectors centred on each.
        let families = [1, 3, 2, 6, 4, 5]
        let base = families[Int(((hue + 30).truncatingRemainder(dividingBy: 360)) / 60)]
        let bright = value > 0.85 && saturation < 0.55
        return bright ? base + 8 : base
    }

    static func dist(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        let dr = a.0 - b.0, dg = a.1 - b.1, db = a.2 - b.2
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }
}

/// How many colours the terminal shows.
public enum ColorDepth: Int, Sendable, Comparable, CaseIterable {
    case monochrome, ansi16, ansi256, truecolor

    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rawValue < b.rawValue }

    /// NO_COLOR wins; truecolor needs COLORTERM and a direct-colour terminal; else what the terminal reports.
    public static func detect(terminalColors: Int, environment env: [String: String]) -> ColorDepth {
        if let v = env["NO_COLOR"], !v.isEmpty { return .monochrome }
        let colorterm = env["COLORTERM"]?.lowercased() ?? ""
        if terminalColors >= 0x1000000 && (colorterm == "truecolor" || colorterm == "24bit") { return .truecolor }
        if terminalColors >= 256 { return .ansi256 }
        if terminalColors >= 8 { return .ansi16 }
        return .monochrome
    }
}

/// How one role looks.
public struct Style: Equatable, Hashable, Sendable {
    public var fg: ThemeColor = .terminal
    public var bg: ThemeColor = .terminal
    public var bold = false
    public var dim = false
    public var italic = false
    public var underline = false
    public var reverse = false

    public init(fg: ThemeColor = .terminal, bg: ThemeColor = .terminal, bold: Bool = false, dim: Bool = false,
                italic: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.fg = fg; self.bg = bg; self.bold = bold; self.dim = dim; self.italic = italic; self.underline = underline; self.reverse = reverse
    }

    public func degraded(to depth: ColorDepth) -> Style {
        var s = self
        s.fg = fg.degraded(to: depth)
        s.bg = bg.degraded(to: depth)
        // Without colour, a coloured background (selection, buttons) becomes reverse video.
        if depth == .monochrome, bg != .terminal { s.reverse = true }
        return s
    }
}
