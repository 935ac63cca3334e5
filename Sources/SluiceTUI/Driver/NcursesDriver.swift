import CNcursesw
import Foundation

/// Input the driver decodes.
enum TerminalInput {
    case key(Key)
    case mouse(MouseEvent)
    case resize(Size)
}

/// The only code that talks to ncurses: sets the terminal up, flushes the cells of a frame that
/// changed since the last one, reads keys and mouse events, and restores the terminal.
public final class NcursesDriver {
    public private(set) var size: Size
    private var last: Frame?
    private var attrs: [attr_t] = []
    private var pairs: [Int32] = []
    let depth: ColorDepth
    let unicode: Bool
    private var active = false
    private var buffer: [wchar_t] = []
    /// The terminal's settings before the UI took it, put back exactly on `end`.
    private var saved: termios?

    /// With `offscreenOutput`, ncurses writes to that file instead of the terminal (benchmarks).
    public init(theme: Theme, environment env: [String: String], offscreenOutput: String? = nil, offscreenSize: Size? = nil) {
        if setlocale(LC_ALL, "") == nil || sluice_utf8_locale() == 0 {
            _ = setlocale(LC_ALL, "C.UTF-8")
        }
        unicode = sluice_utf8_locale() != 0
        if let path = offscreenOutput {
            _ = newterm("xterm-256color", fopen(path, "w"), fopen("/dev/null", "r"))
            if let sz = offscreenSize { resizeterm(Int32(sz.height), Int32(sz.width)) }
        } else {
            var t = termios()
            if tcgetattr(STDIN_FILENO, &t) == 0 { saved = t }
            _ = initscr()
        }
        active = true
        raw()
        noecho()
        nonl()
        if offscreenOutput == nil { NcursesDriver.ownKeys() }
        let scr = sluice_stdscr()
        keypad(scr, true)
        nodelay(scr, true)
        set_escdelay(25)
        curs_set(0)
        mouseinterval(0)
        _ = mousemask(sluice_all_mouse_events() & ~(mmask_t(1) << 27), nil)
        var colors = 0
        if has_colors() {
            start_color()
            use_default_colors()
            colors = Int(sluice_colors())
        }
        depth = ColorDepth.detect(terminalColors: colors, environment: env)
        size = Size(width: Int(getmaxx(scr)), height: Int(getmaxy(scr)))
        install(theme)
    }

    /// Turns the theme's styles into attributes and colour pairs for this terminal.
    func install(_ theme: Theme) {
        let styles = theme.styles(for: depth)
        var pairIds: [String: Int32] = [:]
        attrs = []
        pairs = []
        for style in styles {
            var a = sluice_a_normal()
            if style.bold { a |= sluice_a_bold() }
            if style.dim { a |= sluice_a_dim() }
            if style.italic { a |= sluice_a_italic() }
            if style.underline { a |= sluice_a_underline() }
            if style.reverse { a |= sluice_a_reverse() }
            var pair: Int32 = 0
            if depth != .monochrome {
                let (fg, fgBright) = colorNumber(style.fg)
                let (bg, _) = colorNumber(style.bg)
                if fgBright { a |= sluice_a_bold() }
                if fg != -1 || bg != -1 {
                    let key = "\(fg)/\(bg)"
                    if let p = pairIds[key] { pair = p } else {
                        pair = Int32(pairIds.count + 1)
                        init_extended_pair(pair, fg, bg)
                        pairIds[key] = pair
                    }
                }
            }
            attrs.append(a)
            pairs.append(pair)
        }
        last = nil
    }

    /// The colour number for ncurses; on an 8-colour terminal bright colours become bold.
    private func colorNumber(_ c: ThemeColor) -> (Int32, Bool) {
        switch c {
        case .terminal: return (-1, false)
        case .ansi(let n): return sluice_colors() >= 16 ? (Int32(n), false) : (Int32(n % 8), n >= 8)
        case .indexed(let n): return (Int32(n), false)
        case .rgb(let r, let g, let b): return (Int32(r) << 16 | Int32(g) << 8 | Int32(b), false)
        }
    }

    /// Writes what changed since the last frame and updates the screen.
    public func flush(_ frame: Frame) {
        let scr = sluice_stdscr()
        let full = last == nil || last?.width != frame.width || last?.height != frame.height
        if full { werase(scr) }
        for y in 0..<frame.height {
            let base = y * frame.width
            var first = -1, lastChanged = -1
            if full {
                first = 0; lastChanged = frame.width - 1
            } else if let prev = last {
                for x in 0..<frame.width where prev.scalars[base + x] != frame.scalars[base + x] || prev.roles[base + x] != frame.roles[base + x] {
                    if first < 0 { first = x }
                    lastChanged = x
                }
            }
            guard first >= 0 else { continue }
            // Never start on the right half of a wide character, never end on its left half.
            while first > 0 && frame.scalars[base + first] == Frame.continuation { first -= 1 }
            if lastChanged + 1 < frame.width && frame.scalars[base + lastChanged + 1] == Frame.continuation { lastChanged += 1 }
            // The bottom-right cell cannot be written without scrolling on some terminals.
            if y == frame.height - 1 && lastChanged == frame.width - 1 { lastChanged -= 1 }
            var x = first
            while x <= lastChanged {
                let role = frame.roles[base + x]
                buffer.removeAll(keepingCapacity: true)
                let start = x
                while x <= lastChanged && frame.roles[base + x] == role {
                    let v = frame.scalars[base + x]
                    if v != Frame.continuation { buffer.append(wchar_t(bitPattern: TerminalSafe.isControl(v) ? 0x20 : v)) }
                    x += 1
                }
                let r = Int(role.rawValue)
                buffer.withUnsafeBufferPointer { p in
                    _ = sluice_put_run(Int32(y), Int32(start), p.baseAddress, Int32(p.count), attrs[r], pairs[r])
                }
            }
        }
        wnoutrefresh(scr)
        doupdate()
        last = frame
    }

