import ArgumentParser
import FoundationEssentials
import HAProxyDriver
import SwitchboardCore
import SwitchboardOps
import SwitchboardTargets

/// One intent on several balancers from the command line (issue 10): a plan per node on its own state, one
/// preview with the fleet total, refusal before anything is sent when a node cannot take part (unless it is
/// excluded by name), then ``FleetExecutor`` — parallel or serial, all or nothing — and a result per node.
enum FleetActionRunner {
    /// Every node verified.
    static let allVerified: Int32 = 0
    /// Some node failed; the nodes that had applied were rolled back (verified).
    static let rolledBack: Int32 = 5
    /// Some node failed and the change stays where it applied (`--no-rollback`, `--max-fail`, or a rollback
    /// that failed: the table says which).
    static let partlyApplied: Int32 = 6
    /// A node could not take part (unreachable, read-only, server missing): nothing was sent anywhere.
    static let refusedBeforeSending: Int32 = 7

    /// A node ready to act on, or why it cannot.
    struct Prepared {
        var target: BalancerTarget
        var driver: HAProxyDriver?
        var snapshot: BalancerSnapshot?
        var plan: ActionPlan?
        var problem: String?
    }

    static func run(
        _ options: ActionOptions, picked: [BalancerTarget], targets: [String], operation: ActionIntent.Operation
    ) async throws {
        let refs = options.everywhere ? [] : try targets.map(ServerRef.init(parsing:))
        try await runPlanned(options, picked: picked) { _, snapshot in
            let servers =
                options.everywhere ? targets.flatMap { ActionIntent.everywhere($0, in: snapshot) } : refs
            guard !servers.isEmpty else {
                throw SwitchboardError(
                    .noSuchServer, "no server named \(targets.joined(separator: ", ")) in any backend")
            }
            let missing = servers.filter { snapshot.server($0) == nil }
            guard missing.isEmpty else {
                throw SwitchboardError(
                    .noSuchServer, "no server " + missing.map(\.description).joined(separator: ", ") + " here")
            }
            return try ActionPlanner.plan(
                ActionIntent(
                    targets: servers, operation: operation, disableAgentFirst: options.disableAgent,
                    disableChecksFirst: options.disableChecks),
                on: snapshot)
        }
    }

    /// Reads the balancers picked, plans on each with `make` (nil: nothing to do there) and carries the plans
    /// out as one fleet action.
    static func runPlanned(
        _ options: ActionOptions, picked: [BalancerTarget],
        _ make: (_ node: String, _ snapshot: BalancerSnapshot) throws -> ActionPlan?,
        afterwards: ((FleetExecutor.Report, [FleetNodePlan]) throws -> Void)? = nil
    ) async throws {
        let reached = try await connect(options, picked: picked)
        defer { close(reached) }
        let planned = reached.map { node in plan(node, options: options) { try make(node.target.name, $0) } }
        try await carryOut(planned, options: options, afterwards: afterwards)
    }

    /// Reads every balancer picked (but those excluded) at once, each with its own deadline; a node that
    /// cannot take part (read-only, unreachable, below admin, the same balancer twice) carries its problem.
    static func connect(_ options: ActionOptions, picked: [BalancerTarget]) async throws -> [Prepared] {
        let names = Set(picked.map(\.name))
        for name in options.exclude where !names.contains(name) {
            throw SwitchboardError(
                .invalidValue,
                "--exclude \(name): not one of the balancers picked (\(picked.map(\.name).joined(separator: ", "))); "
                    + "nothing was sent")
        }
        let included = picked.filter { !options.exclude.contains($0.name) }
        guard !included.isEmpty else {
            throw SwitchboardError(.invalidValue, "every balancer picked is excluded; nothing was sent")
        }
        let reached = await withTaskGroup(of: (Int, Prepared).self) { group in
            for (position, target) in included.enumerated() {
                group.addTask { (position, await read(target, options: options)) }
            }
            var all = [Prepared?](repeating: nil, count: included.count)
            for await (position, node) in group { all[position] = node }
            return all.compactMap { $0 }
        }
        return sameBalancerTwice(reached)
    }

    /// Closes the nodes' drivers.
    static func close(_ nodes: [Prepared]) {
        for node in nodes { if let driver = node.driver { Task { await driver.close() } } }
    }

    /// Plans on one node that can take part; a plan that cannot be made becomes the node's problem, a plan
    /// with nothing to send leaves the node out ("already as asked").
    static func plan(_ node: Prepared, options: ActionOptions, _ make: (BalancerSnapshot) throws -> ActionPlan?)
        -> Prepared
    {
        guard node.problem == nil, let snapshot = node.snapshot else { return node }
        var node = node
        do {
            node.plan = try make(snapshot)
        } catch let error as SwitchboardError {
            node.problem = error.message
        } catch {
            node.problem = "\(error)"
        }
        return node
    }

