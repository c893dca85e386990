import ArgumentParser
import FoundationEssentials
import SwitchboardCore
import SwitchboardOps
import SwitchboardTargets

/// Failover on several balancers: each node planned on its own state, its own before-states recorded (per
/// socket), so that fail back (``FleetFailback``) restores each node to exactly what it recorded.
enum FleetFailover {
    static func failover(
        _ options: ActionOptions, picked: [BalancerTarget], backends: [String], mode: AdminMode, keep: [String]
    ) async throws {
        let store = FailoverStore(besides: ActionRunner.auditLog(options))
        try await FleetActionRunner.runPlanned(options, picked: picked) { _, snapshot in
            try FailoverPlanner.failover(
                backends: backends, mode: mode, keep: keep, disableAgents: options.disableAgent, on: snapshot)
        } afterwards: { report, plans in
            // Where the change is in place (verified, or kept after a failure), record what to restore.
            for (result, node) in zip(report.nodes, plans) where result.applied {
                for backend in backends {
                    try store.save(
                        FailoverStore.Record(
                            time: AuditRecord.timestamp(Date()), socket: node.snapshot.info.socket, backend: backend,
                            mode: mode.rawValue, before: node.plan.before.filter { $0.server.backend == backend },
                            after: (result.outcome?.after ?? []).filter { $0.server.backend == backend }))
                }
            }
            if !options.json && report.allVerified {
                print("fail back with: switchboard failback \(backends.joined(separator: " ")) (same balancers)")
            }
        }
    }
}
