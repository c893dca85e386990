import SwitchboardCore

/// The pools of several balancers merged by backend and server name: what the fleet view shows. Built from
/// the balancers' last snapshots once per refresh (linear in servers × balancers), never per frame.
public struct FleetView: Hashable, Sendable {
    /// The balancers merged, in order; every per-node array below is aligned with it.
    public var nodes: [BalancerID] = []
    /// Their labels.
    public var labels: [String] = []
    /// Backends by name, in the order first seen.
    public var backends: [FleetBackend] = []
    /// Servers that differ between nodes (admin state, weight, health) or are missing on some.
    public var driftCount = 0
    /// The nodes that disagree with the majority on some server.
    public var driftingNodes: [String] = []

    /// An empty view.
    public init() {}

    /// Merges `balancers` (those without a snapshot yet count as missing everywhere).
    public init(balancers: [BalancerState]) {
        nodes = balancers.map(\.id)
        labels = balancers.map(\.profile.label)
        var backendIndex: [String: Int] = [:]
        var serverIndex: [[String: Int]] = []
        for (node, balancer) in balancers.enumerated() {
            guard let snapshot = balancer.snapshot else { continue }
            for backend in snapshot.backends {
                let b: Int
                if let known = backendIndex[backend.name] {
                    b = known
                } else {
                    b = backends.count
                    backendIndex[backend.name] = b
                    backends.append(FleetBackend(name: backend.name, nodeCount: balancers.count))
                    serverIndex.append([:])
                }
                backends[b].perNode[node] = backend
                for server in backend.servers {
                    if let s = serverIndex[b][server.name] {
                        backends[b].servers[s].perNode[node] = server
                    } else {
                        serverIndex[b][server.name] = backends[b].servers.count
                        var merged = FleetServer(backend: backend.name, name: server.name, nodeCount: balancers.count)
                        merged.perNode[node] = server
                        backends[b].servers.append(merged)
                    }
                }
            }
        }
        let answered = balancers.indices.filter { balancers[$0].snapshot != nil }
        var drifting = Set<Int>()
        for b in backends.indices {
            for s in backends[b].servers.indices {
                backends[b].servers[s].settle(answered: answered)
                let server = backends[b].servers[s]
                if !server.drift.isEmpty {
                    driftCount += 1
                    drifting.formUnion(server.outliers)
                }
            }
        }
        driftingNodes = drifting.sorted().map { labels[$0] }
    }

    /// "2 servers differ between lb1 and lb2", or nil when the nodes agree.
    public var driftSummary: String? {
        guard driftCount > 0 else { return nil }
        let servers = driftCount == 1 ? "1 server differs" : "\(driftCount) servers differ"
        if labels.count == 2 { return "\(servers) between \(labels[0]) and \(labels[1])" }
        return "\(servers) — on \(driftingNodes.joined(separator: ", "))"
    }

    /// The merged server with `id` (`backend/server`).
    public func server(id: String) -> FleetServer? {
        for backend in backends { if let server = backend.servers.first(where: { $0.id == id }) { return server } }
        return nil
    }
}

/// A backend across the balancers in view.
public struct FleetBackend: Hashable, Sendable {
    /// The name.
    public var name: String
    /// The backend on each node; nil where it does not exist.
    public var perNode: [Backend?]
    /// Its servers merged by name.
    public var servers: [FleetServer] = []

    init(name: String, nodeCount: Int) {
        self.name = name
        perNode = Array(repeating: nil, count: nodeCount)
    }

    /// Active servers serving over active servers, on every node it exists on.
    public var activeServing: (serving: Int, total: Int) {
        var serving = 0
        var total = 0
        for server in servers {
            for node in server.perNode.compactMap({ $0 }) where !node.isBackup {
                total += 1
                if node.isServing { serving += 1 }
            }
        }
        return (serving, total)
    }

