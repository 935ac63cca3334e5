import Foundation
import SluiceTUI
import Testing

/// Frame snapshots: the text, then a grid of style-role codes, then the legend of codes used.
/// Stored in `Snapshots/NAME.txt`; `SLUICE_RECORD_SNAPSHOTS=1` records them again.
enum Snapshot {
    static func render(_ frame: Frame) -> String {
        var out = frame.text + "\n--- roles ---\n"
        var used = Set<Role>()
        for y in 0..<frame.height {
            var line = ""
            for x in 0..<frame.width {
                let r = frame.role(at: x, y)
                used.insert(r)
                line.append(r.code)
            }
            out += line + "\n"
        }
        out += "--- legend ---\n"
        for r in used.sorted(by: { $0.rawValue < $1.rawValue }) { out += "\(r.code) \(r.name)\n" }
        return out
    }

    static func check(_ frame: Frame, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let path = Repo.path("Tests/SluiceTUITests/Snapshots/\(name).txt")
        let actual = render(frame)
        let record = ProcessInfo.processInfo.environment["SLUICE_RECORD_SNAPSHOTS"] == "1"
        guard !record, let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
            try? actual.write(toFile: path, atomically: true, encoding: .utf8)
            if !record { Issue.record("recorded a missing snapshot \(name); run again", sourceLocation: sourceLocation) }
            return
        }
        if expected != actual {
            try? actual.write(toFile: path + ".actual", atomically: true, encoding: .utf8)
            Issue.record("frame \(name) differs from its snapshot; see \(path).actual (SLUICE_RECORD_SNAPSHOTS=1 re-records)",
                         sourceLocation: sourceLocation)
        }
    }
}
