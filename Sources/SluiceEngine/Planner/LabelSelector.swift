/// A label selector: the databases whose labels hold every `key=value` given. Selecting databases for
/// a change is never open-ended: an empty selector, an empty key or value, an empty item, or one key
/// asked for twice is refused, as each would select more (or other) databases than the person meant.
public struct LabelSelector: Sendable, Equatable {
    public let labels: [String: String]

    /// How a selector is written, for refusals.
    public static let form = "labels:KEY=VALUE[,KEY=VALUE…], e.g. labels:tenant=acme or labels:tier=gold,region=eu"

    /// Parses the part after `labels:` in a plan target (`tenant=acme,region=eu`).
    public init(parsing text: String, in place: String) throws {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SluiceError.usage("\(place): the label selector 'labels:\(TerminalText.line(text))' names no label, so it would select every database",
                                    hint: "Write \(Self.form); to name one database write INSTANCE/DB.")
        }
        try self.init(items: text.split(separator: ",", omittingEmptySubsequences: false).map(String.init), in: place, written: "labels:" + text)
    }

    /// Parses `--label key=value` items (each may itself hold several, comma-separated).
    public init(items: [String], in place: String, written: String? = nil) throws {
        var labels: [String: String] = [:]
        let shown = TerminalText.line(written ?? items.joined(separator: " "))
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let problem: String?
            if item.isEmpty { problem = "has an empty item (a comma too many)" }
            else if parts.count < 2 { problem = "has '\(TerminalText.line(item))' without '='" }
            else if parts[0].isEmpty { problem = "has '\(TerminalText.line(item))' with no key before '='" }
            else if parts[1].isEmpty { problem = "has '\(TerminalText.line(item))' with no value after '='" }
            else if let other = labels[parts[0]], other != parts[1] {
                problem = "asks for label '\(TerminalText.line(parts[0]))' twice ('\(TerminalText.line(other))' and '\(TerminalText.line(parts[1]))'), which no database can match"
            } else { problem = nil }
            if let problem {
                throw SluiceError.usage("\(place): the label selector '\(shown)' \(problem)", hint: "Write \(Self.form).")
            }
            labels[parts[0]] = parts[1]
        }
        guard !labels.isEmpty else {
            throw SluiceError.usage("\(place): the label selector names no label, so it would select every database",
                                    hint: "Write \(Self.form).")
        }
        self.labels = labels
    }

    /// Checks labels already split into keys and values (the engine's `labels:` arguments).
    public init(labels: [String: String], in place: String) throws {
        for key in labels.keys.sorted() {
            let value = labels[key] ?? ""
            guard key.isEmpty || value.isEmpty else { continue }
            throw SluiceError.usage("\(place): the label selector has '\(TerminalText.line(key))=\(TerminalText.line(value))' with "
                                    + (key.isEmpty ? "no key before '='" : "no value after '='"), hint: "Write \(Self.form).")
        }
        self.labels = labels
    }

    public var description: String { labels.keys.sorted().map { "\($0)=\(labels[$0] ?? "")" }.joined(separator: ",") }
}
