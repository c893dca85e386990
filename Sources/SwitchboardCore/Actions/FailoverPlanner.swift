/// Manual failover as one previewed intent: take a backend's active servers out (DRAIN or MAINT) so
/// its `backup` servers carry the traffic, or, without backups, evacuate all but a chosen subset.
public enum FailoverPlanner {
    /// Plans a failover of `backend`. `keep` names active servers that stay in service (required when
    /// the backend has no backups).
    public static func failover(
        backend name: String, mode: AdminMode = .maint, keep: [String] = [], disableAgents: Bool = false,
        on snapshot: BalancerSnapshot
    ) throws -> ActionPlan {
        guard mode != .ready else {
            throw SwitchboardError(.invalidValue, "failover takes servers out: use drain or maint")
        }
        guard let backend = snapshot.backend(named: name) else {
            throw SwitchboardError(
                .noSuchBackend,
                "no backend '\(name)'; backends: " + snapshot.backends.map(\.name).joined(separator: ", "))
        }
        let actives = backend.activeServers
        let backups = backend.backupServers
        for kept in keep where !actives.contains(where: { $0.name == kept }) {
            throw SwitchboardError(
                .noSuchServer,
                "--keep \(kept): no active server of that name in \(name); actives: "
                    + actives.map(\.name).joined(separator: ", "))
        }
        if backups.isEmpty && keep.isEmpty {
            throw SwitchboardError(
                .unsupported,
                "\(name) has no backup servers: fail over to a subset of its servers with --keep SERVER,… (the others are evacuated)"
            )
        }
        let goingOut = actives.filter { !keep.contains($0.name) && $0.admin.mode != .maint && !($0.admin.mode == mode) }
        guard !goingOut.isEmpty else {
            throw SwitchboardError(
                .invalidValue, "every active server of \(name) is already out of service; nothing to do")
        }
        let intent = ActionIntent(
            targets: try goingOut.map { try ServerRef(backend: name, server: $0.name) }, operation: .setAdmin(mode),
            disableAgentFirst: disableAgents)
        var plan = try ActionPlanner.plan(intent, on: snapshot)
        plan.label = "failover \(name)" + (keep.isEmpty ? " to backups" : " to " + keep.joined(separator: ","))
        plan.kind = .failover
        var warnings: [String] = []
        let takingOver = keep.isEmpty ? backups : actives.filter { keep.contains($0.name) }
        let serving = takingOver.filter(\.isServing)
        for server in takingOver where !server.isServing {
            warnings.append("\(server.id) (\(keep.isEmpty ? "backup" : "kept")) is \(server.status.text), not serving")
        }
        if serving.isEmpty {
            warnings.insert("NO \(keep.isEmpty ? "backup" : "kept") server is serving: \(name) would answer 503", at: 0)
        }
        if keep.isEmpty && backups.count > 1 {
            warnings.append(
                "without `option allbackups` in its config, HAProxy sends everything to the FIRST backup only "
                    + "(\(backups[0].name)); the runtime API does not show that option — the result will tell")
        }
        plan.warnings = warnings + plan.warnings
        plan.notes = takingOver.map { server in
            "takes over: \(server.id) \(server.status.text.isEmpty ? server.health.rawValue : server.status.text), "
                + "weight \(server.weight), \(server.sessions) session(s)"
                + (server.sessionLimit.map { " of \($0)" } ?? "")
        }
        if keep.isEmpty {
            let handOver = try queueHandOver(backend, to: serving)
            plan.steps += handOver.steps
            plan.notes += handOver.notes
        }
        return plan
    }

