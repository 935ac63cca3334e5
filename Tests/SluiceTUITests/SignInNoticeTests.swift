import Foundation
@testable import SluiceEngine
@testable import SluiceTUI
import Testing

/// Signing in through the dialog with a password from before the 12-character minimum works,
/// and the status line asks for a change.
@Suite struct SignInNoticeTests {
    @Test func anOldShortPasswordSignsInAndTheStatusLineAsksForAChange() throws {
        let fx = try DemoFixture()
        let old = try PasswordHasher.hash("sluice", cost: .test)
        try fx.workspace.store.write { db in
            try db.execute(sql: "UPDATE member SET passwordHash = ? WHERE email = 'dev@example.com'", arguments: [old])
        }
        let dev = fx.store(as: nil)
        dev.typeText("dev@example.com")
        dev.press(.tab)
        dev.typeText("sluice")
        dev.press(.enter)
        #expect(dev.settle(until: { $0.principal?.email == "dev@example.com" }))
        let message = try #require(dev.state.message)
        #expect(message.isError)
        #expect(message.text == "signed in as dev@example.com; your password has 6 characters; passwords now need at least 12. "
                + "It still works, but please change it. (`sluice member password`)")

        // A password of today's length: no notice.
        let admin = fx.store(as: nil)
        admin.typeText("admin@example.com")
        admin.press(.tab)
        admin.typeText(DemoWorkspace.password)
        admin.press(.enter)
        #expect(admin.settle(until: { $0.principal?.email == "admin@example.com" }))
        #expect(admin.state.message == StatusMessage(text: "signed in as admin@example.com", isError: false))
    }
}
