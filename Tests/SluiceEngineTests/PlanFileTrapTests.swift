import Foundation
import Testing
@testable import SluiceEngine

/// Plan files that would do something other than what they say: every one is refused, naming the
/// JSON path of what is wrong and what to write instead. Each is read from a real file and, when it
/// parses, planned against a real workspace, as `issue create --plan` does.
@Suite struct PlanFileTrapTests {
    /// A spec whose changeDatabaseConfig is `config`, with spec-level extra members `extra`.
    static func spec(_ config: String = #""target":"test/t0","sheet":"SELECT 1;""#, id: String = #""id":"a","#, extra: String = "") -> String {
        #"{\#(id)\#(extra)"changeDatabaseConfig":{\#(config)}}"#
    }
    static func plan(_ specs: String...) -> String { #"{"steps":[{"specs":[\#(specs.joined(separator: ","))]}]}"# }

    /// (name, plan text, fragments the refusal must hold).
    static let traps: [(String, String, [String])] = [
        // Unknown keys at every level, with the suggestion when one is close.
        ("misspelt earliestAllowedTime", plan(spec(extra: #""earliestAllowedTIme":"2099-01-01T00:00:00Z","#)),
         ["unknown key 'earliestAllowedTIme'", "steps[0].specs[0].earliestAllowedTIme", "did you mean 'earliestAllowedTime'?", "line 1"]),
        ("snake_case key", plan(spec(extra: #""earliest_allowed_time":"2099-01-01T00:00:00Z","#)),
         ["unknown key 'earliest_allowed_time'", "did you mean 'earliestAllowedTime'?"]),
        ("one letter short", plan(spec(extra: #""dependsOnSpec":["b"],"#)), ["steps[0].specs[0].dependsOnSpec", "did you mean 'dependsOnSpecs'?"]),
        ("unknown config key", plan(spec(#""target":"test/t0","sheet":"SELECT 1;","shcemaVersion":"0002""#)),
         ["steps[0].specs[0].changeDatabaseConfig.shcemaVersion", "did you mean 'schemaVersion'?"]),
        ("unknown step key", #"{"steps":[{"titel":"x","specs":[\#(spec())]}]}"#, ["steps[0].titel", "did you mean 'title'?"]),
        ("unknown top-level key", #"{"step":[],"steps":[{"specs":[\#(spec())]}]}"#, ["unknown key 'step'", "did you mean 'steps'?"]),
        ("unrelated key", plan(spec(extra: #""ghostFlags":{},"#)), ["unknown key 'ghostFlags'", "may hold only id, dependsOnSpecs"]),
        ("key given twice", plan(spec(#""target":"test/t0","sheet":"SELECT 1;","target":"prod/t0""#)), ["'target' is given twice", "line 1, column"]),
        // Label selectors that would select everything, or not what was meant.
        ("empty selector", plan(spec(#""target":"labels:","sheet":"SELECT 1;""#)),
         ["steps[0].specs[0].changeDatabaseConfig.target", "names no label, so it would select every database", "labels:KEY=VALUE"]),
        ("blank selector", plan(spec(#""target":"labels:  ","sheet":"SELECT 1;""#)), ["names no label"]),
        ("selector without key", plan(spec(#""target":"labels:=x","sheet":"SELECT 1;""#)), ["'=x' with no key before '='"]),
        ("selector without value", plan(spec(#""target":"labels:k=","sheet":"SELECT 1;""#)), ["'k=' with no value after '='"]),
        ("selector of commas", plan(spec(#""target":"labels:,","sheet":"SELECT 1;""#)), ["an empty item (a comma too many)"]),
        ("trailing comma in selector", plan(spec(#""target":"labels:tenant=t0,","sheet":"SELECT 1;""#)), ["an empty item"]),
        ("selector without =", plan(spec(#""target":"labels:tenant","sheet":"SELECT 1;""#)), ["'tenant' without '='"]),
        ("one key twice", plan(spec(#""target":"labels:tenant=a,tenant=b","sheet":"SELECT 1;""#)), ["asks for label 'tenant' twice"]),
        // Target shapes.
        ("empty target", plan(spec(#""target":"","sheet":"SELECT 1;""#)), ["steps[0].specs[0].changeDatabaseConfig.target", "is not a database name"]),
        ("three parts", plan(spec(#""target":"a/b/c","sheet":"SELECT 1;""#)), ["'a/b/c' is not a database name", "A target is INSTANCE/DB"]),
        ("unknown database", plan(spec(#""target":"test/nope","sheet":"SELECT 1;""#)), ["spec a (steps[0].specs[0].changeDatabaseConfig.target)", "unknown database test/nope"]),
        // Empty or missing parts.
        ("no steps", #"{"steps":[]}"#, ["the plan has no steps: steps is empty"]),
        ("no specs", #"{"steps":[{"title":"x","specs":[]}]}"#, ["steps[0].specs is empty"]),
        ("empty title", #"{"steps":[{"title":" ","specs":[\#(spec())]}]}"#, ["steps[0].title is empty"]),
        ("missing steps", #"{}"#, ["missing 'steps' at the top level"]),
        ("missing config", plan(#"{"id":"a"}"#), ["missing 'changeDatabaseConfig' at steps[0].specs[0]"]),
        ("missing sheet", plan(spec(#""target":"test/t0""#)), ["missing 'sheet' at steps[0].specs[0].changeDatabaseConfig"]),
        ("null target", plan(spec(#""target":null,"sheet":"SELECT 1;""#)), ["missing 'target'"]),
        ("empty sheet", plan(spec(#""target":"test/t0","sheet":"   ""#)), ["steps[0].specs[0].changeDatabaseConfig.sheet", "the SQL is empty"]),
        // Ids and dependencies.
        ("empty id", plan(spec(id: #""id":"","#)), ["steps[0].specs[0].id '' is not a valid spec id", "it is empty"]),
        ("odd id", plan(spec(id: #""id":"a\u202Eb","#)), ["steps[0].specs[0].id", "U+202E"]),
        ("duplicate ids", plan(spec(), spec()), ["spec id 'a' is used twice in the plan: at steps[0].specs[0] and at steps[0].specs[1]"]),
        ("depends on itself", plan(spec(extra: #""dependsOnSpecs":["a"],"#)), ["spec a depends on itself in steps[0].specs[0].dependsOnSpecs"]),
        ("depends on unknown", plan(spec(extra: #""dependsOnSpecs":["zz"],"#)), ["spec a depends on 'zz', which is not in step 1 (steps[0])"]),
        ("depends twice", plan(spec(id: #""id":"b","#), spec(extra: #""dependsOnSpecs":["b","b"],"#)), ["names 'b' twice in steps[0].specs[1].dependsOnSpecs"]),
        ("cycle", plan(spec(id: #""id":"b","#, extra: #""dependsOnSpecs":["a"],"#), spec(extra: #""dependsOnSpecs":["b"],"#)), ["dependsOnSpecs cycle", "steps[0]"]),
        // Times, types, versions.
        ("time without zone", plan(spec(extra: #""earliestAllowedTime":"2099-01-01T00:00:00","#)),
         ["steps[0].specs[0].earliestAllowedTime", "is not an ISO 8601 time", "2026-11-21T22:00:00Z"]),
        ("time in words", plan(spec(extra: #""earliestAllowedTime":"tomorrow","#)), ["'tomorrow' is not an ISO 8601 time"]),
        ("unknown type", plan(spec(#""target":"test/t0","sheet":"SELECT 1;","type":"MIGRATION""#)),
         ["type 'MIGRATION' at steps[0].specs[0].changeDatabaseConfig.type is not MIGRATE, DATA or BASELINE"]),
        ("empty type", plan(spec(#""target":"test/t0","sheet":"SELECT 1;","type":"""#)), ["type '' at steps[0].specs[0].changeDatabaseConfig.type"]),
        ("bad schemaVersion", plan(spec(#""target":"test/t0","sheet":"SELECT 1;","schemaVersion":"1 0""#)),
         ["steps[0].specs[0].changeDatabaseConfig.schemaVersion", "schema version '1 0' is not valid"]),
        ("empty schemaVersion", plan(spec(#""target":"test/t0","sheet":"SELECT 1;","schemaVersion":"""#)), ["schema version '' is not valid"]),
        // Wrong types.
        ("steps not an array", #"{"steps":{}}"#, ["expected an array, not an object, at steps"]),
        ("plan not an object", #"[]"#, ["a plan must be a JSON object, not an array"]),
        ("number as version", plan(spec(#""target":"test/t0","sheet":"SELECT 1;","schemaVersion":3"#)),
         ["expected a string, not a number, at steps[0].specs[0].changeDatabaseConfig.schemaVersion"]),
        ("string as dependsOnSpecs", plan(spec(extra: #""dependsOnSpecs":"b","#)), ["expected an array, not a string, at steps[0].specs[0].dependsOnSpecs"]),
        ("number in dependsOnSpecs", plan(spec(extra: #""dependsOnSpecs":[1],"#)), ["steps[0].specs[0].dependsOnSpecs[0]"]),
        // Syntax, with line and column.
        ("trailing comma", "{\"steps\":[{\"specs\":[\(spec())]},]}", ["not valid JSON", "a comma before ']'", "line 1"]),
        ("unquoted key", "{\n  steps: []\n}", ["not valid JSON", "expected a key in double quotes at line 2, column 3"]),
        ("single quotes", "{\"steps\":['x']}", ["''' cannot start a value"]),
        ("truncated", "{\"steps\":[", ["the plan ends"]),
        ("text after", #"{"steps":[]} x"#, ["unexpected text after"]),
        ("too deep", String(repeating: "[", count: 200), ["nested more than 32 levels deep"]),
        ("lone surrogate", #"{"steps":[{"title":"\ud800","specs":[]}]}"#, ["lone UTF-16 surrogate"]),
        ("raw control in string", "{\"steps\":[{\"title\":\"a\u{1B}b\",\"specs\":[]}]}", ["a control character inside a string"]),
    ]

    @Test(arguments: traps)
    func aTrapIsRefusedWithItsPath(_ name: String, _ text: String, _ fragments: [String]) throws {
        let t = try TestWorkspace()
        let path = t.dir + "/plan.json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: SluiceError.self, "\(name)") {
            let doc = try PlanDocument.load(path: path)
            _ = try t.ws.createIssue(by: t.dev, project: "P", title: name, plan: .document(doc))
        }
        for f in fragments { #expect(error.message.contains(f) || (error.hint ?? "").contains(f), "\(name): \(error.message) / \(error.hint ?? "")") }
        #expect(TerminalText.isSafeLine(error.message), "\(name): \(error.message.debugDescription)")
        #expect(try t.ws.issues(by: t.admin, project: "P", status: nil, mine: false).isEmpty, "\(name) created an issue")
    }

    /// Sheet files that are not regular files are refused before anything reads them.
    @Test(arguments: ["directory", "fifo", "device", "missing", "symlink to device"])
    func aSheetThatIsNotARegularFileIsRefused(_ kind: String) throws {
        let t = try TestWorkspace()
        let sheet = t.dir + "/s.sql"
        switch kind {
        case "directory": try FileManager.default.createDirectory(atPath: sheet, withIntermediateDirectories: true)
        case "fifo": #expect(mkfifo(sheet, 0o600) == 0)
        case "device", "symlink to device": try FileManager.default.createSymbolicLink(atPath: sheet, withDestinationPath: "/dev/zero")
        default: break
        }
        try Self.plan(Self.spec(#""target":"test/t0","sheet":"s.sql""#)).write(toFile: t.dir + "/plan.json", atomically: true, encoding: .utf8)
        let error = try #require(throws: SluiceError.self) { _ = try PlanDocument.load(path: t.dir + "/plan.json") }
        let expected = ["directory": "is a directory", "fifo": "is a FIFO", "device": "is a device", "symlink to device": "is a device", "missing": "not found"][kind] ?? "?"
        #expect(error.message.contains("sheet file s.sql (steps[0].specs[0].changeDatabaseConfig.sheet) \(expected)"), "\(error.message)")
    }

    /// A sheet path may climb out of the plan's directory (`..`): it names a file like any other.
    @Test func aSheetAboveThePlanIsRead() throws {
        let t = try TestWorkspace()
        try FileManager.default.createDirectory(atPath: t.dir + "/plans", withIntermediateDirectories: true)
        try "CREATE TABLE up(a);".write(toFile: t.dir + "/up.sql", atomically: true, encoding: .utf8)
        try Self.plan(Self.spec(#""target":"test/t0","sheet":"../up.sql""#)).write(toFile: t.dir + "/plans/plan.json", atomically: true, encoding: .utf8)
        let doc = try PlanDocument.load(path: t.dir + "/plans/plan.json")
        #expect(doc.steps[0].specs[0].changeDatabaseConfig.sheet == "CREATE TABLE up(a);")
    }

    /// A plan using every key, nulls for optional ones, and a valid label selector goes through.
    @Test func aFullPlanIsAccepted() throws {
        let t = try TestWorkspace(testTenants: 2)
        _ = try t.ws.setLabels(by: t.admin, t.ref("test", 1), ["tier": "gold"])
        let text = """
        {"steps":[{"title":"Test","specs":[
          {"id":"a","dependsOnSpecs":null,"earliestAllowedTime":"2026-11-21T23:00:00+01:00",
           "changeDatabaseConfig":{"target":"instances/test/databases/t0","sheet":"CREATE TABLE a(x);","type":"migrate","schemaVersion":"0001"}},
          {"id":"b","dependsOnSpecs":["a"],"earliestAllowedTime":null,
           "changeDatabaseConfig":{"target":"labels:tenant=t1,tier=gold","sheet":"SELECT 1;","type":"DATA","schemaVersion":null}}]}]}
        """
        try text.write(toFile: t.dir + "/plan.json", atomically: true, encoding: .utf8)
        let issue = try t.ws.createIssue(by: t.dev, project: "P", title: "ok", plan: .document(try PlanDocument.load(path: t.dir + "/plan.json")))
        let tasks = try t.tasks(issue.id)
        #expect(tasks.map(\.specId).sorted() == ["a", "b"])
        #expect(tasks.first { $0.specId == "b" }?.database == "test/t1")
    }

    /// The suggestion finds the intended key and offers nothing for an unrelated one.
    @Test(arguments: [("earliestAllowedTIme", "earliestAllowedTime"), ("EARLIESTALLOWEDTIME", "earliestAllowedTime"), ("sheets", "sheet"),
                      ("tagret", "target"), ("Id", "id"), ("typ", "type"), ("depends_on_specs", "dependsOnSpecs"), ("foo", nil), ("x", nil)] as [(String, String?)])
    func suggestions(_ key: String, _ expected: String?) {
        #expect(PlanDocument.suggestion(for: key, among: PlanDocument.specKeys + PlanDocument.configKeys) == expected)
    }
}
