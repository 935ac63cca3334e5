import Foundation
import SluiceEngine

extension Reducer {
    func dialogKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        guard let dialog = s.dialog else { return [] }
        switch dialog {
        case .message:
            if key == .esc || key == .enter || key == .char("q") { s.dialog = nil }
            return []
        case .quit:
            return quitDialogKey(&s, key)
        case .confirm(var d):
            return confirmKey(&s, &d, key)
        case .input(var d):
            switch key {
            case .esc: s.dialog = nil
            case .backspace: if !d.text.isEmpty { d.text.removeLast() }; s.dialog = .input(d)
            case .char(let c): d.text.append(c); s.dialog = .input(d)
            case .enter:
                let text = d.text.trimmingCharacters(in: .whitespaces)
                if text.isEmpty && !d.optional {
                    s.message = StatusMessage(text: "\(d.prompt): nothing typed", isError: true)
                    return []
                }
                s.dialog = nil
                switch d.purpose {
                case .approve(let id): return [.perform(.approve(issue: id, comment: text.isEmpty ? nil : text))]
                case .reject(let id): return [.perform(.reject(issue: id, comment: text))]
                case .comment(let id): return [.perform(.comment(issue: id, text: text))]
                case .skip(let task):
                    s.dialog = .confirm(ConfirmDialog(title: "Skip task #\(task)?", text: "Skipping is final. Reason: \(text)",
                                                      command: .skip(task: task, reason: text)))
                }
            default: break
            }
            return []
        case .signIn(var d):
            return signInKey(&s, &d, key)
        case .createIssue(var d):
            return createIssueKey(&s, &d, key)
        case .help(var m):
            let items = menuItems(s).filter { m.filter.isEmpty || $0.title.lowercased().contains(m.filter.lowercased()) || $0.key == m.filter }
            switch key {
            case .esc: s.dialog = nil
            case .down, .ctrl("n"): m.selected = Reducer.clamp(m.selected + 1, items.count); s.dialog = .help(m)
            case .up, .ctrl("p"): m.selected = Reducer.clamp(m.selected - 1, items.count); s.dialog = .help(m)
            case .backspace: if !m.filter.isEmpty { m.filter.removeLast() }; m.selected = 0; s.dialog = .help(m)
            case .char(let c): m.filter.append(c); m.selected = 0; s.dialog = .help(m)
            case .enter:
                guard items.indices.contains(m.selected) else { return [] }
                let item = items[m.selected]
                s.dialog = nil
                if let reason = item.refusal {
                    s.message = StatusMessage(text: "\(item.command.hint): \(reason)", isError: true)
                    return []
                }
                return run(&s, item.command)
            default: break
            }
            return []
        }
    }

    func confirmKey(_ s: inout AppState, _ d: inout ConfirmDialog, _ key: Key) -> [Effect] {
        if let required = d.typeToConfirm {
            // Typing the environment name: letters go to the field; Enter confirms when it matches.
            switch key {
            case .esc: s.dialog = nil
            case .backspace: if !d.typed.isEmpty { d.typed.removeLast() }; s.dialog = .confirm(d)
            case .char(let c): d.typed.append(c); s.dialog = .confirm(d)
            case .enter:
                if d.typed == required {
                    s.dialog = nil
                    return [.perform(d.command)]
                }
                s.message = StatusMessage(text: "type \(required) to confirm, or Esc", isError: true)
            default: break
            }
            return []
        }
        switch key {
        case .char("y"), .char("Y"):
            s.dialog = nil
            return [.perform(d.command)]
        case .char("n"), .char("N"), .esc, .char("q"):
            s.dialog = nil
        case .tab, .backTab, .left, .right, .char("h"), .char("l"):
            d.yesFocused.toggle()
            s.dialog = .confirm(d)
        case .enter:
            s.dialog = nil
            return d.yesFocused ? [.perform(d.command)] : []
        default: break
        }
        return []
    }

    func signInKey(_ s: inout AppState, _ d: inout SignInDialog, _ key: Key) -> [Effect] {
        guard !d.busy else { return [] }
        switch key {
        case .esc:
            return quitEffects(&s)
        case .tab, .backTab, .down, .up:
            d.onPassword.toggle()
        case .backspace:
            if d.onPassword { if !d.password.isEmpty { d.password.removeLast() } } else if !d.email.isEmpty { d.email.removeLast() }
        case .char(let c):
            if d.onPassword { d.password.append(c) } else { d.email.append(c) }
        case .enter:
            if !d.onPassword { d.onPassword = true; break }
            guard !d.email.isEmpty else { d.onPassword = false; d.error = "type your email"; break }
            d.busy = true
            d.error = nil
            s.dialog = .signIn(d)
            return [.signIn(email: d.email, password: d.password)]
        default: break
        }
        s.dialog = .signIn(d)
        return []
    }

    func createIssueKey(_ s: inout AppState, _ d: inout CreateIssueDialog, _ key: Key) -> [Effect] {
        guard !d.busy else { return [] }
        defer { if case .createIssue = s.dialog { s.dialog = .createIssue(d) } }
        if key == .esc {
            if d.step == .details { s.dialog = nil; return [] }
            d.step = CreateIssueDialog.Step(rawValue: d.step.rawValue - 1) ?? .details
            return []
        }
        d.error = nil
        switch d.step {
        case .details:
            switch key {
            case .tab, .down: d.projectIndex = d.projects.isEmpty ? 0 : (d.projectIndex + 1) % d.projects.count
            case .backTab, .up: d.projectIndex = d.projects.isEmpty ? 0 : (d.projectIndex + d.projects.count - 1) % d.projects.count
            case .backspace: if !d.title.isEmpty { d.title.removeLast() }
            case .char(let c): d.title.append(c)
            case .enter:
                if d.title.trimmingCharacters(in: .whitespaces).isEmpty { d.error = "type a title" } else if d.project == nil { d.error = "no project to create it in" } else { d.step = .targets }
            default: break
            }
        case .targets:
            switch key {
            case .down, .char("j"): d.targetIndex = Reducer.clamp(d.targetIndex + 1, d.targets.count)
            case .up, .char("k"): d.targetIndex = Reducer.clamp(d.targetIndex - 1, d.targets.count)
            case .char(" "), .char("x"): if d.targets.indices.contains(d.targetIndex) { d.targets[d.targetIndex].selected.toggle() }
            case .enter:
                if d.selectedDatabases.isEmpty { d.error = "pick at least one database (space toggles)" } else { d.step = .sql }
            default: break
            }
        case .sql:
            switch key {
            case .ctrl("e"):
                return [.openEditor(.newIssueSQL, initial: d.sql)]
            case .ctrl("s"), .ctrl("d"), .function(2):
                if d.sql.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { d.error = "type some SQL (or ctrl-e for $EDITOR)" } else { d.step = .preview }
            case .enter:
                d.sqlLines.insert("", at: d.cursorLine + 1)
                d.cursorLine += 1
            case .backspace:
                if !d.sqlLines[d.cursorLine].isEmpty {
                    d.sqlLines[d.cursorLine].removeLast()
                } else if d.cursorLine > 0 {
                    d.sqlLines.remove(at: d.cursorLine)
                    d.cursorLine -= 1
                }
            case .up: d.cursorLine = max(0, d.cursorLine - 1)
            case .down: d.cursorLine = min(d.sqlLines.count - 1, d.cursorLine + 1)
            case .tab: d.sqlLines[d.cursorLine] += "    "
            case .char(let c): d.sqlLines[d.cursorLine].append(c)
            default: break
            }
        case .preview:
            if key == .enter || key == .char("y") {
                guard let project = d.project else { return [] }
                d.busy = true
                return [.perform(.createIssue(project: project, title: d.title.trimmingCharacters(in: .whitespaces), sql: d.sql, databases: d.selectedDatabases))]
            }
        }
        return []
    }
}
