import ArgumentParser
import FoundationEssentials
import HAProxyDriver
import SwitchboardCore
import SwitchboardOps

/// `switchboard failover`.
struct FailoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failover",
        abstract: "Take a backend's active servers out so its backups carry the traffic (or keep a subset).",
        discussion: "The states before are recorded; `switchboard failback BACKEND` restores exactly them.")
    @Argument(help: "The backend (several: one intent, one confirmation, one audit record).") var backends: [String]
    @Option(name: .long, help: "drain (sessions finish) or maint.") var mode: String = "maint"
    @Option(
        name: .long, parsing: .upToNextOption, help: "Active servers to keep in service (comma-separated or repeated).")
    var keep: [String] = []
    @OptionGroup var options: ActionOptions

    func run() async throws {
        let options = self.options, backends = self.backends
        let keep = self.keep.flatMap { $0.split(separator: ",").map(String.init) }
        try await ExitCodes.reporting {
            for backend in backends { _ = try ObjectName(backend, kind: "backend") }
            for name in keep { _ = try ObjectName(name, kind: "server") }
            guard let mode = AdminMode(rawValue: mode), mode != .ready else {
                throw SwitchboardError(.invalidValue, "--mode takes drain or maint")
            }
            let picked = try await options.socket.resolveTargets()
            if picked.count > 1 {
                try await FleetFailover.failover(options, picked: picked, backends: backends, mode: mode, keep: keep)
                return
            }
            let driver = try await options.socket.makeDriver(writes: !options.dryRun)
            defer { Task { await driver.close() } }
            let snapshot = try await driver.snapshot()
            let plan = try FailoverPlanner.failover(
                backends: backends, mode: mode, keep: keep, disableAgents: options.disableAgent, on: snapshot)
            let store = FailoverStore(besides: ActionRunner.auditLog(options))
            let records = backends.map { backend in
                FailoverStore.Record(
                    time: AuditRecord.timestamp(Date()), socket: snapshot.info.socket, backend: backend,
                    mode: mode.rawValue,
                    before: plan.before.filter { $0.server.backend == backend })
            }
            try await ActionRunner.execute(
                plan, options: options, driver: driver, snapshot: snapshot,
                afterwards: { driver, outcome, _ in
                    for var record in records {
                        record.after = outcome.after.filter { $0.server.backend == record.backend }
                        try store.save(record)
                    }
                    let after = try await driver.snapshot()
                    for backend in backends {
                        guard let state = after.backend(named: backend), !options.json else { continue }
                        let users =
                            keep.isEmpty ? state.backupServers : state.activeServers.filter { keep.contains($0.name) }
                        print(
                            "\(backend): \(state.activeUp) active, \(state.backupUp) backup serving — now on "
                                + users.filter(\.isServing).map(\.name).joined(separator: ", "))
                        if keep.isEmpty, let used = FailoverPlanner.backupsInUse(state),
                            used.count == 1, state.backupServers.filter(\.isServing).count > 1
                        {
                            print(
                                "WARNING   only \(used[0].name) takes the traffic: \(backend) has no `option allbackups` "
                                    + "(HAProxy's BACKEND weight is \(state.effectiveWeight), the first backup's alone)"
                            )
                        }
                        print("fail back with: switchboard failback \(backend)")
                    }
                },
                onFailure: { outcome in
                    // Part applied: keep what to restore.
                    if !outcome.exchanges.isEmpty {
                        for var record in records {
                            record.after = outcome.after.filter { $0.server.backend == record.backend }
                            try store.save(record)
                        }
                    }
                })
        }
    }
}

/// `switchboard redistribute`.
struct RedistributeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redistribute", abstract: "Spread a backend's traffic: new weights, previewed, verified, audited.")
    @Argument(help: "The backend.") var backend: String
    @Option(name: .long, help: "Even split across these servers (comma-separated), or `all` for every serving active.")
    var even: String?
    @Flag(name: .long, help: "Weights proportional to maxconn (or the initial weight).") var byCapacity = false
    @Option(name: .long, help: "Shed load from servers above this load (0–1): weights inverse to their load.") var shed:
        Double?
    @Option(name: .long, help: "Move this percent of the backend's traffic…") var move: Int?
    @Option(name: .long, parsing: .upToNextOption, help: "…from these servers…") var from: [String] = []
    @Option(name: .long, parsing: .upToNextOption, help: "…to these servers.") var to: [String] = []
    @OptionGroup var options: ActionOptions

    func validate() throws {
        let chosen = [even != nil, byCapacity, shed != nil, move != nil].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("choose one of --even, --by-capacity, --shed, --move") }
    }

    func run() async throws {
        let split = { (names: [String]) in names.flatMap { $0.split(separator: ",").map(String.init) } }
        let strategy: RedistributionPlanner.Strategy =
            if let even { .even(even == "all" ? [] : split([even])) } else if byCapacity {
                .byCapacity
            } else if let shed { .shed(targetLoad: shed) } else {
                .move(percent: move ?? 0, from: split(from), to: split(to))
            }
        let options = self.options, backend = self.backend
        try await ExitCodes.reporting {
            _ = try ObjectName(backend, kind: "backend")
            let picked = try await options.socket.resolveTargets()
            if picked.count > 1 {
                // Each balancer's weights are planned on its own servers and load: one intent, every node.
                try await FleetActionRunner.runPlanned(options, picked: picked) { _, snapshot in
                    do {
                        return try RedistributionPlanner.plan(strategy, backend: backend, on: snapshot).actions
                    } catch let error as SwitchboardError where error.code == .alreadyAsAsked {
                        return nil  // this node already has the planned weights
                    }
                }
                return
            }
            let driver = try await options.socket.makeDriver(writes: !options.dryRun)
            defer { Task { await driver.close() } }
            let snapshot = try await driver.snapshot()
            let plan = try RedistributionPlanner.plan(strategy, backend: backend, on: snapshot)
            let table =
                ["  server        weight          share"]
                + plan.rows.map { row in
                    "  \(row.server.padded(to: 12))  \(row.weightBefore) → \(row.weightAfter)"
                        .padded(to: 32)
                        + String(printf: "%5.1f%% → %5.1f%%", row.shareBefore * 100, row.shareAfter * 100)
                }
            try await ActionRunner.execute(
                plan.actions, options: options, driver: driver, snapshot: snapshot, preview: table,
                onFailure: { outcome in
                    // Roll back the part that applied, with the same verification and audit.
                    let executor = ActionExecutor(driver: driver, audit: ActionRunner.auditLog(options), via: "cli")
                    if let rollback = try await executor.rollback(outcome, balancer: snapshot.info), !options.json {
                        print("partial failure: rolled back what had applied — \(rollback.summary)")
                    }
                })
        }
    }
}
