import Foundation
import SluiceEngine

/// The `:` command line: editing, completion, and running what was typed.
extension Reducer {
    /// Every command word, as completion offers it; each one does something or says why not.
    static let commandWords = ["issue", "project", "env", "tab", "new", "theme", "refresh", "quit"]

    func commandLineKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        guard var c = s.commandLine else { return [] }
        switch key {
        case .esc:
            s.commandLine = nil
            return []
        case .backspace:
            if c.text.isEmpty { s.commandLine = nil; return [] }
            c.text.removeLast()
        case .ctrl("u"):
            c.text = ""
        case .ctrl("w"):
            c.text = Reducer.deletingLastWord(c.text)
        case .tab:
            let options = completions(s, c.text)
            if options.count == 1 { c.text = options[0] + " " } else if let common = Reducer.commonPrefix(options), common.count > c.text.count { c.text = common }
        case .char(let ch):
            c.text.append(ch)
        case .enter:
            s.commandLine = nil
            return execute(&s, c.text.trimmingCharacters(in: .whitespaces))
        default: break
        }
        c.completions = completions(s, c.text)
        s.commandLine = c
        return []
    }

    /// The text without its last word (and the spaces after it), as ctrl-w leaves it.
    static func deletingLastWord(_ text: String) -> String {
        var t = text
        while t.last == " " { t.removeLast() }
        while let last = t.last, last != " " { t.removeLast() }
        return t
    }

    /// Candidates that complete the current line (command words, issue ids, project keys, environments, tabs, themes).
    func completions(_ s: AppState, _ text: String) -> [String] {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if parts.count <= 1 { return Reducer.commandWords.filter { $0.hasPrefix(text) } }
        let word = parts[0], arg = parts[1]
        return arguments(s, word).filter { $0.hasPrefix(arg) }.map { "\(word) \($0)" }
    }

    /// The values a command word takes, for completion.
    func arguments(_ s: AppState, _ word: String) -> [String] {
        switch word {
        case "issue": s.issues.prefix(200).map { "\($0.id)" }
        case "project": s.projects.map(\.key)
        case "env": s.detail?.stages.map(\.stage.environment) ?? s.environments.map(\.name)
        case "tab": DetailTab.allCases.map { $0.title.lowercased() }
        case "theme": s.themeNames
        default: []
        }
    }

    static func commonPrefix(_ words: [String]) -> String? {
        guard var prefix = words.first else { return nil }
        for w in words.dropFirst() { while !w.hasPrefix(prefix) { prefix.removeLast() } }
        return prefix
    }

    func execute(_ s: inout AppState, _ line: String) -> [Effect] {
        let parts = line.split(separator: " ").map(String.init)
        guard let word = parts.first else { return [] }
        let arg = parts.dropFirst().joined(separator: " ")
        func refuse(_ text: String) -> [Effect] {
            s.message = StatusMessage(text: text, isError: true)
            return []
        }
        switch word {
        case "issue", "i":
            guard !arg.isEmpty else { return refuse(":issue needs a number, e.g. :issue 2") }
            guard let id = Int64(arg.trimmingCharacters(in: CharacterSet(charactersIn: "#"))) else {
                return refuse(":issue needs a number, not \(arg)")
            }
            guard let issue = s.issues.first(where: { $0.id == id }) else { return refuse("no issue #\(id)") }
            s.filter = FilterState()
            if let p = s.projects.firstIndex(where: { $0.key == issue.project }) { s.projectIndex = p }
            applyFilter(&s, keeping: id)
            s.focus = .issues
            return selectIssueEffects(&s, id)
        case "project", "p":
            let keys = s.projects.map(\.key).joined(separator: ", ")
            guard !arg.isEmpty else { return refuse(":project needs a key (\(keys))") }
            guard let i = s.projects.firstIndex(where: { $0.key.lowercased() == arg.lowercased() }) else {
                return refuse("no project \(arg) (\(keys))")
            }
            s.projectIndex = i
            s.issueIndex = 0
            applyFilter(&s, keeping: nil)
            return s.selectedIssue.map { selectIssueEffects(&s, $0.id) } ?? []
        case "env", "e":
            guard let d = s.detail else { return refuse(":env needs an open issue; select one first") }
            let names = d.stages.map(\.stage.environment).joined(separator: ", ")
            guard !arg.isEmpty else { return refuse(":env needs an environment of this issue (\(names))") }
            var row = 0
            for st in d.stages {
                if st.stage.environment == arg { s.pipelineIndex = row; s.focus = .pipeline; return tabEffects(&s) }
                row += 1 + st.tasks.count
            }
            return refuse("this issue has no stage \(arg) (\(names))")
        case "tab", "t":
            let names = DetailTab.allCases.map { $0.title.lowercased() }.joined(separator: ", ")
            guard let t = DetailTab.allCases.first(where: { $0.title.lowercased() == arg.lowercased() }) else {
                return refuse(arg.isEmpty ? ":tab needs a tab (\(names))" : "no tab \(arg) (\(names))")
            }
            s.tab = t
            s.focus = .detail
            s.detailScroll = 0
            return tabEffects(&s)
        case "theme":
            guard !arg.isEmpty else {
                s.message = StatusMessage(text: "themes: \(s.themeNames.joined(separator: ", ")) (:theme NAME switches)", isError: false)
                return []
            }
            return [.setTheme(arg)]
        case "new": return openCreateIssue(&s)
        case "quit", "q": return quitEffects(&s)
        case "refresh":
            s.message = StatusMessage(text: "refreshed", isError: false)
            return refreshEffects(s)
        default:
            return refuse("unknown command :\(word) (commands: \(Reducer.commandWords.joined(separator: ", ")))")
        }
    }
}