    /// Preview, refuse before sending when a node cannot take part, dry run, confirm, execute, report, exit.
    static func carryOut(
        _ prepared: [Prepared], options: ActionOptions,
        afterwards: ((FleetExecutor.Report, [FleetNodePlan]) throws -> Void)? = nil
    ) async throws {
        let out = Output(json: options.json)
        out.preview(prepared, excluded: options.exclude)
        let problems = prepared.filter { $0.problem != nil }
        if !problems.isEmpty {
            let list = problems.map { "\($0.target.name): \($0.problem ?? "")" }.joined(separator: "; ")
            out.refused(prepared, excluded: options.exclude)
            StandardStream.error.write(
                bytes:
                    Data(
                        ("switchboard: refused before sending — \(list). Nothing was sent to any balancer; "
                            + "leave a node out explicitly with --exclude NAME\n").utf8))
            throw ExitCode(refusedBeforeSending)
        }
        let plans = prepared.compactMap { node -> FleetNodePlan? in
            guard let driver = node.driver, let plan = node.plan, !plan.steps.isEmpty, let snapshot = node.snapshot
            else { return nil }
            return FleetNodePlan(name: node.target.name, driver: driver, plan: plan, snapshot: snapshot)
        }
        guard !plans.isEmpty else {
            if !options.json { print("nothing to send: every balancer is already as asked") }
            return
        }
        if options.dryRun {
            out.dryRun(plans, totals: fleetTotals(prepared))
            return
        }
        try confirm(plans.map(\.plan), options: options)
        let audit = ActionRunner.auditLog(options)
        ActionRunner.warnUnfinished(audit)
        let execution = FleetExecution(
            serial: options.serial, maxFail: options.maxFail, pause: .milliseconds(Int(options.pause * 1000)),
            rollback: !options.noRollback)
        let json = options.json
        let report = await FleetExecutor(audit: audit, via: "cli").run(plans, execution) { line in
            if !json { print("  " + line) }
        }
        out.report(report, plans: plans, totals: fleetTotals(prepared))
        try afterwards?(report, plans)
        if report.allVerified { return }
        if report.nodes.contains(where: \.applied) { throw ExitCode(partlyApplied) }
        if report.rolledBack { throw ExitCode(rolledBack) }
        throw ExitCode(1)  // refused everywhere: nothing applied
    }

    /// Connects to one node and reads it.
    static func read(_ target: BalancerTarget, options: ActionOptions) async -> Prepared {
        var node = Prepared(target: target)
        if target.readOnly && !options.dryRun {
            node.problem = "read_only in the targets file"
            return node
        }
        let driver = options.socket.driver(for: target)
        node.driver = driver
        do {
            let snapshot = try await driver.snapshot()
            node.snapshot = snapshot
            guard snapshot.info.level.canChangeServers || options.dryRun else {
                node.problem = "socket level \(snapshot.info.level.rawValue): actions need admin"
                return node
            }
        } catch let error as SwitchboardError {
            node.problem = (FleetExecutor.isUnreachable(error) ? "unreachable: " : "") + error.message
        } catch {
            node.problem = "\(error)"
        }
        return node
    }

    /// A balancer reached twice (its unix socket and its TCP socket, say) would get the change twice, the
    /// second time refused by its own compare-and-set: both are marked, by the worker that answered.
    static func sameBalancerTwice(_ nodes: [Prepared]) -> [Prepared] {
        var nodes = nodes
        var seen: [String: String] = [:]
        for index in nodes.indices {
            guard let info = nodes[index].snapshot?.info, nodes[index].problem == nil else { continue }
            let key = "\(info.node)/\(info.pid)"
            if let other = seen[key] {
                nodes[index].problem =
                    "the same balancer as \(other) (node \(info.node), worker pid \(info.pid)) — give it once"
            } else {
                seen[key] = nodes[index].target.name
            }
        }
        return nodes
    }

    /// `--yes` (with `--confirm BACKEND` for a backend some node would leave with no active server), or a
    /// prompt on a terminal.
    static func confirm(_ plans: [ActionPlan], options: ActionOptions) throws {
        guard let first = plans.first(where: \.reducesCapacity) else { return }
        var combined = first
        combined.impacts = plans.flatMap(\.impacts)
        try ActionRunner.confirm(combined, options: options)
    }

    /// The fleet totals (``FleetCapacity``) over every node that can take part.
    static func fleetTotals(_ nodes: [Prepared]) -> [String] {
        FleetCapacity.lines(
            nodes.compactMap { node in
                guard node.problem == nil, let snapshot = node.snapshot else { return nil }
                return FleetCapacity.Node(name: node.target.name, plan: node.plan, snapshot: snapshot)
            })
    }

