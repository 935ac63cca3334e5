import Foundation
import SluiceEngine

/// Every line this program prints on standard output passes here: Swift's `print` is shadowed in
/// this module, so no command can print text from a member, a target or a file raw. Text is made safe
/// with `TerminalText.block` (newlines kept, escapes and bidi controls shown as `\u{1B}`, `\u{202E}`);
/// fields that must stay on one line (titles, names, table cells) are also passed through
/// `TerminalText.line` where they are formatted. JSON is safe already (`Output.json`).
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(TerminalText.block(items.map { "\($0)" }.joined(separator: separator)), terminator: terminator)
}

/// One field that must stay on one line inside a longer human line: a title, a name, a database.
func one(_ text: String) -> String { TerminalText.line(text) }

/// Text of many lines inside an indented block: made safe, and every line after the first indented.
func indented(_ text: String, by spaces: Int) -> String {
    TerminalText.block(text).replacingOccurrences(of: "\n", with: "\n" + String(repeating: " ", count: spaces))
}

/// JSON and aligned-text rendering for command output.
enum Output {
    /// Writes text on standard output at once (unbuffered, for `--follow`), made safe like `print`.
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(TerminalText.block(text).utf8))
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        enc.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(iso(date))
        }
        // The encoder escapes C0 controls but leaves DEL, C1 and bidi controls raw: escaped here as \uXXXX.
        return TerminalText.json(String(decoding: try enc.encode(value), as: UTF8.self))
    }

    static func iso(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }

    /// Columns padded to the widest cell; every cell is shown on one line (`TerminalText.line`).
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = ([header] + rows).map { $0.map(TerminalText.line) }
        var widths = Array(repeating: 0, count: header.count)
        for row in all { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return all.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
