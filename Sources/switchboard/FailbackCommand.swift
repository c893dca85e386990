import ArgumentParser
import FoundationEssentials
import HAProxyDriver
import SwitchboardCore
import SwitchboardOps

/// `switchboard failback`: restores exactly the states recorded at failover time — at once, one server at a
/// time (`--gradual`), or with the returning servers' weight brought back in steps (`--ramp`); on one
/// balancer or on several, each to its own record (``FleetFailback``).
struct FailbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failback", abstract: "Restore exactly the states recorded at failover time.")
    @Argument(help: "The backend.") var backend: String
    @Flag(name: .long, help: "One server at a time, waiting until each is UP and taking traffic.") var gradual = false
    @Option(name: .long, help: "With --gradual: seconds to wait for each server.") var stepTimeout = 30
    @Option(
        name: .long,
        help: "Also restore these servers (comma-separated) although someone changed them since the failover.")
    var include: [String] = []
    @Option(
        name: .long,
        help:
            "Bring the returning servers' weight back in steps, in % of the recorded weight, ending at 100 (e.g. 25,50,100)."
    )
    var ramp: String?
    @Option(name: .long, help: "With --ramp: seconds between two steps (1–3600).") var step: Double = 10
    @OptionGroup var options: ActionOptions

    func validate() throws {
        guard let ramp else { return }
        _ = try Ramp(parsing: ramp, step: step)
    }

    func run() async throws {
        let options = self.options, backend = self.backend
        let shape = FleetFailback.Shape(
            gradual: gradual, stepTimeout: stepTimeout, ramp: try ramp.map { try Ramp(parsing: $0, step: step) })
        let included = Set(
            try include.flatMap { $0.split(separator: ",").map(String.init) }.map { name in
                ServerID(backend: backend, name: try ObjectName(name, kind: "server").value)
            })
        try await ExitCodes.reporting {
            _ = try ObjectName(backend, kind: "backend")
            let picked = try await options.socket.resolveTargets()
            if picked.count > 1 {
                try await FleetFailback.run(options, picked: picked, backend: backend, including: included, shape)
                return
            }
            try await Self.failback(options, backend: backend, including: included, shape)
        }
    }

    /// On one balancer.
    static func failback(
        _ options: ActionOptions, backend: String, including included: Set<ServerID>, _ shape: FleetFailback.Shape
    ) async throws {
        let driver = try await options.socket.makeDriver(writes: !options.dryRun)
        defer { Task { await driver.close() } }
        var snapshot = try await driver.snapshot()
        let store = FailoverStore(besides: ActionRunner.auditLog(options))
        guard let record = try store.record(socket: snapshot.info.socket, backend: backend) else {
            throw SwitchboardError(
                .invalidValue, "no failover of \(backend) on \(snapshot.info.socket) is on record (\(store.path))")
        }
        let recorded = record.before.filter { $0.server.backend == backend }
        let returning = shape.ramp == nil ? [] : RampedReturn.returning(recorded, on: snapshot)
        let plans = try FailoverPlanner.failback(
            recorded: RampedReturn.states(record.before, returning: returning, percent: shape.firstPercent),
            backend: backend, gradual: shape.gradual, leftAs: record.after, including: included, on: snapshot)
        guard !plans.isEmpty else {
            if let kept = keptNotice(record, backend: backend, on: snapshot) {
                if !options.json { print(kept) }
                return
            }
            try store.remove(socket: snapshot.info.socket, backend: backend)
            print("\(backend) is already as recorded at failover time; record cleared")
            return
        }
        var options = options
        if shape.ramp != nil, !options.json, !returning.isEmpty {
            print("ramp: \(returning.count) server(s) return at weight \(shape.firstPercent)% of the recorded weight")
        }
        for plan in plans {
            // Each step is projected on the state the previous steps left (its own compare-and-set base).
            try await ActionRunner.execute(
                ActionPlanner.reproject(plan, on: snapshot), options: options, driver: driver, snapshot: snapshot)
            options.yes = true  // confirmed (when it had to be) at the first step
            if shape.gradual, !options.dryRun, let server = plan.intent.targets.first {
                try await waitUntilServing(server, driver: driver, timeout: shape.stepTimeout, quiet: options.json)
            }
            snapshot = try await driver.snapshot()
        }
        if let ramp = shape.ramp {
            for (previous, percent) in zip(ramp.percents, ramp.percents.dropFirst()) {
                guard try await ramp.pause(before: percent, options: options) else { continue }
                snapshot = try await driver.snapshot()
                guard
                    let plan = try RampedReturn.step(
                        recorded, returning: returning, from: previous, to: percent, label: "failback \(backend)",
                        on: snapshot)
                else { continue }
                try await ActionRunner.execute(plan, options: options, driver: driver, snapshot: snapshot)
            }
            snapshot = try await driver.snapshot()
        }
        guard !options.dryRun else { return }
        if let kept = keptNotice(record, backend: backend, on: snapshot) {
            if !options.json { print(kept) }  // what the fail back did not restore was left alone
            return
        }
        try store.remove(socket: snapshot.info.socket, backend: backend)
    }

    /// When servers of the record are still not as recorded (left alone: changed since by someone else),
    /// the line that says so and how to restore them anyway; nil when everything is restored.
    static func keptNotice(_ record: FailoverStore.Record, backend: String, on snapshot: BalancerSnapshot) -> String? {
        let leftAlone = record.before.filter { state in
            guard state.server.backend == backend, let server = snapshot.server(state.server) else { return false }
            return !ActionPlanner.dependencyChanges(from: state, to: ActionPlan.ServerState(server))
                .filter { !$0.hasPrefix("health ") }.isEmpty
        }.map(\.server)
        guard !leftAlone.isEmpty else { return nil }
        let names = leftAlone.map(\.name).joined(separator: ",")
        return
            "record kept: \(leftAlone.map(\.description).joined(separator: ", ")) changed since by someone else and left alone; "
            + "`switchboard failback \(backend) --include \(names)` restores them anyway"
    }

    /// Waits until the server is UP and has been picked by load balancing since (``ReturnWatch``); `name`
    /// prefixes the lines on a fleet.
    static func waitUntilServing(
        _ ref: ServerRef, driver: HAProxyDriver, timeout: Int, quiet: Bool, name: String? = nil
    ) async throws {
        let clock = ContinuousClock()
        let end = clock.now + .seconds(timeout)
        let prefix = name.map { "\($0): " } ?? ""
        var watch = ReturnWatch(server: ref.id)
        var last: BalancerSnapshot?
        while clock.now < end {
            let snapshot = try await driver.snapshot()
            last = snapshot
            switch watch.observe(snapshot) {
            case .reloaded(let old, let new):
                if !quiet { print("  \(prefix)reload: worker pid \(old) → \(new); waiting on the new worker") }
            case .serving:
                if !quiet { print("  \(prefix)\(ref) is UP and taking traffic") }
                return
            case .notReturning:
                if !quiet { print("  \(prefix)\(ref) is back in its recorded DRAIN/MAINT; not waiting for traffic") }
                return
            case .waiting: break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        let up = last.map { watch.isUp(in: $0) } ?? false
        if !quiet {
            print("  \(prefix)\(ref): \(up ? "UP, but no traffic seen" : "not UP") after \(timeout) s; continuing")
        }
    }
}

extension Ramp {
    /// Waits the step before `percent` (a dry run only says it would): false when nothing is to be sent.
    func pause(before percent: Int, options: ActionOptions) async throws -> Bool {
        guard !options.dryRun else {
            if !options.json { print("ramp: then weight \(percent)% after \(Self.seconds(step))") }
            return false
        }
        if !options.json { print("ramp: next step (\(percent)%) in \(Self.seconds(step))") }
        try await Task.sleep(for: .milliseconds(Int(step * 1000)))
        return true
    }
}
