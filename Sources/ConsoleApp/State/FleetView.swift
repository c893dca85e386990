import SwitchboardCore

/// The pools of several balancers merged by backend and server name: what the fleet view shows. Built from
/// the balancers' last snapshots once per refresh (linear in servers × balancers), never per frame.
public struct FleetView: Hashable, Sendable {
    /// The balancers merged, in order; every per-node array below is aligned with it.
    public var nodes: [BalancerID] = []
    /// Their labels.
    public var labels: [String] = []
    /// Which of them have answered at least once (a node without data is unknown, not "missing").
    public var answered: [Bool] = []
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
        answered = balancers.map { $0.snapshot != nil }
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
                if node > 0, serverIndex[b].isEmpty, !backends[b].servers.isEmpty {
                    // The first node filled this backend by position: index it for nodes that differ in order.
                    for (position, server) in backends[b].servers.enumerated() {
                        serverIndex[b][server.name] = position
                    }
                }
                backends[b].perNode[node] = backend
                // Each merged server points into the node's own server array (shared, not copied): the merge costs
                // a retain per server and node, not a copy of every server.
                // Read by position, not copied out: a copy of a server retains each of its strings.
                let servers = backend.servers
                let names = servers.withUnsafeBufferPointer { $0.map(\.name) }
                for position in servers.indices {
                    let name = names[position]
                    let source = FleetServer.Source(servers: servers, index: position)
                    // Nodes usually list a backend's servers in the same order: try the same position first.
                    if position < backends[b].servers.count, backends[b].servers[position].name == name {
                        backends[b].servers[position].sources[node] = source
                    } else if let s = serverIndex[b][name] {
                        backends[b].servers[s].sources[node] = source
                    } else {
                        serverIndex[b][name] = backends[b].servers.count
                        var merged = FleetServer(backend: backend.name, name: name, nodeCount: balancers.count)
                        merged.sources[node] = source
                        backends[b].servers.append(merged)
                    }
                }
            }
        }
        let answered = balancers.indices.filter { balancers[$0].snapshot != nil }
        var drifting = Set<Int>()
        for b in backends.indices {
            backends[b].settle()
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
    public func server(id: ServerID) -> FleetServer? {
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

    /// Active servers serving over active servers, on every node it exists on (computed once per merge).
    public private(set) var activeServing: (serving: Int, total: Int) = (0, 0)

    /// Active serving over active, per node (nil where the backend is missing; computed once per merge).
    public private(set) var activeServingPerNode: [(serving: Int, total: Int)?] = []

    mutating func settle() {
        // Every server of a node's backend is merged here, so its counts come from the node's own array.
        var perNode = [(serving: Int, total: Int)?](repeating: nil, count: self.perNode.count)
        for node in perNode.indices {
            guard let servers = self.perNode[node]?.servers else { continue }
            perNode[node] = servers.withUnsafeBufferPointer { servers in  // read in place, no copies
                var count = (serving: 0, total: 0)
                for index in servers.indices where !servers[index].isBackup {
                    count.total += 1
                    if servers[index].isServing { count.serving += 1 }
                }
                return count
            }
        }
        activeServingPerNode = perNode
        activeServing = perNode.reduce((0, 0)) { ($0.0 + ($1?.serving ?? 0), $0.1 + ($1?.total ?? 0)) }
    }

    /// Equal when the name, the nodes' backends and the merged servers are.
    public static func == (lhs: FleetBackend, rhs: FleetBackend) -> Bool {
        lhs.name == rhs.name && lhs.perNode == rhs.perNode && lhs.servers == rhs.servers
    }

    /// Hashes the name and the servers.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(servers)
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
    /// Where a node's copy of the server is: the node backend's server array and a position in it.
    public struct Source: Hashable, Sendable {
        /// The node backend's servers (shared storage).
        var servers: [Server]
        /// This server's position.
        var index: Int
        /// The server.
        var server: Server { servers[index] }

        /// Equal when the servers are.
        public static func == (lhs: Source, rhs: Source) -> Bool { lhs.server == rhs.server }
        /// Hashes the position.
        public func hash(into hasher: inout Hasher) { hasher.combine(index) }
    }

    /// Where each node's copy is; nil where the server does not exist.
    var sources: [Source?]
    /// The server on each node; nil where it does not exist (a copy per call: for rows on screen).
    public var perNode: [Server?] { sources.map { $0?.server } }
    /// The server on one node.
    public func on(_ node: Int) -> Server? { sources[node]?.server }

    /// What a row shows of one node, read in place (no copy of the whole server).
    public struct Cell: Hashable, Sendable {
        /// HAProxy's status.
        public var status: ServerStatus
        /// Health.
        public var health: Health
        /// Current weight.
        public var weight: Int
        /// Current sessions.
        public var sessions: Int
        /// New sessions per second.
        public var rate: Int
        /// A backup server.
        public var isBackup: Bool
    }

    /// The row's figures on each node; nil where the server does not exist.
    public var cells: [Cell?] {
        sources.map { source in
            source.map { source in
                let servers = source.servers, index = source.index
                return Cell(
                    status: servers[index].status, health: servers[index].health, weight: servers[index].weight,
                    sessions: servers[index].sessions, rate: servers[index].rate, isBackup: servers[index].isBackup)
            }
        }
    }
    /// What differs (empty when every node agrees).
    public private(set) var drift: Set<Drift> = []
    /// Nodes that disagree with the majority.
    public private(set) var outliers: [Int] = []
    /// Nodes that answered and lack this server.
    public private(set) var missingNodes: [Int] = []

    /// True when `node` answered and has no such server (a node without data is unknown, not missing).
    public func knownMissing(_ node: Int) -> Bool { missingNodes.contains(node) }

    init(backend: String, name: String, nodeCount: Int) {
        self.backend = backend
        self.name = name
        sources = Array(repeating: nil, count: nodeCount)
    }

    /// The same id as on one balancer.
    public var id: ServerID { ServerID(backend: backend, name: name) }

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

    /// What is compared between nodes (nil: missing there).
    struct Compared: Hashable {
        var mode: AdminMode
        var weight: Int
        var health: Health
    }

    mutating func settle(answered: [Int]) {
        drift = []
        outliers = []
        missingNodes = []
        var first: Compared?
        for node in answered {
            guard let source = sources[node] else {
                drift.insert(.missing)
                missingNodes.append(node)
                continue
            }
            let compared = source.servers.withUnsafeBufferPointer { servers in
                Compared(
                    mode: servers[source.index].admin.mode, weight: servers[source.index].weight,
                    health: servers[source.index].health)
            }
            guard let reference = first else {
                first = compared
                continue
            }
            if compared.mode != reference.mode { drift.insert(.admin) }
            if compared.weight != reference.weight { drift.insert(.weight) }
            if compared.health != reference.health { drift.insert(.health) }
        }
        guard !drift.isEmpty else { return }
        var keys: [Int: Compared?] = [:]
        for node in answered {
            keys[node] = on(node).map { Compared(mode: $0.admin.mode, weight: $0.weight, health: $0.health) }
        }
        var counts: [Compared?: Int] = [:]
        for key in keys.values { counts[key, default: 0] += 1 }
        // The majority's state; on a tie, the first node's.
        let firstKey = answered.first.flatMap { keys[$0] }
        let majority = counts.max { lhs, rhs in
            lhs.value != rhs.value ? lhs.value < rhs.value : (rhs.key == firstKey)
        }?.key
        outliers = answered.filter { keys[$0] != majority }
    }
}
