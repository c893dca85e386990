import ArgumentParser
import FoundationEssentials
import HAProxyDriver
import SwitchboardCore
import SwitchboardOps
import SwitchboardTargets

/// Fail back on several balancers, each to exactly what it recorded at failover time (a node where a server
/// was in DRAIN before gets it back in DRAIN, the others READY): at once; `--gradual`, one server per
/// balancer per step, every balancer's server waited for (UP and taking traffic) before the next; `--ramp`,
/// the returning servers' weights brought up in steps on every balancer. Each step is one fleet action —
/// previewed, all or nothing, verified per node, audited — and a failed step stops the fail back there,
/// the records kept for another try.
enum FleetFailback {
    /// How the fail back returns the servers.
    struct Shape {
        /// One server at a time.
        var gradual = false
        /// With `gradual`: seconds to wait for each server.
        var stepTimeout = 30
        /// Weights in steps.
        var ramp: Ramp?

        /// The weight the returning servers come back at first, in % of the recorded weight.
        var firstPercent: Int { ramp?.percents[0] ?? 100 }
    }

    static func run(
        _ options: ActionOptions, picked: [BalancerTarget], backend: String, including: Set<ServerID>, _ shape: Shape
    ) async throws {
        let store = FailoverStore(besides: ActionRunner.auditLog(options))
        var options = options
        var records: [String: FailoverStore.Record] = [:]
        var returning: [String: Set<ServerID>] = [:]  // per balancer, fixed at the first step
        var queues: [String: [ActionPlan]] = [:]  // per balancer, the fail back's steps still to send
        do {
            var round = 0
            repeat {
                round += 1
                var waits: [(node: String, server: ServerRef)] = []
                if shape.gradual && !options.json && round > 1 {
                    print("fail back \(backend), step \(round): the next server on each balancer")
                }
                try await FleetActionRunner.runPlanned(options, picked: picked) { name, snapshot in
                    if round == 1 {
                        guard let record = try store.record(socket: snapshot.info.socket, backend: backend) else {
                            if !options.json { print("\(name): no failover of \(backend) on record") }
                            return nil
                        }
                        records[name] = record
                        let recorded = record.before.filter { $0.server.backend == backend }
                        let ramping = shape.ramp == nil ? [] : RampedReturn.returning(recorded, on: snapshot)
                        returning[name] = ramping
                        queues[name] = try FailoverPlanner.failback(
                            recorded: RampedReturn.states(
                                record.before, returning: ramping, percent: shape.firstPercent),
                            backend: backend, gradual: shape.gradual, leftAs: record.after, including: including,
                            on: snapshot)
                    }
                    guard var queue = queues[name], !queue.isEmpty else { return nil }
                    // Projected on what the earlier steps left: its own compare-and-set base.
                    let plan = ActionPlanner.reproject(queue.removeFirst(), on: snapshot)
                    queues[name] = queue
                    if shape.gradual, let server = plan.intent.targets.first { waits.append((name, server)) }
                    return plan
                }
                options.yes = true  // confirmed (when it had to be) at the first step
                if !options.dryRun && !waits.isEmpty { await waitUntilServing(waits, picked: picked, options, shape) }
            } while queues.values.contains { !$0.isEmpty }
            if let ramp = shape.ramp, returning.values.contains(where: { !$0.isEmpty }) {
                for (previous, percent) in zip(ramp.percents, ramp.percents.dropFirst()) {
                    guard try await ramp.pause(before: percent, options: options) else { continue }
                    try await FleetActionRunner.runPlanned(options, picked: picked) { name, snapshot in
                        guard let record = records[name] else { return nil }
                        return try RampedReturn.step(
                            record.before.filter { $0.server.backend == backend }, returning: returning[name] ?? [],
                            from: previous, to: percent, label: "failback \(backend)", on: snapshot)
                    }
                }
            }
        } catch let exit as ExitCode {
            // A step failed: the balancers already restored forget their record, the others keep it.
            if !options.dryRun {
                try? await clearRestored(records, backend: backend, store: store, picked: picked, options)
            }
            throw exit
        }
        guard !options.dryRun else { return }
        try await clearRestored(records, backend: backend, store: store, picked: picked, options)
    }

    /// Every balancer's server of this step, watched at once, each with the step's timeout.
    static func waitUntilServing(
        _ waits: [(node: String, server: ServerRef)], picked: [BalancerTarget], _ options: ActionOptions,
        _ shape: Shape
    ) async {
        await withTaskGroup(of: Void.self) { group in
            for wait in waits {
                guard let target = picked.first(where: { $0.name == wait.node }) else { continue }
                let driver = options.socket.driver(for: target)
                let json = options.json, timeout = shape.stepTimeout
                group.addTask {
                    defer { Task { await driver.close() } }
                    do {
                        try await FailbackCommand.waitUntilServing(
                            wait.server, driver: driver, timeout: timeout, quiet: json, name: wait.node)
                    } catch {
                        if !json { print("  \(wait.node): could not watch \(wait.server): \(error)") }
                    }
                }
            }
        }
    }

    /// After the last step: each balancer whose backend is as recorded forgets its record; one where
    /// servers were left alone (changed since by someone else) keeps it and says how to finish.
    static func clearRestored(
        _ records: [String: FailoverStore.Record], backend: String, store: FailoverStore, picked: [BalancerTarget],
        _ options: ActionOptions
    ) async throws {
        let reached = try await FleetActionRunner.connect(options, picked: picked)
        defer { FleetActionRunner.close(reached) }
        for node in reached {
            guard let record = records[node.target.name], let snapshot = node.snapshot else { continue }
            if let kept = FailbackCommand.keptNotice(record, backend: backend, on: snapshot) {
                if !options.json { print("\(node.target.name): \(kept)") }
            } else {
                try store.remove(socket: snapshot.info.socket, backend: backend)
            }
        }
    }
}
