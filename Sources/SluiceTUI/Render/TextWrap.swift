/// Text laid out for the detail tabs: padded labels and words wrapped under a heading.
enum TextWrap {
    /// `head` then `text` broken at spaces, continuation lines indented under the text's start.
    static func lines(_ head: [Span], _ text: String, _ role: Role, width: Int) -> [[Span]] {
        let indent = head.reduce(0) { $0 + DisplayWidth.of($1.text) }
        let pieces = words(text, max(10, width - indent))
        return pieces.enumerated().map { i, piece in
            (i == 0 ? head : [Span(String(repeating: " ", count: indent))]) + [Span(piece, role)]
        }
    }

    /// `text` padded to `width` cells, and always followed by at least one space.
    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - DisplayWidth.of(text)))
    }

    /// Breaks text at spaces into lines of at most `width` cells (a longer word is cut).
    static func words(_ text: String, _ width: Int) -> [String] {
        var out: [String] = []
        var line = ""
        for word in text.split(separator: " ").map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if DisplayWidth.of(candidate) <= width { line = candidate; continue }
            if !line.isEmpty { out.append(line) }
            let pieces = LogsTab.wrap(word, width)
            out.append(contentsOf: pieces.dropLast())
            line = pieces.last ?? ""
        }
        if !line.isEmpty { out.append(line) }
        return out
    }
}
