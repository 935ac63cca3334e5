import Foundation
import Testing
@testable import SluiceEngine

/// `TerminalText`: whatever a member, a target or a file puts in a string, printing it cannot drive
/// the terminal, reorder or hide text.
@Suite struct TerminalEscapeTests {
    /// (hostile text, its one-line form, its block form).
    static let cases: [(String, String, String)] = [
        ("\u{1B}]0;pwned\u{07}\u{1B}[2J", #"\u{1B}]0;pwned\u{07}\u{1B}[2J"#, #"\u{1B}]0;pwned\u{07}\u{1B}[2J"#),
        ("a\u{1B}[31mred", #"a\u{1B}[31mred"#, #"a\u{1B}[31mred"#),
        ("csi\u{9B}2J", #"csi\u{9B}2J"#, #"csi\u{9B}2J"#),                       // C1 CSI
        ("osc\u{9D}0;x\u{9C}", #"osc\u{9D}0;x\u{9C}"#, #"osc\u{9D}0;x\u{9C}"#), // C1 OSC … ST
        ("del\u{7F}", #"del\u{7F}"#, #"del\u{7F}"#),
        ("nul\u{0}x", #"nul\u{00}x"#, #"nul\u{00}x"#),
        ("bell\u{07}", #"bell\u{07}"#, #"bell\u{07}"#),
        ("back\u{08}\u{08}space", #"back\u{08}\u{08}space"#, #"back\u{08}\u{08}space"#),
        ("approve\rreject", #"approve\rreject"#, #"approve\rreject"#),
        ("two\nlines", #"two\nlines"#, "two\nlines"),
        ("windows\r\nline", #"windows\r\nline"#, "windows\nline"),
        ("tab\there", #"tab\there"#, "tab\there"),
        ("exe.\u{202E}gnp", #"exe.\u{202E}gnp"#, #"exe.\u{202E}gnp"#),         // right-to-left override
        ("\u{202A}\u{202B}\u{202C}\u{202D}", #"\u{202A}\u{202B}\u{202C}\u{202D}"#, #"\u{202A}\u{202B}\u{202C}\u{202D}"#),
        ("\u{2066}iso\u{2067}\u{2068}\u{2069}", #"\u{2066}iso\u{2067}\u{2068}\u{2069}"#, #"\u{2066}iso\u{2067}\u{2068}\u{2069}"#),
        ("zero\u{200B}width\u{200D}joiner", #"zero\u{200B}width\u{200D}joiner"#, #"zero\u{200B}width\u{200D}joiner"#),
        ("\u{200E}lrm\u{200F}rlm\u{061C}", #"\u{200E}lrm\u{200F}rlm\u{61C}"#, #"\u{200E}lrm\u{200F}rlm\u{61C}"#),
        ("bom\u{FEFF}", #"bom\u{FEFF}"#, #"bom\u{FEFF}"#),
        ("soft\u{AD}hyphen", #"soft\u{AD}hyphen"#, #"soft\u{AD}hyphen"#),
        ("tag\u{E0041}\u{E0042}", #"tag\u{E0041}\u{E0042}"#, #"tag\u{E0041}\u{E0042}"#), // invisible ASCII smuggling
        ("line\u{2028}sep\u{2029}", #"line\u{2028}sep\u{2029}"#, #"line\u{2028}sep\u{2029}"#),
        ("hangul\u{3164}filler", #"hangul\u{3164}filler"#, #"hangul\u{3164}filler"#),
        ("word\u{2060}joiner", #"word\u{2060}joiner"#, #"word\u{2060}joiner"#),
    ]

    @Test(arguments: cases)
    func hostileTextIsShownVisibly(_ input: String, _ line: String, _ block: String) {
        #expect(TerminalText.line(input) == line)
        #expect(TerminalText.block(input) == block)
        for out in [TerminalText.line(input), TerminalText.block(input)] {
            #expect(!out.unicodeScalars.contains { TerminalText.isUnsafe($0, keepingLayout: true) }, "\(out.debugDescription)")
            // Escaping is plain ASCII: doing it twice changes nothing.
            #expect(TerminalText.line(out) == out.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t"))
            #expect(TerminalText.block(out) == out)
        }
    }

    /// Ordinary text of every script, emoji presentation selectors and punctuation passes unchanged.
    @Test(arguments: ["Add phone column to customers", "Ångström café — naïve", "Привет мир", "Γειά σου", "שלום עולם", "مرحبا",
                      "日本語のタイトル", "emoji ❤️ ☕︎ 🚀", "SELECT 'x'; -- done", "tenant=acme,region=eu", "C:\\path\\u{41}"])
    func ordinaryTextIsUnchanged(_ text: String) {
        #expect(TerminalText.line(text) == text)
        #expect(TerminalText.block(text) == text)
        #expect(TerminalText.isSafeLine(text))
    }

    /// JSON keeps its meaning: decoding the escaped JSON gives back the original string exactly,
    /// and the escaped text has no unsafe character left.
    @Test(arguments: cases.map(\.0) + ["plain", "emoji 🚀", "\u{10FFFF}", "\u{E0001}"])
    func jsonEscapingKeepsTheValue(_ value: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let raw = String(decoding: try encoder.encode(["title": AnyCodable.string(value), "list": .list([value])]), as: UTF8.self)
        let safe = TerminalText.json(raw)
        #expect(!safe.unicodeScalars.contains { TerminalText.isUnsafe($0, keepingLayout: true) }, "\(safe.debugDescription)")
        let back = try JSONDecoder().decode([String: AnyCodable].self, from: Data(safe.utf8))
        #expect(back["title"] == .string(value))
        #expect(back["list"] == .list([value]))
    }
}

/// A string or a list of strings, to encode both shapes in one object.
enum AnyCodable: Codable, Equatable {
    case string(String), list([String])
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .string(s) } else { self = .list(try c.decode([String].self)) }
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .string(s): try c.encode(s)
        case let .list(l): try c.encode(l)
        }
    }
}