    /// With requests queued on the backend, the steps that make the idle backups take them: each is set to MAINT
    /// and straight back to READY (one backup at a time), which makes HAProxy hand it queued requests.
    ///
    /// Measured (a real overload, `maxconn` on the servers, 96 requests queued on the backend): after the actives
    /// went to MAINT, backups that were already UP took none of the backend's queue — HAProxy 2.6 served nothing
    /// but 503s after `timeout queue` until the arrivals stopped; 3.4 gave the queue to the first backup only. A
    /// backup passing through MAINT → READY is handed the queue (as a server coming back is). With one backup
    /// the backend has no server for one round trip between the two commands.
    static func queueHandOver(_ backend: Backend, to backups: [Server]) throws -> (
        steps: [ServerAction], notes: [String]
    ) {
        guard backend.queue > 0 else { return ([], []) }
        let idle = backups.filter { $0.admin.mode == .ready && $0.sessions == 0 }
        guard !idle.isEmpty else { return ([], []) }
        var steps: [ServerAction] = []
        for server in idle {
            let ref = try ServerRef(backend: backend.name, server: server.name)
            steps += [.setAdmin(ref, .maint), .setAdmin(ref, .ready)]
        }
        let names = idle.map(\.name).joined(separator: ", ")
        return (
            steps,
            [
                "hands over the queue: \(backend.queue) request(s) wait on \(backend.name); \(names) go MAINT → READY "
                    + "at once so HAProxy gives them the queued requests (backups already UP take none of it)"
            ]
        )
    }

    /// Fails several backends over as one intent (one confirmation, one audit record, one undo).
    /// `keep` applies to every backend that has a server of that name; `orKeep` gives a keep list per backend.
    public static func failover(
        backends names: [String], mode: AdminMode = .maint, keep: [String] = [], disableAgents: Bool = false,
        on snapshot: BalancerSnapshot, orKeep perBackend: [String: [String]] = [:]
    ) throws -> ActionPlan {
        guard !names.isEmpty else { throw SwitchboardError(.invalidValue, "name at least one backend") }
        let plans = try names.map { name in
            let servers = Set(snapshot.backend(named: name)?.servers.map(\.name) ?? [])
            let kept = perBackend[name] ?? keep.filter(servers.contains)
            return try failover(backend: name, mode: mode, keep: kept, disableAgents: disableAgents, on: snapshot)
        }
        return plans.count == 1
            ? plans[0] : ActionPlan.merged(plans, label: "failover " + names.joined(separator: ", "), kind: .failover)
    }

    /// The failback plan: the states recorded at failover time, exactly (a server that was DRAIN before
    /// stays DRAIN). With `gradual`, one plan per server, in order.
    ///
    /// With `leftAs` (the states the failover left), servers changed since by anyone are left alone and
    /// listed, unless named in `including` (see ``ActionPlanner/undo(_:leftAs:including:on:)``).
    public static func failback(
        recorded: [ActionPlan.ServerState], backend: String, gradual: Bool, leftAs: [ActionPlan.ServerState]? = nil,
        including: Set<ServerID> = [], on snapshot: BalancerSnapshot
    )
        throws -> [ActionPlan]
    {
        let states = recorded.filter { $0.server.backend == backend }
        guard !states.isEmpty else {
            throw SwitchboardError(.invalidValue, "no failover of \(backend) is on record; nothing to fail back")
        }
        if gradual {
            // Plan the whole once so servers changed since are found (and named) before the first step.
            _ = try ActionPlanner.undo(states, leftAs: leftAs, including: including, on: snapshot)
        }
        let groups = gradual ? states.map { [$0] } : [states]
        return try groups.compactMap { group in
            let plan: ActionPlan
            do {
                plan = try ActionPlanner.undo(group, leftAs: leftAs, including: including, on: snapshot)
            } catch let error as SwitchboardError where gradual && error.code == .invalidValue {
                return nil  // this one server was changed since: left alone
            }
            var labelled = plan
            guard !labelled.steps.isEmpty else { return nil }
            labelled.label = "failback \(backend)" + (gradual ? " (\(group[0].server))" : "")
            labelled.kind = .failback
            return labelled
        }
    }

    /// After a failover to backups: which backups actually take traffic. HAProxy reports, on the BACKEND row,
    /// the weight of the servers in use; without `option allbackups` that is the first serving backup's
    /// weight alone (measured: 100 without, 200 with two backups of 100). Nil when the backend is not
    /// running on backups or the answer is ambiguous.
    public static func backupsInUse(_ backend: Backend) -> [Server]? {
        guard backend.runsOnBackups else { return nil }
        let serving = backend.backupServers.filter(\.isServing)
        guard serving.count > 1, let first = serving.first else { return serving.isEmpty ? nil : serving }
        let all = serving.reduce(0) { $0 + $1.effectiveWeight }
        if backend.effectiveWeight == all { return serving }
        if backend.effectiveWeight == first.effectiveWeight && all != first.effectiveWeight { return [first] }
        return nil
    }
}
