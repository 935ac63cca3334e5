/// Where each pane goes for a screen size: side by side from 90 columns, stacked below. A
/// stacked screen under 40 rows is compact: one list slot shows the focused list pane (the
/// Issues when the detail has focus) and the selected issue's detail takes the rest, so it
/// stays readable at 80×24 and at 40×12; the panes not shown have empty rectangles.
public struct Layout: Equatable, Sendable {
    public static let minWidth = 40
    public static let minHeight = 12
    public static let stackBelow = 90
    public static let compactBelow = 40

    public var size: Size
    public var projects: Rect
    public var issues: Rect
    public var pipeline: Rect
    public var detail: Rect
    public var statusBar: Rect
    public var stacked: Bool
    public var tooSmall: Bool
    /// The list pane shown in a compact layout's one list slot (nil: every pane is shown).
    public var slot: Pane?

    public init(size: Size, projectCount: Int = 1, focus: Pane = .issues) {
        self.size = size
        tooSmall = size.width < Layout.minWidth || size.height < Layout.minHeight
        stacked = size.width < Layout.stackBelow
        let h = max(0, size.height - 1)
        statusBar = Rect(x: 0, y: h, width: size.width, height: 1)
        let projectRows = min(max(1, projectCount), 3) + 2
        let none = Rect(x: 0, y: 0, width: 0, height: 0)
        if stacked && size.height < Layout.compactBelow {
            let shown: Pane = focus == .detail ? .issues : focus
            let listH = max(3, min(8, h * 3 / 10))
            let list = Rect(x: 0, y: 0, width: size.width, height: listH)
            slot = shown
            projects = shown == .projects ? list : none
            issues = shown == .issues ? list : none
            pipeline = shown == .pipeline ? list : none
            detail = Rect(x: 0, y: listH, width: size.width, height: max(0, h - listH))
        } else if stacked {
            let rest = max(0, h - projectRows)
            let issuesH = max(4, rest * 3 / 10)
            let pipeH = max(4, rest / 4)
            projects = Rect(x: 0, y: 0, width: size.width, height: projectRows)
            issues = Rect(x: 0, y: projectRows, width: size.width, height: issuesH)
            pipeline = Rect(x: 0, y: projectRows + issuesH, width: size.width, height: pipeH)
            let dy = projectRows + issuesH + pipeH
            detail = Rect(x: 0, y: dy, width: size.width, height: max(0, h - dy))
        } else {
            let leftW = min(44, max(28, size.width * 3 / 10))
            let rest = max(0, h - projectRows)
            let issuesH = rest * 55 / 100
            projects = Rect(x: 0, y: 0, width: leftW, height: projectRows)
            issues = Rect(x: 0, y: projectRows, width: leftW, height: issuesH)
            pipeline = Rect(x: 0, y: projectRows + issuesH, width: leftW, height: max(0, h - projectRows - issuesH))
            detail = Rect(x: leftW, y: 0, width: size.width - leftW, height: h)
        }
    }

    public func rect(for pane: Pane) -> Rect {
        switch pane {
        case .projects: projects
        case .issues: issues
        case .pipeline: pipeline
        case .detail: detail
        }
    }

    /// The pane under a point, for mouse clicks.
    public func pane(at x: Int, _ y: Int) -> Pane? {
        for p in [Pane.projects, .issues, .pipeline, .detail] where rect(for: p).contains(x, y) { return p }
        return nil
    }
}