    /// Forces the next flush to redraw everything.
    public func invalidate() { last = nil }

    /// Writes text across the whole screen through the same calls as `flush` (the benchmark's baseline).
    public func fillBaseline(_ rows: [[wchar_t]], width: Int) {
        let scr = sluice_stdscr()
        for (y, row) in rows.enumerated() {
            row.withUnsafeBufferPointer { p in
                _ = sluice_put_run(Int32(y), 0, p.baseAddress, Int32(min(p.count, width - (y == rows.count - 1 ? 1 : 0))), attrs[0], pairs[0])
            }
        }
        wnoutrefresh(scr)
        doupdate()
    }

    /// Reads every pending key and mouse event without blocking.
    func readInput() -> [TerminalInput] {
        var out: [TerminalInput] = []
        let scr = sluice_stdscr()
        var ch: wint_t = 0
        while true {
            let rc = wget_wch(scr, &ch)
            if rc == ERR { break }
            if rc == KEY_CODE_YES {
                let code = Int32(ch)
                if code == KEY_RESIZE {
                    size = Size(width: Int(getmaxx(scr)), height: Int(getmaxy(scr)))
                    last = nil
                    out.append(.resize(size))
                } else if code == KEY_MOUSE {
                    var ev = MEVENT()
                    if getmouse(&ev) == OK, let m = NcursesDriver.mouse(ev) { out.append(.mouse(m)) }
                } else if let k = NcursesDriver.key(code: code) {
                    out.append(.key(k))
                }
            } else if let k = NcursesDriver.key(char: UInt32(ch)) {
                out.append(.key(k))
            }
        }
        return out
    }

    static func key(code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_NPAGE: return .pageDown
        case KEY_PPAGE: return .pageUp
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        default:
            for n in 1...12 where code == sluice_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    static func key(char v: UInt32) -> Key? {
        switch v {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .esc
        case 8, 127: return .backspace
        case 1...26: return .ctrl(Character(Unicode.Scalar(v + 96)!))
        default:
            guard let s = Unicode.Scalar(v) else { return nil }
            return .char(Character(s))
        }
    }

    static func mouse(_ ev: MEVENT) -> MouseEvent? {
        let b = ev.bstate
        if b & sluice_button4_pressed() != 0 { return MouseEvent(kind: .wheelUp, x: Int(ev.x), y: Int(ev.y)) }
        if b & sluice_button5_pressed() != 0 { return MouseEvent(kind: .wheelDown, x: Int(ev.x), y: Int(ev.y)) }
        if b & (sluice_button1_pressed() | sluice_button1_clicked()) != 0 { return MouseEvent(kind: .click, x: Int(ev.x), y: Int(ev.y)) }
        return nil
    }

    /// Gives the terminal back (for $EDITOR), then takes it again with `resume`.
    func suspend() {
        def_prog_mode()
        endwin()
    }

    func resume() {
        reset_prog_mode()
        last = nil
        size = Size(width: Int(getmaxx(sluice_stdscr())), height: Int(getmaxy(sluice_stdscr())))
    }

    /// Every key reaches the UI: no flow control (ctrl-s, ctrl-q), no signal keys (ctrl-c,
    /// ctrl-z, ctrl-\\ arrive as keys, handled by the UI), no literal-next (ctrl-v). ncurses'
    /// `raw()` leaves IXOFF and IXANY as it found them; this clears them too, and makes the
    /// result the mode ncurses goes back to after the editor.
    static func ownKeys() {
        var t = termios()
        guard tcgetattr(STDIN_FILENO, &t) == 0 else { return }
        t.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        t.c_lflag &= ~tcflag_t(ISIG | IEXTEN | ICANON)
        _ = tcsetattr(STDIN_FILENO, TCSANOW, &t)
        def_prog_mode()
    }

    /// Restores the terminal, to exactly the settings it had before.
    public func end() {
        guard active else { return }
        active = false
        endwin()
        if var t = saved { _ = tcsetattr(STDIN_FILENO, TCSADRAIN, &t) }
    }

    /// Copies text to the terminal's clipboard with OSC 52.
    func copy(_ text: String) {
        let seq = "\u{1b}]52;c;\(Data(text.utf8).base64EncodedString())\u{07}"
        _ = seq.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
    }
}
