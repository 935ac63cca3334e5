import Foundation
import Testing
@testable import SluiceEngine

/// What is reviewed is what runs: a sheet with a NUL, another C0 control character or a stray
/// byte-order mark is refused at create and at edit, by either plan input, naming where; files
/// that are not UTF-8 are refused where they are read, never decoded with replacement characters.
@Suite struct SheetTextTests {
    struct Refused: CustomStringConvertible, Sendable {
        var sql: String
        var line: Int
        var column: Int
        /// The "remove the …" part of the message.
        var what: String
        var description: String { sql.debugDescription }
    }

    static let refused: [Refused] = [
        Refused(sql: "select 1;\0 drop table customers;", line: 1, column: 10, what: "NUL byte"),
        Refused(sql: "\0select 1;", line: 1, column: 1, what: "NUL byte"),
        Refused(sql: "select 1;\0", line: 1, column: 10, what: "NUL byte"),
        Refused(sql: "select 1;\nselect 2;\r\n  \0select 3;", line: 3, column: 3, what: "NUL byte"),
        Refused(sql: "select 'é😀';\0", line: 1, column: 13, what: "NUL byte"),
        Refused(sql: "\u{FEFF}\0select 1;", line: 1, column: 1, what: "NUL byte"),
        Refused(sql: "select 1;\u{07}", line: 1, column: 10, what: "control character U+0007"),
        Refused(sql: "select\u{1B}[31m 1;", line: 1, column: 7, what: "control character U+001B"),
        Refused(sql: "select 1;\n\u{0B}select 2;", line: 2, column: 1, what: "control character U+000B"),
        Refused(sql: "select 1;\r\u{08}", line: 2, column: 1, what: "control character U+0008"),
        Refused(sql: "select 1;\n-- note\u{FEFF}\nselect 2;", line: 2, column: 8, what: "byte-order mark (U+FEFF)"),
    ]

    static let accepted: [String] = [
        "select\t1;\r\nselect 2;\n",
        "select 1;\u{0C}\nselect 2;",
        "\u{FEFF}select 1;",
        "select 'é, 😀, \u{7F}';",
        "select 1;\rselect 2;",
    ]

    func expectRefusal(_ c: Refused, owner: String, _ body: () throws -> Void) {
        let error = #expect(throws: SluiceError.self, "\(c)") { try body() }
        #expect(error?.kind == .usage)
        let place = "line \(c.line), column \(c.column)"
        #expect(error?.message.hasPrefix("\(owner): the SQL holds") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("remove the \(c.what) at \(place) of \(owner)") == true, "\(c): \(error?.message ?? "")")
    }

    func documentPlan(_ t: TestWorkspace, _ sql: String) -> PlanInput {
        .document(PlanDocument(steps: [.init(title: "test", specs: [
            .init(id: "s0", changeDatabaseConfig: .init(target: "test/t0", sheet: "select 0;")),
            .init(id: "s1", changeDatabaseConfig: .init(target: "test/t0", sheet: sql)),
        ])]))
    }

    @Test(arguments: refused)
    func refusedAtCreateByEitherPlanInputAndAtEdit(_ c: Refused) throws {
        let t = try TestWorkspace()
        expectRefusal(c, owner: "spec s1") { _ = try t.ws.createIssue(by: t.dev, project: "P", title: "t", plan: documentPlan(t, c.sql)) }
        expectRefusal(c, owner: "the issue") {
            _ = try t.ws.createIssue(by: t.dev, project: "P", title: "t", plan: .targets(
                sql: c.sql, databases: [t.ref("test", 0)], labels: [:], type: .migrate, schemaVersion: nil, earliestAllowedTime: nil))
        }
        // A baseline's SQL is checked too.
        expectRefusal(c, owner: "the issue") {
            _ = try t.ws.createIssue(by: t.dev, project: "P", title: "t", plan: .targets(
                sql: c.sql, databases: [t.ref("test", 0)], labels: [:], type: .baseline, schemaVersion: "1", earliestAllowedTime: nil))
        }
        #expect(try t.ws.issues(by: t.admin).isEmpty)
        let issue = try t.ws.createIssue(by: t.dev, project: "P", title: "t", plan: documentPlan(t, "select 1;"))
        expectRefusal(c, owner: "spec s1") { _ = try t.ws.editSQL(by: t.dev, issue: issue.id, spec: "s1", sql: c.sql) }
        let detail = try t.ws.issueDetail(issue.id, by: t.admin)
        #expect(try detail.specs.map { try t.ws.sheet($0.sheetId) } == ["select 0;", "select 1;"])
    }

    @Test(arguments: accepted)
    func tabsLineBreaksFormFeedsAndALeadingBOMPass(_ sql: String) throws {
        let t = try TestWorkspace()
        let issue = try t.ws.createIssue(by: t.dev, project: "P", title: "t", plan: documentPlan(t, sql))
        let stored = try t.ws.issueDetail(issue.id, by: t.admin).specs.last.map { try t.ws.sheet($0.sheetId) }
        #expect(stored == sql)
        _ = try t.ws.editSQL(by: t.dev, issue: issue.id, spec: "s1", sql: sql + "\n")
    }

