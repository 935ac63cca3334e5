import Foundation
import GRDB
import SluiceEngine

/// Notices any commit to the metastore (another process, or this process's engine) by polling
/// `PRAGMA data_version` on a connection of its own, and reports it at most every `interval`.
public final class LiveWatcher: @unchecked Sendable {
    private let queue: DatabaseQueue
    private let interval: Double
    private let onChange: @Sendable () -> Void
    private let lock = NSLock()
    private var timer: (any DispatchSourceTimer)?
    private var lastVersion: Int?
    private let thread = DispatchQueue(label: "sluice.tui.watcher")

    public init(metastorePath: String, interval: Double = 0.15, onChange: @escaping @Sendable () -> Void) throws {
        var config = Configuration()
        config.readonly = true
        config.label = "sluice-tui-watcher"
        queue = try DatabaseQueue(path: metastorePath, configuration: config)
        self.interval = interval
        self.onChange = onChange
    }

    public func start() {
        let t = DispatchSource.makeTimerSource(queue: thread)
        t.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(20))
        t.setEventHandler { [weak self] in self?.check() }
        lock.withLock { timer = t }
        t.resume()
    }

    public func stop() {
        lock.withLock { timer?.cancel(); timer = nil }
    }

    /// Checks now (the in-process scheduler calls this when it finishes a run).
    public func poke() { thread.async { [weak self] in self?.check() } }

    private func check() {
        guard let version = try? queue.read({ db in try Int.fetchOne(db, sql: "PRAGMA data_version") }) ?? nil else { return }
        let changed: Bool = lock.withLock {
            defer { lastVersion = version }
            return lastVersion != nil && lastVersion != version
        }
        if changed { onChange() }
    }
}
