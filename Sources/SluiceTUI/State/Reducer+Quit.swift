import Foundation
import SluiceEngine

/// Quitting: at once when the in-process engine runs nothing; otherwise the quit dialog says
/// what runs where and offers to wait, to leave it to `sluice run`, or to cancel it. A second
/// ctrl-c (or q) leaves it to `sluice run`, at once.
extension Reducer {
    func quitEffects(_ s: inout AppState) -> [Effect] {
        if s.shutdown != nil || s.dialog == .quit {
            s.dialog = nil
            s.shutdown = .release
            return [.shutdown(.release)]
        }
        guard s.running.isEmpty else {
            s.dialog = .quit
            return []
        }
        s.quitRequested = true
        return [.quit]
    }

    func quitDialogKey(_ s: inout AppState, _ key: Key) -> [Effect] {
        switch key {
        case .char("w"), .char("W"):
            s.dialog = nil
            s.shutdown = .wait
            return [.shutdown(.wait)]
        case .char("c"), .char("C"):
            s.dialog = nil
            s.shutdown = .cancel
            return [.shutdown(.cancel)]
        case .char("l"), .char("L"), .char("q"), .ctrl("c"):
            return quitEffects(&s)
        case .esc:
            s.dialog = nil
            return []
        default:
            return []
        }
    }

    func runningChanged(_ s: inout AppState, _ held: [HeldRun]) -> [Effect] {
        s.running = held
        // Asked to quit, and what held it up has ended: quit as asked.
        if held.isEmpty, s.dialog == .quit {
            s.dialog = nil
            s.quitRequested = true
            return [.quit]
        }
        return []
    }

    /// "1 task is running on sqlite-test/app", "3 tasks are running on a/x, b/y and 1 more".
    static func runningSummary(_ held: [HeldRun]) -> String {
        let dbs = held.map(\.database).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let shown = dbs.prefix(2).joined(separator: ", ") + (dbs.count > 2 ? " and \(dbs.count - 2) more" : "")
        return held.count == 1 ? "1 task is running on \(shown)" : "\(held.count) tasks are running on \(shown)"
    }

    /// The status line while leaving.
    static func shutdownStatus(_ s: AppState) -> String? {
        guard let mode = s.shutdown else { return nil }
        let what = s.running.isEmpty ? "the engine" : runningSummary(s.running).replacingOccurrences(of: " is running", with: "").replacingOccurrences(of: " are running", with: "")
        switch mode {
        case .wait: return "quitting once \(what) ends · ctrl-c leaves it to `sluice run` now"
        case .cancel: return "canceling \(what), then quitting · ctrl-c leaves it to `sluice run` now"
        case .release: return "leaving \(what) to `sluice run`…"
        }
    }
}
