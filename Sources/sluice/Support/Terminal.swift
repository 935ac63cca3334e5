import Foundation
import SluiceEngine

/// Terminal input and messages on stderr.
enum Terminal {
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 }
    static var colorOnStderr: Bool { isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil }

    static func readLine(prompt: String?) throws -> String {
        if let prompt { FileHandle.standardError.write(Data(TerminalText.block(prompt).utf8)) }
        guard let line = Swift.readLine(strippingNewline: true) else {
            throw SluiceError.usage("expected a line on standard input")
        }
        return line
    }

    /// Reads a secret without echo.
    static func readSecret(prompt: String) throws -> String {
        FileHandle.standardError.write(Data(TerminalText.block(prompt).utf8))
        var old = termios()
        tcgetattr(STDIN_FILENO, &old)
        var quiet = old
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet)
        defer {
            tcsetattr(STDIN_FILENO, TCSANOW, &old)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = Swift.readLine(strippingNewline: true) else { throw SluiceError.usage("no password given") }
        return line
    }

    /// A password from stdin (when the flag is set), an environment variable, or a prompt.
    static func password(for email: String, fromStdin: Bool, envVar: String) throws -> String {
        if fromStdin { return try readLine(prompt: nil) }
        if let p = ProcessInfo.processInfo.environment[envVar] { return p }
        if isInteractive { return try readSecret(prompt: "Password for \(email): ") }
        throw SluiceError.usage("no password for \(email)", hint: "Pass --password-stdin or set \(envVar).")
    }

    static func printError(_ e: SluiceError) {
        let label = colorOnStderr ? "\u{1b}[31merror:\u{1b}[0m" : "error:"
        var text = "\(label) \(TerminalText.block(e.message))\n"
        if let hint = e.hint { text += "\(TerminalText.block(hint))\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// A line on stderr, made safe like everything printed (`TerminalText.block`).
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.block(text) + "\n").utf8))
    }
}
