import ArgumentParser
import FoundationEssentials
import HAProxyDriver
import SwitchboardCore
import SwitchboardOps
import SwitchboardTargets

/// `drain --wait [--then-maint]` on several balancers: the drain as one fleet action (all or nothing), then
/// every balancer watched at once until no worker there has a session left (``DrainWaiter``, per node, with
/// that node's master socket for the old workers' sessions after a reload; a reload that loses the DRAIN on a
/// node drains that node again, audited), then MAINT as one fleet action
/// only when every node was observed empty.
enum FleetDrainWait {
    static func run(
        _ options: ActionOptions, picked: [BalancerTarget], targets: [String], timeout: Int, thenMaint: Bool,
        policy: DrainWaiter.ReloadPolicy
    ) async throws {
        guard !options.everywhere else {
            throw SwitchboardError(
                .invalidValue, "drain --wait --everywhere acts on one balancer: name BACKEND/SERVER; nothing was sent")
        }
        let refs = try targets.map(ServerRef.init(parsing:))
        try await FleetActionRunner.run(options, picked: picked, targets: targets, operation: .setAdmin(.drain))
        guard !options.dryRun else { return }
        let nodes = picked.filter { !options.exclude.contains($0.name) }
        let audit = ActionRunner.auditLog(options)
        let json = options.json
        let results = await withTaskGroup(of: (String, Result<DrainWaiter.Result, any Error>).self) { group in
            for target in nodes {
                group.addTask {
                    let driver = options.socket.driver(for: target)
                    defer { Task { await driver.close() } }
                    let local = if case .unix = target.address { true } else { false }
                    let waiter = DrainWaiter(
                        driver: driver, master: DrainCommand.masterCLI(of: target, options: options.socket),
                        local: local)
                    do {
                        let result = try await waiter.wait(
                            for: refs, timeout: .seconds(timeout), onReload: policy,
                            reapply: { lost in
                                let snapshot = try await driver.snapshot()
                                let plan = try ActionPlanner.plan(
                                    ActionIntent(targets: lost, operation: .setAdmin(.drain)), on: snapshot)
                                let outcome = try await ActionExecutor(driver: driver, audit: audit, via: "cli")
                                    .execute(plan, balancer: snapshot.info)
                                if !json { print("  \(target.name)  \(outcome.summary)") }
                            },
                            report: { line in if !json { print("  \(target.name)  \(line)") } })
                        return (target.name, .success(result))
                    } catch {
                        return (target.name, .failure(error))
                    }
                }
            }
            var all: [(String, Result<DrainWaiter.Result, any Error>)] = []
            for await result in group { all.append(result) }
            return all
        }
        let notEmpty = results.compactMap { name, result -> String? in
            switch result {
            case .success(.empty): return nil
            case .success(.timedOut(let remaining)):
                return "\(name): "
                    + (remaining.map { "\($0) session(s) still open" } ?? "an old worker's sessions could not be seen")
            case .success(.drainLost(let names)):
                return "\(name): a reload lost the DRAIN of \(names.joined(separator: ", ")) (--on-reload stop)"
            case .failure(let error): return "\(name): \((error as? SwitchboardError)?.message ?? "\(error)")"
            }
        }
        guard notEmpty.isEmpty else {
            throw SwitchboardError(
                .timeout,
                "not every balancer was observed empty after \(timeout) s — " + notEmpty.joined(separator: "; ")
                    + (thenMaint ? "; MAINT was not sent anywhere" : ""))
        }
        if !json { print("drained: 0 sessions observed on every balancer") }
        guard thenMaint else { return }
        var confirmed = options
        confirmed.yes = true  // confirmed with the drain
        try await FleetActionRunner.run(confirmed, picked: picked, targets: targets, operation: .setAdmin(.maint))
    }
}
