import FoundationEssentials
import Glibc
import SwitchboardCore

/// Waits until drained servers have no session left on *every* worker that may serve them, following
/// reloads: a new worker (pid change) is checked for the DRAIN (a reload without a server-state file
/// forgets it), and the old worker's sessions are counted through the master CLI, or — for a local
/// socket — the old worker is watched until it exits. Zero is claimed only when it was observed.
public struct DrainWaiter: Sendable {
    /// What to do when a reload lost the DRAIN.
    public enum ReloadPolicy: String, Sendable, CaseIterable {
        /// Drain again on the new worker (audited like any action).
        case reapply
        /// Stop waiting with a clear message.
        case stop
    }

    /// How the wait ended.
    public enum Result: Sendable, Equatable {
        /// No session left on any worker: observed.
        case empty
        /// Sessions remain at the deadline (a count, or nil when an old worker's could not be seen).
        case timedOut(remaining: Int?)
        /// A reload lost the DRAIN and the policy is `stop`.
        case drainLost([String])
    }

    /// The current worker.
    public let driver: any BalancerDriver
    /// The master CLI, to count sessions on old workers; nil when not configured.
    public let master: MasterSessions?
    /// True when the balancer runs on this machine (a unix socket): an old worker's pid can be watched.
    public let local: Bool

    /// Reads sessions of old workers (the master CLI); a protocol so tests of the logic need no master.
    public protocol MasterSessions: Sendable {
        /// Old worker pid → sessions of `server` there.
        func oldWorkerSessions(_ server: ServerRef) async throws -> [Int: Int]
    }

    /// Makes a waiter.
    public init(driver: any BalancerDriver, master: MasterSessions?, local: Bool) {
        self.driver = driver
        self.master = master
        self.local = local
    }

    /// Polls every `interval` until the targets are empty everywhere, the deadline passes, or a reload lost
    /// the DRAIN under `.stop`. `reapply` is called with the servers a reload put back to ready (under
    /// `.reapply`); `report` gets one progress line per poll.
    public func wait(
        for targets: [ServerRef], timeout: Duration, interval: Duration = .seconds(1), onReload policy: ReloadPolicy,
        reapply: @Sendable ([ServerRef]) async throws -> Void, report: @Sendable (String) -> Void
    ) async throws -> Result {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        var tracker = DrainTracker(targets: targets)
        var remaining: Int? = nil
        while true {
            let observation = tracker.observe(try await driver.snapshot())
            if let reload = observation.reload {
                report("reload: worker pid \(reload.from) → \(reload.to)")
                if !observation.lost.isEmpty {
                    let names = observation.lost.map(\.description)
                    report("the reload lost the DRAIN of \(names.joined(separator: ", ")) (no server-state file?)")
                    guard policy == .reapply else { return .drainLost(names) }
                    try await reapply(observation.lost)
                    continue
                }
            }
            var parts = ["\(observation.sessions) session(s) left"]
            var old: Int? = 0
            if !tracker.oldWorkers.isEmpty {
                let (count, line) = try await oldWorkers(&tracker, targets: targets)
                old = count
                parts.append(line)
            }
            report("waiting: " + parts.joined(separator: "; "))
            remaining = old.map { $0 + observation.sessions }
            if remaining == 0 { return .empty }
            if clock.now >= end { return .timedOut(remaining: remaining) }
            try await Task.sleep(for: interval)
        }
    }

    /// Sessions on old workers still alive (nil when some cannot be seen), and a line saying so.
    private func oldWorkers(_ tracker: inout DrainTracker, targets: [ServerRef]) async throws -> (Int?, String) {
        let pids = tracker.oldWorkers
        if let master {
            var total = 0
            var alive: Set<Int> = []
            for target in targets {
                for (pid, sessions) in try await master.oldWorkerSessions(target) where pids.contains(pid) {
                    alive.insert(pid)
                    total += sessions
                }
            }
            tracker.keepOldWorkers(alive)  // a pid the master no longer lists has exited: its sessions are gone
            return (total, alive.isEmpty ? "old workers done" : "\(total) on old worker(s) \(Self.list(alive))")
        }
        if local {
            tracker.keepOldWorkers(pids.filter { kill(pid_t($0), 0) == 0 || errno == EPERM })
            if tracker.oldWorkers.isEmpty { return (0, "old worker exited") }
            return (
                nil,
                "old worker(s) \(Self.list(tracker.oldWorkers)) still running: their sessions cannot be counted without "
                    + "--master-socket; not claiming 0"
            )
        }
        return (
            nil,
            "old worker(s) \(Self.list(pids)) cannot be seen from here: pass --master-socket to count their "
                + "sessions; not claiming 0"
        )
    }

    private static func list(_ pids: Set<Int>) -> String { pids.sorted().map(String.init).joined(separator: ", ") }
}
