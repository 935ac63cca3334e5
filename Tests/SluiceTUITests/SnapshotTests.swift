import Foundation
@testable import SluiceEngine
@testable import SluiceTUI
import Testing

/// Frames of the demo workspace at three sizes, compared with stored text and role grids.
@Suite(.serialized) struct SnapshotTests {
    /// The demo's state with every time fixed, so frames do not depend on when the test runs.
    static func state(size: Size) throws -> (AppState, DemoFixture) {
        setenv("TZ", "UTC", 1)
        tzset()
        let fixture = try DemoFixture()
        var s = fixture.store(as: DemoFixture.dba, size: size).state
        fixTimes(&s)
        return (s, fixture)
    }

    /// Fixes every time and duration the frame shows.
    static func fixTimes(_ s: inout AppState) {
        s.workspaceName = "demo"
        let fixed = Date(timeIntervalSince1970: 1_800_000_000)
        if var d = s.detail {
            for i in d.timeline.indices {
                d.timeline[i].at = fixed
                // Durations vary from run to run.
                d.timeline[i].text = d.timeline[i].text.replacingOccurrences(of: #"applied in [0-9.]+ ms"#, with: "applied in 1.0 ms", options: .regularExpression)
            }
            s.detail = d
        }
        if var checks = s.planChecks {
            for i in checks.indices {
                checks[i].checkedAt = fixed
                for j in checks[i].results.indices {
                    checks[i].results[j].content = checks[i].results[j].content.replacingOccurrences(
                        of: #"rolled back in [0-9]+ ms"#, with: "rolled back in 1 ms", options: .regularExpression)
                }
            }
            s.planChecks = checks
        }
        if var p = s.approvalProgress {
            for i in p.steps.indices where p.steps[i].at != nil { p.steps[i].at = fixed }
            s.approvalProgress = p
        }
    }

    @Test(arguments: [(80, 24), (120, 36), (200, 60)])
    func overview(width: Int, height: Int) throws {
        let (s, _) = try Self.state(size: Size(width: width, height: height))
        let frame = Renderer.render(s, size: Size(width: width, height: height))
        Snapshot.check(frame, named: "overview-\(width)x\(height)")
    }

    @Test func sqlTabHighlightsStatements() throws {
        var (s, _) = try Self.state(size: Size(width: 120, height: 36))
        _ = Reducer().reduce(&s, .key(.char("]")))
        let frame = Renderer.render(s, size: s.size)
        Snapshot.check(frame, named: "sql-120x36")
        // Keywords carry the keyword role, strings the string role.
        let row = (0..<frame.height).first { frame.rowText($0).contains("ALTER TABLE customers") }
        #expect(row != nil)
        if let row, let r = frame.rowText(row).range(of: "ALTER") {
            let col = frame.rowText(row).distance(from: frame.rowText(row).startIndex, to: r.lowerBound)
            #expect(frame.role(at: col, row) == .sqlKeyword)
        }
    }

    @Test func helpMenuAndPipelineAt120x36() throws {
        var (s, _) = try Self.state(size: Size(width: 120, height: 36))
        _ = Reducer().reduce(&s, .key(.char("3")))
        _ = Reducer().reduce(&s, .key(.char("?")))
        Snapshot.check(Renderer.render(s, size: s.size), named: "help-120x36")
    }

    @Test func stackedBelow90ColumnsAndTooSmallMessage() throws {
        let (s, _) = try Self.state(size: Size(width: 80, height: 24))
        let l = s.layout
        #expect(l.stacked)
        #expect(l.detail.width == 80 && l.issues.width == 80)
        let wide = Layout(size: Size(width: 120, height: 36))
        #expect(!wide.stacked)
        let tiny = Renderer.render(s, size: Size(width: 30, height: 8))
        #expect(tiny.text.contains("Terminal too small: 30×8"))
        // Every size from tiny to huge renders without a crash, and never cuts a wide glyph in half.
        for w in stride(from: 20, through: 220, by: 17) {
            for h in stride(from: 5, through: 70, by: 13) {
                let f = Renderer.render(s, size: Size(width: w, height: h))
                #expect(f.width == w && f.height == h)
                for y in 0..<h { for x in 0..<w where f.scalars[f.index(x, y)] == Frame.continuation {
                    #expect(x > 0 && DisplayWidth.of(Unicode.Scalar(f.scalars[f.index(x - 1, y)]) ?? " ") == 2)
                } }
            }
        }
    }

    @Test func frameClipsWideCharactersWholly() {
        var f = Frame(width: 6, height: 1)
        f.put("ab表c", x: 0, y: 0, role: .text, maxWidth: 3)
        #expect(f.rowText(0) == "ab…   ")
        f.put("表表表表", x: 0, y: 0, role: .text)
        #expect(f.rowText(0) == "表表… ")
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
    }
}