    struct BadBytes: CustomStringConvertible, Sendable {
        var bytes: [UInt8]
        var line: Int
        var column: Int
        var problem: String
        var description: String { bytes.map { String(format: "%02X", $0) }.joined(separator: " ") }
    }

    static let invalidUTF8: [BadBytes] = [
        BadBytes(bytes: Array("update flags\nset a = 1\nwhere ".utf8) + [0xC3, 0x28], line: 3, column: 7,
                 problem: "byte 0xC3 not followed by a continuation byte"),
        BadBytes(bytes: [0x80] + Array("select 1;".utf8), line: 1, column: 1, problem: "byte 0x80 is a continuation byte with no character before it"),
        BadBytes(bytes: Array("select 'é".utf8) + [0xFF], line: 1, column: 10, problem: "byte 0xFF never occurs in UTF-8"),
        BadBytes(bytes: Array("a\r\nb".utf8) + [0xE2, 0x82], line: 2, column: 2, problem: "byte 0xE2 starts a character the file ends inside"),
        BadBytes(bytes: [0xC0, 0xAF], line: 1, column: 1, problem: "byte 0xC0 never occurs in UTF-8"),
        BadBytes(bytes: [0xE0, 0x80, 0xAF], line: 1, column: 1, problem: "bytes 0xE0 0x80 are an overlong, surrogate or out-of-range encoding"),
        BadBytes(bytes: [0xED, 0xA0, 0x80], line: 1, column: 1, problem: "bytes 0xED 0xA0 are an overlong, surrogate or out-of-range encoding"),
        BadBytes(bytes: Array("😀".utf8) + [0xF4, 0x90, 0x80, 0x80], line: 1, column: 2,
                 problem: "bytes 0xF4 0x90 are an overlong, surrogate or out-of-range encoding"),
    ]

    @Test(arguments: invalidUTF8)
    func invalidUTF8IsRefusedAtItsLineAndColumn(_ c: BadBytes) {
        let error = #expect(throws: SluiceError.self) { _ = try SheetText.decode(Data(c.bytes), file: "flags.sql") }
        #expect(error?.kind == .usage)
        #expect(error?.message == "flags.sql: invalid UTF-8 at line \(c.line), column \(c.column) (\(c.problem)): save the file as UTF-8")
    }

    @Test func validUTF8DecodesUnchanged() throws {
        let text = "\u{FEFF}select 'é, 😀, 中';\r\n\0\u{10FFFF}"
        #expect(try SheetText.decode(Data(text.utf8), file: "ok.sql") == text)
    }

    /// A plan file's sheet given as a path is read as bytes; the plan file itself too.
    @Test func planFilesAndTheirSheetFilesAreReadAsUTF8() throws {
        let dir = NSTemporaryDirectory() + "sluice-sheettext-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plan = #"{"steps":[{"specs":[{"id":"s1","changeDatabaseConfig":{"target":"test/t0","sheet":"flags.sql"}}]}]}"#
        try Data(plan.utf8).write(to: URL(fileURLWithPath: dir + "/plan.json"))
        try Data(Array("select 1;\nwhere ".utf8) + [0xC3, 0x28]).write(to: URL(fileURLWithPath: dir + "/flags.sql"))
        let sheet = #expect(throws: SluiceError.self) { _ = try PlanDocument.load(path: dir + "/plan.json") }
        #expect(sheet?.message == "flags.sql: invalid UTF-8 at line 2, column 7 (byte 0xC3 not followed by a continuation byte): save the file as UTF-8")
        try Data(Array(#"{"steps":[{"title":"t"#.utf8) + [0xE9] + Array(#"st","specs":[]}]}"#.utf8))
            .write(to: URL(fileURLWithPath: dir + "/latin1.json"))
        let json = #expect(throws: SluiceError.self) { _ = try PlanDocument.load(path: dir + "/latin1.json") }
        #expect(json?.message.contains("latin1.json: invalid UTF-8 at line 1, column 22") == true, "\(json?.message ?? "")")
        // A sheet file with a NUL decodes (it is UTF-8) and is refused at create, naming the spec.
        try Data("select 1;\0 drop table customers;".utf8).write(to: URL(fileURLWithPath: dir + "/flags.sql"))
        let doc = try PlanDocument.load(path: dir + "/plan.json")
        let t = try TestWorkspace()
        let error = #expect(throws: SluiceError.self) { _ = try t.ws.createIssue(by: t.dev, project: "P", title: "t", plan: .document(doc)) }
        #expect(error?.message.contains("remove the NUL byte at line 1, column 10 of spec s1") == true, "\(error?.message ?? "")")
    }
}
