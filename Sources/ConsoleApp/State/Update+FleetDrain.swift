import FoundationEssentials
import SwitchboardCore
import SwitchboardOps

/// Drain-and-watch in the fleet view: `W` in the fleet dialog of a drain sends it and watches every balancer's
/// sessions; `T` asks a timeout and then sends MAINT to every balancer — as one more fleet action — once all
/// of them were observed empty (or at the deadline). A reload that loses the DRAIN on one balancer stops the
/// watch and says which; a drain that did not verify everywhere is not watched.
extension ConsoleUpdate {
    /// True when the proposal is a drain the console can watch.
    static func isWatchableDrain(_ proposal: FleetProposal) -> Bool {
        !proposal.taking.isEmpty && proposal.taking.allSatisfy { $0.plan?.intent.operation == .setAdmin(.drain) }
    }

    /// Sends the fleet drain and starts watching it.
    static func sendFleetDrain(_ proposal: FleetProposal, seconds: Int, thenMaint: Bool, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        var targets: [BalancerID: [ServerRef]] = [:]
        for node in proposal.taking { targets[node.id] = node.plan?.intent.targets ?? [] }
        model.fleetDrainWatch = FleetDrainWatch(
            targets: targets, deadline: model.now.addingTimeInterval(TimeInterval(seconds)), thenMaint: thenMaint)
        return sendFleet(proposal, rollback: true, &model)
    }

    /// Edits the fleet drain's timeout; Enter starts drain-then-MAINT.
    static func fleetDrainTimeoutKey(
        _ key: Key, proposal: FleetProposal, text: String, _ model: inout ConsoleModel
    ) -> [ConsoleEffect] {
        switch key {
        case .enter:
            guard let seconds = Int(text), (1...86_400).contains(seconds) else {
                return info("give the timeout in seconds, 1–86400", &model)
            }
            return sendFleetDrain(proposal, seconds: seconds, thenMaint: true, &model)
        default:
            if let edited = TextInput.seconds.edited(text, by: key) {
                model.dialog = .fleetDrainTimeout(proposal, text: edited)
            }
        }
        return []
    }

    /// The fleet drain's result: watched from now on only if it verified on every balancer.
    static func fleetDrainStarted(_ report: FleetExecutor.Report, _ model: inout ConsoleModel) {
        guard var watch = model.fleetDrainWatch, !watch.started else { return }
        guard report.allVerified else {
            model.fleetDrainWatch = nil
            return
        }
        watch.started = true
        model.fleetDrainWatch = watch
    }

    /// A watched balancer was read.
    static func watchFleetDrain(_ id: BalancerID, _ snapshot: BalancerSnapshot, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        guard var watch = model.fleetDrainWatch, watch.started, var tracker = watch.trackers[id] else { return [] }
        let label = model.index(of: id).map { model.balancers[$0].profile.label } ?? id.rawValue
        let observation = tracker.observe(snapshot)
        watch.trackers[id] = tracker
        if let reload = observation.reload, !observation.lost.isEmpty {
            model.fleetDrainWatch = nil
            model.message = FooterMessage(
                text: "\(label): reload (pid \(reload.from) → \(reload.to)) lost the DRAIN of "
                    + observation.lost.map(\.description).joined(separator: ", ")
                    + ": they take traffic again there — drain them again"
                    + (watch.thenMaint ? "; MAINT was not sent to any balancer" : ""),
                isError: true, until: model.now.addingTimeInterval(20))
            return []
        }
        watch.remaining[id] = observation.sessions
        model.fleetDrainWatch = watch
        let timedOut = model.now >= watch.deadline
        guard watch.allEmpty || timedOut else { return [] }
        guard model.actionInFlight == nil else { return [] }  // another action first; the next read decides
        model.fleetDrainWatch = nil
        let busy = watch.trackers.keys.sorted { $0.rawValue < $1.rawValue }.compactMap { id -> String? in
            let left = watch.remaining[id] ?? -1
            guard left != 0 else { return nil }
            let name = model.index(of: id).map { model.balancers[$0].profile.label } ?? id.rawValue
            return left < 0 ? "\(name) not read" : "\(name) \(left)"
        }
        let old = watch.trackers.filter { !$0.value.oldWorkers.isEmpty }.keys.map(\.rawValue).sorted()
        if !old.isEmpty {
            return info(
                "an old worker on \(old.joined(separator: ", ")) may still serve sessions the console cannot see"
                    + (watch.thenMaint ? " — MAINT was not sent: press m when sure" : ""), &model)
        }
        guard watch.thenMaint else {
            return info(
                busy.isEmpty
                    ? "drained on \(watch.trackers.count) balancers: 0 sessions everywhere"
                    : "drain: sessions still open at the deadline — " + busy.joined(separator: ", "), &model)
        }
        var steps: [FleetStep] = []
        do {
            for (id, tracker) in watch.trackers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                guard let index = model.index(of: id), let snapshot = model.balancers[index].snapshot else { continue }
                let plan = try ActionPlanner.plan(
                    ActionIntent(targets: tracker.targets, operation: .setAdmin(.maint)), on: snapshot)
                steps.append(FleetStep(id: id, label: model.balancers[index].profile.label, plan: plan))
            }
        } catch let error as SwitchboardError {
            return failure(error, &model)
        } catch { return [] }
        let maint = "maint after drain" + (busy.isEmpty ? "" : " (deadline: " + busy.joined(separator: ", ") + ")")
        return sendSteps(steps, label: maint, &model)  // confirmed with the drain-then-MAINT
    }
}
