import Foundation

/// A file a person names as input (a plan, a sheet, a settings file): read only when it is a regular
/// file of sensible size. A directory, a FIFO or a device (`/dev/zero`, `/dev/stdin`, a symlink to
/// one) is refused before anything reads it, so no input can hang Sluice or fill its memory.
public enum InputFile {
    /// Larger than any SQL or plan a person reviews.
    public static let maxBytes = 64 << 20

    /// Refuses what is not a readable regular file of at most `maxBytes` (symbolic links followed).
    /// `what` names the file in refusals: "plan file p.json", "sheet file a.sql (spec s1)".
    public static func check(_ path: String, what: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw SluiceError.notFound("\(what) not found", hint: "Check the path; a relative sheet path is read beside the plan file.")
        }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            let kind = type == S_IFDIR ? "a directory" : type == S_IFIFO ? "a FIFO" : type == S_IFCHR || type == S_IFBLK ? "a device" : "not a regular file"
            throw SluiceError.usage("\(what) is \(kind), not a file", hint: "Name a regular file holding the text.")
        }
        guard Int64(info.st_size) <= Int64(maxBytes) else {
            throw SluiceError.usage("\(what) has \(info.st_size) bytes, more than the \(maxBytes >> 20) MiB Sluice reads",
                                    hint: "Split the change into several sheets or issues.")
        }
        guard access(path, R_OK) == 0 else {
            throw SluiceError.failure("\(what) cannot be read", hint: "Check the file's permissions.")
        }
    }

    /// `check`, then the text as UTF-8 (`SheetText.read`).
    public static func read(_ path: String, what: String, name: String) throws -> String {
        try check(path, what: what)
        return try SheetText.read(file: path, name: name)
    }
}
