import Foundation
import SluiceEngine

/// Runs the terminal UI until the user quits: one UI thread owns the state and the terminal;
/// the engine, the scheduler and the live watcher work on their own threads and report back.
public enum TUIApp {
    /// Returns the exit status (0 on q or ctrl-c).
    public static func run(_ config: TUIConfiguration) throws -> Int32 {
        let env = config.environment
        let catalog = ThemeCatalog(environment: env)
        let (chosen, themeWarning) = catalog.choose(flag: config.themeName, environment: env)
        var theme = chosen
        let (keymap, keymapWarning) = config.keymap()
        let workspace = config.workspace
        var state = AppState(workspaceName: (workspace.home as NSString).lastPathComponent, principal: config.principal)
        state.hintKeymap = keymap
        if let w = themeWarning ?? keymapWarning { state.message = StatusMessage(text: w, isError: true) }
        state.themeNames = catalog.names
        state.signInHint = DemoWorkspace.signInHint(workspace)
        if config.principal == nil { state.dialog = .signIn(SignInDialog(hint: state.signInHint)) }
        let store = Store(state: state, reducer: Reducer(keymap: keymap), workspace: workspace)
        store.bridge.onSignIn = config.onSignIn

        // Wake-up pipe: any thread writes a byte; the UI thread polls it beside the terminal.
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw SluiceError.failure("cannot create a pipe for the UI loop") }
        let (wakeRead, wakeWrite) = (fds[0], fds[1])
        _ = fcntl(wakeRead, F_SETFL, O_NONBLOCK)
        _ = fcntl(wakeWrite, F_SETFL, O_NONBLOCK)
        defer { close(wakeRead); close(wakeWrite) }
        store.wake = { var b: UInt8 = 1; _ = write(wakeWrite, &b, 1) }