    /// Human or JSON output.
    struct Output {
        let json: Bool

        func preview(_ nodes: [Prepared], excluded: [String]) {
            guard !json else { return }
            for node in nodes {
                print("== \(node.target.name)  \(node.target.address)")
                if let problem = node.problem {
                    print("  ✗ cannot take part: \(problem)")
                    continue
                }
                guard let plan = node.plan, !plan.steps.isEmpty else {
                    print("  already as asked: nothing to send here")
                    continue
                }
                for line in PlanPreview(plan).lines where line.kind != .title {
                    let prefix =
                        switch line.kind {
                        case .warning: "WARNING   "
                        case .send: "send      "
                        case .capacity: "capacity  "
                        case .sessions: "sessions  "
                        default: ""
                        }
                    print("  " + prefix + line.text)
                }
            }
            for name in excluded { print("== \(name)  excluded (--exclude): nothing is sent there") }
            for line in FleetActionRunner.fleetTotals(nodes) { print(line) }
        }

        func refused(_ nodes: [Prepared], excluded: [String]) {
            guard json else { return }
            emit(
                FleetActionDocument(
                    intentID: nil, result: "refused-before-sending", dryRun: false,
                    fleet: FleetActionRunner.fleetTotals(nodes),
                    nodes: nodes.map {
                        FleetActionDocument.Node(
                            name: $0.target.name, address: $0.target.address.description,
                            status: $0.problem == nil ? "not-sent" : "cannot-take-part", detail: $0.problem ?? "",
                            commands: $0.plan?.steps.map { RuntimeCommand(for: $0).line } ?? [])
                    }
                        + excluded.map {
                            FleetActionDocument.Node(
                                name: $0, address: "", status: "excluded", detail: "--exclude", commands: [])
                        }))
        }

        func dryRun(_ plans: [FleetNodePlan], totals: [String]) {
            if json {
                emit(
                    FleetActionDocument(
                        intentID: nil, result: "dry-run", dryRun: true, fleet: totals,
                        nodes: plans.map {
                            FleetActionDocument.Node(
                                name: $0.name, address: $0.snapshot.info.socket, status: "not-sent", detail: "dry run",
                                commands: $0.plan.steps.map { RuntimeCommand(for: $0).line })
                        }))
            } else {
                print("dry run: nothing was sent")
            }
        }

        func report(_ report: FleetExecutor.Report, plans: [FleetNodePlan], totals: [String]) {
            let result =
                report.allVerified
                ? "verified"
                : report.nodes.contains(where: \.applied)
                    ? "partly-applied" : report.rolledBack ? "rolled-back" : "refused"
            if json {
                emit(
                    FleetActionDocument(
                        intentID: report.intentID, result: result, dryRun: false,
                        fleet: totals,
                        nodes: zip(report.nodes, plans).map { result, plan in
                            FleetActionDocument.Node(
                                name: result.name, address: plan.snapshot.info.socket, status: result.status.rawValue,
                                detail: result.detail, commands: result.outcome?.exchanges.map(\.command) ?? [])
                        }))
                return
            }
            let width = max(8, report.nodes.map(\.name.count).max() ?? 0)
            print(
                "\(String(repeating: " ", count: 0))NODE".padded(to: width + 2)
                    + "RESULT")
            for node in report.nodes {
                print(
                    node.name.padded(to: width + 2)
                        + "\(FleetExecutor.symbol(node.status)) \(node.status.rawValue)"
                        + (node.detail == node.status.rawValue ? "" : ": \(node.detail)"))
            }
            switch result {
            case "verified": print("✓ every balancer verified (intent \(report.intentID))")
            case "rolled-back":
                print(
                    "✗ not applied: a balancer failed, and every balancer that had applied was rolled back (intent \(report.intentID))"
                )
            case "partly-applied":
                print(
                    "✗ PARTLY APPLIED: the change is in place on "
                        + report.nodes.filter(\.applied).map(\.name).joined(separator: ", ")
                        + " only (intent \(report.intentID))")
            default: print("✗ refused on every balancer; nothing applied (intent \(report.intentID))")
            }
        }

        private func emit(_ document: FleetActionDocument) {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            if let data = try? encoder.encode(document) { print(String(decoding: data, as: UTF8.self)) }
        }
    }
}

/// The JSON of a fleet-wide action: the intent id, the overall result, the fleet totals and a row per node.
struct FleetActionDocument: Encodable {
    /// One balancer's part.
    struct Node: Encodable {
        var name: String
        var address: String
        var status: String
        var detail: String
        var commands: [String]
    }

    var intentID: String?
    var result: String
    var dryRun: Bool
    var fleet: [String]
    var nodes: [Node]
}