    /// Active serving over active, per node (nil where the backend is missing).
    public var activeServingPerNode: [(serving: Int, total: Int)?] {
        perNode.indices.map { node in
            guard perNode[node] != nil else { return nil }
            let actives = servers.compactMap { $0.perNode[node] }.filter { !$0.isBackup }
            return (actives.filter(\.isServing).count, actives.count)
        }
    }

    /// Sessions on every node.
    public var sessions: Int { perNode.reduce(0) { $0 + ($1?.sessions ?? 0) } }
    /// New sessions per second on every node.
    public var rate: Int { perNode.reduce(0) { $0 + ($1?.rate ?? 0) } }
    /// True when the backend is missing on some node that answered.
    public var isMissingSomewhere: Bool { perNode.contains { $0 == nil } }
}

/// A server across the balancers in view.
public struct FleetServer: Hashable, Sendable {
    /// What differs between the nodes.
    public enum Drift: String, Hashable, Sendable, CaseIterable {
        /// READY / DRAIN / MAINT differ.
        case admin
        /// The current weights differ.
        case weight
        /// UP on some, DOWN on others.
        case health
        /// The server exists on some nodes only.
        case missing
    }

    /// The backend's name.
    public var backend: String
    /// The server's name.
    public var name: String
    /// The server on each node; nil where it does not exist.
    public var perNode: [Server?]
    /// What differs (empty when every node agrees).
    public private(set) var drift: Set<Drift> = []
    /// Nodes that disagree with the majority.
    public private(set) var outliers: [Int] = []

    init(backend: String, name: String, nodeCount: Int) {
        self.backend = backend
        self.name = name
        perNode = Array(repeating: nil, count: nodeCount)
    }

    /// `backend/server`, the same id as on one balancer.
    public var id: String { "\(backend)/\(name)" }

    /// The first node's server with sessions, rate, queue, 5xx and `lbtot` summed over every node: what filter
    /// and sort look at.
    public var summary: Server {
        var first = perNode.lazy.compactMap { $0 }.first!
        let present = perNode.compactMap { $0 }
        first.sessions = present.reduce(0) { $0 + $1.sessions }
        first.rate = present.reduce(0) { $0 + $1.rate }
        first.queue = present.reduce(0) { $0 + $1.queue }
        first.http5xx = present.reduce(0) { $0 + $1.http5xx }
        first.selectedTotal = present.reduce(0) { $0 + $1.selectedTotal }
        return first
    }

    /// True when the nodes agree on the state shown (admin, serving, status text).
    public var statesAgree: Bool {
        let present = perNode.compactMap { $0 }
        guard let first = present.first else { return true }
        return !perNode.contains { $0 == nil }
            && present.allSatisfy { $0.status.text == first.status.text && $0.admin.mode == first.admin.mode }
    }

    mutating func settle(answered: [Int]) {
        drift = []
        outliers = []
        var keys: [Int: String] = [:]
        for node in answered {
            guard let server = perNode[node] else {
                drift.insert(.missing)
                keys[node] = "missing"
                continue
            }
            keys[node] = "\(server.admin.mode.rawValue)|\(server.weight)|\(server.health.rawValue)"
        }
        let present = answered.compactMap { perNode[$0] }
        if let first = present.first {
            if present.contains(where: { $0.admin.mode != first.admin.mode }) { drift.insert(.admin) }
            if present.contains(where: { $0.weight != first.weight }) { drift.insert(.weight) }
            if present.contains(where: { $0.health != first.health }) { drift.insert(.health) }
        }
        guard !drift.isEmpty else { return }
        var counts: [String: Int] = [:]
        for key in keys.values { counts[key, default: 0] += 1 }
        // The majority's state; on a tie, the first node's.
        let firstKey = answered.first.flatMap { keys[$0] }
        let majority = counts.max { lhs, rhs in
            lhs.value != rhs.value ? lhs.value < rhs.value : (rhs.key == firstKey)
        }?.key
        outliers = answered.filter { keys[$0] != majority }
    }
}
