import ArgumentParser
import Foundation
import SluiceEngine

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Build a ready demo workspace.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Replace the demo workspace in this home (never a workspace `sluice demo` did not make).") var reset = false

    func run() throws {
        try runCommand {
            let home = global.resolvedHome
            _ = try DemoWorkspace.build(home: home, reset: reset)
            if global.json {
                try CommandContext(global).printJSON(["home": home, "password": DemoWorkspace.password])
                return
            }
            let h = global.home.map { " --home \($0)" } ?? ""
            print("""
            Demo workspace ready at \(home)
              environments  test (automatic) → prod (manual, protected)
              instances     sqlite-test, sqlite-prod (each a directory with database app)
              project       DEMO
              members       admin@example.com (admin), dba@example.com (dba),
                            owner@example.com (project owner), dev@example.com (developer)
              password      \(DemoWorkspace.password) for everyone
              issues        #1 rolled out to test and prod; #2 done in test, waiting for a prod rollout

            Try next:
              sluice\(h) login dba@example.com
              sluice\(h) issue show 2
              sluice\(h) rollout run 2 --stage prod
              sluice\(h) run --until-idle
              sluice\(h) db history sqlite-prod/app
            """)
        }
    }
}
