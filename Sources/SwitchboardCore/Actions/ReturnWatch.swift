/// Follows one server brought back by a gradual fail back (or a ramp step) until it takes traffic again:
/// UP and picked by load balancing since the watch began (its `lbtot` grew). The one rule the console and
/// `switchboard failback --gradual` share. A reload starts a new worker whose `lbtot` counts from 0, so the
/// baseline is taken again on it; a server the record puts back in DRAIN or MAINT takes no new traffic and
/// is not waited for.
public struct ReturnWatch: Sendable, Hashable {
    /// What one look at the balancer says.
    public enum Progress: Sendable, Hashable {
        /// Not yet serving (or first look: the baseline was taken).
        case waiting
        /// A new worker: the baseline was taken again there.
        case reloaded(from: Int, to: Int)
        /// UP and picked since the watch began.
        case serving
        /// In DRAIN or MAINT as recorded: it takes no new traffic, nothing to wait for.
        case notReturning
    }

    /// The server watched.
    public let server: ServerID
    /// The worker the baseline was taken on.
    public private(set) var pid: Int?
    /// Its `lbtot` when the watch began on that worker.
    public private(set) var baseline: Int?

    /// Watches `server`; the first ``observe(_:)`` takes the baseline.
    public init(server: ServerID) { self.server = server }

    /// One look at the balancer.
    public mutating func observe(_ snapshot: BalancerSnapshot) -> Progress {
        guard let found = snapshot.server(server) else { return .waiting }
        if found.admin.mode != .ready { return .notReturning }
        guard let baseline, let pid, pid == snapshot.info.pid, found.selectedTotal >= baseline else {
            let previous = pid
            self.pid = snapshot.info.pid
            self.baseline = found.selectedTotal
            if let previous { return .reloaded(from: previous, to: snapshot.info.pid) }
            return .waiting
        }
        return found.health == .up && found.selectedTotal > baseline ? .serving : .waiting
    }

    /// True when the server is UP (for the message after a timeout).
    public func isUp(in snapshot: BalancerSnapshot) -> Bool { snapshot.server(server)?.health == .up }
}
