import Foundation
import SluiceEngine

/// Owns the state on one thread: actions in (keys from that thread, results from any thread
/// through the inbox), reducer, effects out to the engine bridge.
public final class Store: @unchecked Sendable {
    public private(set) var state: AppState
    public let reducer: Reducer
    public private(set) var bridge: EngineBridge!
    private let inboxLock = NSCondition()
    private var inbox: [Action] = []
    /// Called (on any thread) when an action was queued, so the UI loop wakes.
    public var wake: (@Sendable () -> Void)?
    /// Effects the UI thread must run itself (editor, clipboard, quit).
    public var onLocalEffect: ((Effect) -> Void)?

    public init(state: AppState, reducer: Reducer, workspace: Workspace) {
        self.state = state
        self.reducer = reducer
        self.bridge = nil
        self.bridge = EngineBridge(workspace: workspace, principal: state.principal) { [weak self] action in self?.enqueue(action) }
    }

    /// Queues an action from any thread.
    public func enqueue(_ action: Action) {
        inboxLock.lock()
        inbox.append(action)
        inboxLock.signal()
        inboxLock.unlock()
        wake?()
    }

    /// Applies an action now (UI thread) and starts its effects.
    public func dispatch(_ action: Action) {
        let effects = reducer.reduce(&state, action)
        for e in effects {
            switch e {
            case .openEditor, .copy, .quit, .setTheme, .shutdown: onLocalEffect?(e)
            default: bridge.execute(e)
            }
        }
    }

    /// Applies every queued action; returns how many there were.
    @discardableResult
    public func drain() -> Int {
        inboxLock.lock()
        let actions = inbox
        inbox.removeAll()
        inboxLock.unlock()
        for a in actions { dispatch(a) }
        return actions.count
    }

    /// Waits up to `timeout` for an action to arrive.
    public func waitForActions(timeout: Double) {
        inboxLock.lock()
        if inbox.isEmpty { _ = inboxLock.wait(until: Date(timeIntervalSinceNow: timeout)) }
        inboxLock.unlock()
    }

    public var hasQueuedActions: Bool { inboxLock.lock(); defer { inboxLock.unlock() }; return !inbox.isEmpty }

    /// Headless use: applies results until the engine bridge is idle and nothing is queued.
    public func settle(timeout: Double = 10) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            drain()
            if !bridge.busy && !hasQueuedActions { return }
            waitForActions(timeout: 0.01)
        }
    }

    /// Headless use: settles until the condition holds on the state (or the timeout passes).
    @discardableResult
    public func settle(until condition: (AppState) -> Bool, timeout: Double = 20) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            drain()
            if condition(state) { return true }
            waitForActions(timeout: 0.02)
        }
        drain()
        return condition(state)
    }
}