        let interrupted = AtomicFlag()
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        var signalSources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            let src = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            src.setEventHandler { interrupted.set(); store.wake?() }
            src.resume()
            signalSources.append(src)
        }
        defer { signalSources.forEach { $0.cancel() } }

        // The in-process scheduler makes a pass when the metastore changes (the watcher sees every
        // commit, this process's and others', within 0.15 s) and otherwise every 2 s, for what
        // only time brings (a scheduled task's start, an expired lease): an idle TUI stays idle.
        let scheduler = config.runScheduler
            ? try RolloutScheduler(workspace: workspace, options: .init(workers: 4, pollInterval: 2))
            : nil
        let watcher = try LiveWatcher(metastorePath: workspace.store.path) {
            store.enqueue(.workspaceChanged)
            scheduler?.poke()
        }
        // What the engine runs in this process, for the quit dialog: re-read when a run starts or ends.
        let heldQueue = DispatchQueue(label: "sluice.tui.held")
        if let scheduler {
            scheduler.setObserver { event in
                watcher.poke()
                switch event {
                case .runStarted, .runFinished:
                    heldQueue.async { if let held = try? scheduler.heldRuns() { store.enqueue(.runningChanged(held)) } }
                default: break
                }
            }
            store.bridge.onRunsQueued = { scheduler.poke() }
        }

        // ncurses learns of a resize only through SIGWINCH; whoever started us may have left it
        // blocked or ignored (a dispatch worker thread that spawned tmux does), so take it back.
        var winch = sigset_t()
        sigemptyset(&winch)
        sigaddset(&winch, SIGWINCH)
        pthread_sigmask(SIG_UNBLOCK, &winch, nil)
        signal(SIGWINCH, SIG_DFL)
        let driver = NcursesDriver(theme: theme, environment: env)
        var quit = false
        var drawn: Frame?
        /// Set once the engine is stopping (wait or cancel chosen) or its runs were released.
        var shutdownStarted = false
        var released: [HeldRun] = []
        func leaveToRunners() {
            guard let scheduler else { return }
            // Stop claiming (stop() returns once running tasks end; the process will not wait for it).
            DispatchQueue.global().async { scheduler.stop() }
            released = (try? scheduler.release()) ?? []
            shutdownStarted = true
            quit = true
        }
        store.onLocalEffect = { effect in
            switch effect {
            case .quit:
                // The last word on what runs here is the metastore's: a run claimed a moment ago counts.
                if !shutdownStarted, let held = try? scheduler?.heldRuns(), !held.isEmpty {
                    store.enqueue(.quitBlocked(held))
                } else {
                    quit = true
                }
            case .shutdown(let mode):
                guard let scheduler else { quit = true; break }
                switch mode {
                case .release:
                    leaveToRunners()
                case .wait, .cancel:
                    guard !shutdownStarted else { break }
                    shutdownStarted = true
                    DispatchQueue.global().async {
                        scheduler.stop(cancelRunning: mode == .cancel)
                        store.enqueue(.shutdownFinished)
                    }
                }
            case .setTheme(let name):
                do {
                    let t = try catalog.theme(named: name)
                    theme = t
                    driver.install(t)
                    drawn = nil
                    store.enqueue(.themeChanged(name: t.name, error: nil))
                } catch {
                    store.enqueue(.themeChanged(name: name, error: (error as? ThemeError)?.description ?? "\(error)"))
                }
            case .copy(let text): driver.copy(text)
            case let .openEditor(purpose, initial):
                driver.suspend()
                let result = ExternalEditor.edit(initial, environment: env)
                driver.resume()
                store.enqueue(.editorFinished(purpose, text: result == initial ? nil : result))
            default: break
            }
        }
        store.dispatch(.resized(driver.size))
        if config.principal != nil { store.dispatch(.workspaceChanged) }
        watcher.start()
        scheduler?.start()
        // Everything below runs with the screen active: nothing may print.
        var pollFds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        var unicode = driver.unicode
        // A tick a second refreshes what only changes outside the metastore (server sessions).
        var lastTick = Date()
        while !quit {
            // SIGINT or SIGTERM from outside: leave at once; what runs here is released to the next runner.
            if interrupted.isSet {
                if !shutdownStarted, let held = try? scheduler?.heldRuns(), !held.isEmpty { leaveToRunners() }
                break
            }
            let frame = Renderer.render(store.state.withUnicode(unicode), size: driver.size, theme: theme)
            if frame != drawn { driver.flush(frame); drawn = frame }
            for i in pollFds.indices { pollFds[i].revents = 0 }
            _ = poll(&pollFds, 2, 1000)
            if pollFds[0].revents & Int16(POLLHUP | POLLERR) != 0 && pollFds[0].revents & Int16(POLLIN) == 0 { break }
            // Read on every wake, not only when stdin is readable: a resize reaches ncurses as a
            // SIGWINCH that any thread may take, and turns into KEY_RESIZE only on the next read.
            for input in driver.readInput() {
                switch input {
                case .key(let k): store.dispatch(.key(k))
                case .mouse(let m): store.dispatch(.mouse(m))
                case .resize(let size): store.dispatch(.resized(size)); drawn = nil
                }
            }
            if pollFds[1].revents & Int16(POLLIN) != 0 {
                var buf = [UInt8](repeating: 0, count: 256)
                while read(wakeRead, &buf, buf.count) > 0 {}
            }
            store.drain()
            if Date().timeIntervalSince(lastTick) >= 1 {
                lastTick = Date()
                store.dispatch(.tick)
            }
            unicode = driver.unicode
        }
        driver.end()
        watcher.stop()
        if let scheduler, !shutdownStarted {
            // Nothing was running when quit was asked; a run claimed since must not hold the exit.
            let stopped = DispatchSemaphore(value: 0)
            DispatchQueue.global().async { scheduler.stop(); stopped.signal() }
            if stopped.wait(timeout: .now() + 2) == .timedOut { released = (try? scheduler.release()) ?? [] }
        }
        if !released.isEmpty {
            let what = Reducer.runningSummary(released).replacingOccurrences(of: " is running", with: " was running")
                .replacingOccurrences(of: " are running", with: " were running")
            FileHandle.standardError.write(Data("sluice: \(what); left to `sluice run`: released, the next runner takes it over.\n".utf8))
        }
        return 0
    }
}

extension AppState {
    func withUnicode(_ on: Bool) -> AppState {
        if unicode == on { return self }
        var s = self
        s.unicode = on
        return s
    }
}

/// A flag set from a signal handler's queue and read by the UI loop.
final class AtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Edits text in `$VISUAL`/`$EDITOR` (else vi) on a temporary file, with the terminal handed over.
enum ExternalEditor {
    static func edit(_ text: String, environment env: [String: String]) -> String? {
        let path = NSTemporaryDirectory() + "sluice-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sql"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else { return nil }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let editor = env["VISUAL"].flatMap { $0.isEmpty ? nil : $0 } ?? env["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
        let words: [String] = ["/bin/sh", "-c", "\(editor) \"$1\"", "sh", path]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawnp(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { return nil }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0, let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
