import SluiceEngine

/// Approvals: the flow's steps (who approved, when), who is next, whether the signed-in member
/// can act, the risk and why, the approve / reject / re-request keys with the engine's reason
/// when refused, and the approval timeline. What a DBA acts on comes first, for small terminals.
enum ApprovalsTab {
    static let label = 10

    static func lines(_ s: AppState, width: Int) -> [[Span]] {
        guard let d = s.detail else { return [[Span("loading…", .dim)]] }
        let vm = ApprovalsViewModel(detail: d, progress: s.approvalProgress)
        let textWidth = max(10, width - label)
        var out: [[Span]] = []

        let approved = vm.steps.filter { $0.status == "APPROVED" }.count
        var approval = [field("Approval"), Span("\(vm.status.glyph) \(vm.status.rawValue)", vm.status.role)]
        if !vm.steps.isEmpty { approval.append(Span(" · \(approved) of \(vm.steps.count) step\(vm.steps.count == 1 ? "" : "s") approved", .dim)) }
        approval += [Span(" · risk ", .dim), Span(vm.risk.rawValue, vm.risk.role)]
        out.append(approval)
        if vm.steps.isEmpty {
            out.append([field("Flow"), Span("No approval flow applies to this issue.", .dim)])
        } else {
            let roleWidth = max(4, vm.steps.map { DisplayWidth.of($0.role) }.max() ?? 4) + 2
            out.append([field("Flow"), Span("#  " + TextWrap.pad("Status", 12) + TextWrap.pad("Role", roleWidth) + "By", .dim)])
            for step in vm.steps {
                let glyph = s.unicode ? step.badge.glyph : step.badge.ascii
                var line = [field(""), Span("\(step.number)  ", .dim), Span(TextWrap.pad("\(glyph) \(step.badge.word)", 12), step.badge.role),
                            Span(TextWrap.pad(step.role, roleWidth), step.isNext ? .header : .text)]
                if let who = step.approver { line.append(Span(who)) }
                if let at = step.at { line.append(Span("  \(LogFormatter.dateTime(at))", .dim)) }
                out.append(line)
            }
        }
        if let next = vm.nextRole {
            let who = vm.nextApprovers.isEmpty ? "no member holds this role" : vm.nextApprovers.joined(separator: ", ")
            out.append([field("Next"), Span(next, .header), Span("  \(who)", .dim)])
        }
        out += you(vm, s, width: width)
        out.append([])
        out.append([field("Risk"), Span(vm.risk.rawValue, vm.risk.role), Span(" · \(vm.riskSource)", .dim)])
        for piece in TextWrap.words(vm.riskReason, textWidth) { out.append([field(""), Span(piece, .dim)]) }
        out.append([])

        if let a = s.availability {
            let k = s.keymapForHints
            for (command, refusal) in [(Command.approve, a.approve), (.reject, a.reject), (.rerequest, a.rerequest)] {
                let head = [field(command == .approve ? "Keys" : ""), Span(TextWrap.pad(k.label(command), 3), .keyhintKey),
                            Span(TextWrap.pad(command == .reject ? "reject (asks why)" : command.hint, 19))]
                guard let refusal else { out.append(head + [Span("allowed", .checkSuccess)]); continue }
                let text = command == .reject && refusal == a.approve ? "refused, as approve" : "refused: \(refusal)"
                out += TextWrap.lines(head, text, .dim, width: width)
            }
            out.append([])
        }

        if !vm.events.isEmpty { out.append([Span("Approval history", .header)]) }
        for e in vm.events.suffix(50) {
            out.append([Span(String(LogFormatter.time(e.at).prefix(8)) + "  ", .logTime), Span("\(e.actor)  ", .dim), Span(e.text)])
        }
        return out
    }

    /// Whether the signed-in member can act, from the engine's own approval check.
    static func you(_ vm: ApprovalsViewModel, _ s: AppState, width: Int) -> [[Span]] {
        guard let canAct = vm.canAct else { return [[field("You"), Span(vm.note, .dim)]] }
        if canAct {
            return TextWrap.lines([field("You"), Span(s.unicode ? "✓ " : "+ ", .checkSuccess)], vm.note, .checkSuccess, width: width)
        }
        guard vm.status == .pending || vm.status == .checking else { return [[field("You"), Span("– \(vm.note)", .dim)]] }
        return TextWrap.lines([field("You"), Span(s.unicode ? "✗ " : "x ", .approvalRejected), Span("cannot act: ", .approvalRejected)],
                       vm.note, .text, width: width)
    }

    static func field(_ name: String) -> Span { Span(TextWrap.pad(name, label), .dim) }

    static func draw(_ f: inout Frame, _ s: AppState, _ r: Rect) {
        DetailView.drawLines(&f, lines(s, width: r.width), r, scroll: s.detailScroll)
    }
}
