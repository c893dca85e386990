/// Follows drained servers across refreshes: their sessions on the current worker, and whether a reload (a
/// new worker pid) lost their DRAIN — a reload without a server-state file forgets runtime changes. The one
/// rule behind the console's drain-and-watch and `switchboard drain --wait`; what each does about old
/// workers (count them through the master CLI, watch a local pid, or refuse to claim zero) is its own.
public struct DrainTracker: Sendable, Hashable {
    /// A worker change seen between two looks.
    public struct Reload: Sendable, Hashable {
        /// The worker before.
        public var from: Int
        /// The worker now.
        public var to: Int
    }

    /// What one look at the balancer says.
    public struct Observation: Sendable, Hashable {
        /// A new worker since the last look.
        public var reload: Reload?
        /// After that reload: the drained servers back in READY (their DRAIN was lost).
        public var lost: [ServerRef]
        /// Sessions left on the drained servers, on the current worker only.
        public var sessions: Int
    }

    /// The drained servers.
    public let targets: [ServerRef]
    /// The worker seen last.
    public private(set) var pid: Int?
    /// Workers replaced by a reload while watching: they may still serve sessions this worker cannot see.
    public private(set) var oldWorkers: Set<Int> = []

    /// Follows `targets`.
    public init(targets: [ServerRef]) { self.targets = targets }

    /// One look at the balancer.
    public mutating func observe(_ snapshot: BalancerSnapshot) -> Observation {
        var reload: Reload?
        var lost: [ServerRef] = []
        if let known = pid, known != snapshot.info.pid {
            reload = Reload(from: known, to: snapshot.info.pid)
            oldWorkers.insert(known)
            lost = targets.filter { snapshot.server($0)?.admin.mode == .ready }
        }
        pid = snapshot.info.pid
        let sessions = targets.reduce(0) { $0 + (snapshot.server($1)?.sessions ?? 0) }
        return Observation(reload: reload, lost: lost, sessions: sessions)
    }

    /// Old workers that have exited (the master CLI no longer lists them, or their pid is gone) are forgotten.
    public mutating func keepOldWorkers(_ alive: Set<Int>) { oldWorkers = oldWorkers.intersection(alive) }
}
