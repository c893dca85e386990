import FoundationEssentials
import SwitchboardCore
import SwitchboardOps

/// Fleet-wide actions in the fleet view: one intent planned on every balancer in focus, previewed per node
/// with the fleet totals, run all or nothing (or "keep partial"), and the per-node result shown.
extension ConsoleUpdate {
    /// Actions that act on one balancer only so far; refused in the fleet view with the way to focus one.
    static func fleetUnsupported(_ action: Action, _ model: ConsoleModel) -> String? {
        guard model.isFleetView else { return nil }
        switch action {
        case .markEverywhere:
            return "\(action.rawValue) acts on one balancer so far — press "
                + "\(model.keymap.keys(for: .focus).first?.description ?? "b") or type :target NAME to focus one"
        default: return nil
        }
    }

    /// Opens the fleet dialog for `intent` on every balancer in focus.
    static func proposeFleet(_ intent: ActionIntent, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        open(FleetProposal.make(intent, label: intent.operation.verb, in: model), &model)
    }

    /// Keys in the fleet dialog: `x` leaves out the balancers that cannot take part, `y`/Enter runs all or
    /// nothing, `k` runs keeping what applies even if a balancer fails, the typed name when a backend would be
    /// left with no active server.
    static func fleetKey(_ key: Key, proposal: FleetProposal, typed: String, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        if !proposal.blocking.isEmpty {
            switch key {
            case .char("x"):
                var kept = proposal
                kept.excluded.formUnion(proposal.blocking.map(\.id))
                guard !kept.taking.isEmpty else {
                    model.dialog = nil
                    return info("nothing left to act on: no balancer in view can take this; nothing was sent", &model)
                }
                model.dialog = .fleet(kept, typed: typed)
            case .enter, .char("y"), .char("k"):
                return info(
                    "\(proposal.blocking.count) balancer(s) cannot take part: x leaves them out, Esc cancels", &model)
            default: break
            }
            return []
        }
        if let name = proposal.requiredName {
            switch key {
            case .enter:
                guard typed == name else { return info("type \(name) exactly to confirm, or Esc to cancel", &model) }
                return sendFleet(proposal, rollback: true, &model)
            default:
                if let edited = TextInput.name.edited(typed, by: key) { model.dialog = .fleet(proposal, typed: edited) }
            }
            return []
        }
        if let repair = proposal.repair, case .char(let digit) = key, let number = Int(String(digit)) {
            let focused = model.focusedIndices
            guard (1...focused.count).contains(number) else {
                return info("1–\(focused.count) pick the balancer the others follow, m the majority", &model)
            }
            return proposeRepair(like: model.balancers[focused[number - 1]].id, scope: repair.scope, &model)
        }
        if let repair = proposal.repair, key == .char("m"), repair.like != nil {
            return proposeRepair(like: nil, scope: repair.scope, &model)
        }
        switch key {
        case .enter, .char("y"): return sendFleet(proposal, rollback: true, &model)
        case .char("k"): return sendFleet(proposal, rollback: false, &model)
        case .char("W") where isWatchableDrain(proposal):
            return sendFleetDrain(proposal, seconds: 3600, thenMaint: false, &model)
        case .char("T") where isWatchableDrain(proposal):
            model.dialog = .fleetDrainTimeout(proposal, text: "120")
            return []
        case .char("r") where proposal.taking.contains { $0.plan.map(RampProgress.offered) ?? false }:
            return startFleetRamp(proposal, &model)
        case .char("n"):
            model.dialog = nil
            return info("cancelled; nothing was sent", &model)
        default: return []
        }
    }

    static func sendFleet(_ proposal: FleetProposal, rollback: Bool, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        let steps = proposal.taking.compactMap { node in
            node.plan.map { FleetStep(id: node.id, label: node.label, plan: $0) }
        }
        guard !steps.isEmpty else {
            model.dialog = nil
            return info("nothing to send: every balancer is already as asked", &model)
        }
        model.dialog = nil
        return sendSteps(steps, label: proposal.label, rollback: rollback, &model)
    }

    /// Sends plans already confirmed (a fleet dialog's, a ramp's next step, the MAINT after a watched drain)
    /// as one fleet action; one plan for a balancer alone goes as a one-balancer action. Any dialog the
    /// operator has open stays open.
    static func sendSteps(_ steps: [FleetStep], label: String, rollback: Bool = true, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        model.actionInFlight = label
        if steps.count == 1 && !model.isFleetView, let only = steps.first {
            model.message = FooterMessage(
                text: "\(only.plan.label): sending and verifying…", isError: false,
                until: model.now.addingTimeInterval(30))
            return [.perform(only.plan, on: only.id)]
        }
        model.message = FooterMessage(
            text: "\(label) on \(steps.count) balancers: sending and verifying…", isError: false,
            until: model.now.addingTimeInterval(30))
        return [.performFleet(steps, label: label, rollback: rollback)]
    }

    /// A fleet-wide action finished: the per-node table, an event per node, everything refreshed.
    static func fleetPerformed(_ report: FleetExecutor.Report, label: String, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        model.actionInFlight = nil
        rampStepDone(succeeded: report.allVerified, &model)
        fleetDrainStarted(report, &model)
        for node in report.nodes {
            guard let index = model.index(of: BalancerID(node.name)) else { continue }
            model.balancers[index].actionResultAt = model.now
            // Each balancer's undo is its own part of this action: where it did not apply, nothing to undo.
            model.balancers[index].undoable = node.outcome.flatMap { outcome in
                node.applied && !outcome.exchanges.isEmpty
                    ? UndoRecord(before: outcome.plan.before, after: outcome.after) : nil
            }
        }
        let labels = Dictionary(
            model.balancers.map { ($0.id.rawValue, $0.profile.label) }, uniquingKeysWith: { first, _ in first })
        let table = FleetResultTable(report, label: label, labels: labels)
        model.dialog = .fleetResult(table)
        model.message = FooterMessage(
            text: table.headline, isError: !table.succeeded, until: model.now.addingTimeInterval(10), isResult: true)
        model.marked = []
        model.refreshAllNow()
        let events = table.rows.map { row in
            var event = BalancerEvent(
                time: model.now, severity: row.status == "verified" ? .info : .warning, kind: .operatorAction,
                backend: "",
                message: "\(row.symbol) \(label) \(row.status)" + (row.detail.isEmpty ? "" : ": \(row.detail)"))
            event.balancer = row.label
            return event
        }
        model.events.append(contentsOf: events)
        return [.recordEvents(events)] + failoverRecords(report, &model)
    }

    /// After a fleet failover: each balancer where it is in place records its own before-states; after a fleet
    /// fail back, each balancer that verified forgets its record.
    static func failoverRecords(_ report: FleetExecutor.Report, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        report.nodes.compactMap { result -> ConsoleEffect? in
            let id = BalancerID(result.name)
            guard let outcome = result.outcome, let backend = outcome.plan.intent.targets.first?.backend.value,
                let snapshot = model.index(of: id).flatMap({ model.balancers[$0].snapshot })
            else { return nil }
            switch outcome.plan.kind {
            case .failover where result.applied:
                return .saveFailover(
                    FailoverStore.Record(
                        time: AuditRecord.timestamp(model.now), socket: snapshot.info.socket, backend: backend,
                        mode: "maint", before: outcome.plan.before, after: outcome.after), on: id)
            case .failback where result.status == .verified:
                return .clearFailover(backend, on: id)
            default: return nil
            }
        }
    }

    /// Undo in the fleet view: every balancer in view undoes its own last action (its part of the last fleet
    /// action, or one of its own) from its own recorded states; one with nothing recorded is left out.
    static func proposeFleetUndo(_ model: inout ConsoleModel) -> [ConsoleEffect] {
        let records = Dictionary(
            model.focusedIndices.compactMap { index in
                model.balancers[index].undoable.map { (model.balancers[index].id, $0) }
            }, uniquingKeysWith: { first, _ in first })
        guard !records.isEmpty else { return info("nothing to undo in this session on these balancers", &model) }
        let proposal = FleetProposal.make(label: "undo", in: model) { id, snapshot in
            guard let record = records[id] else { return nil }
            let plan = try ActionPlanner.undo(record.before, leftAs: record.after, on: snapshot)
            return plan.steps.isEmpty ? nil : plan
        }
        guard !proposal.taking.isEmpty || !proposal.blocking.isEmpty else {
            return info("nothing to undo: the servers are already as recorded on every balancer", &model)
        }
        return open(proposal, &model)
    }

    /// `=` in the fleet view: drift repair. The selected (or marked) servers, or the selected backend's, that
    /// differ between the balancers in view (admin state or weight) are brought to the majority's state, or to
    /// `like`'s; previewed per node and run like any fleet action.
    static func proposeRepair(like: BalancerID?, scope given: [String]? = nil, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        guard model.isFleetView else {
            let key = model.keymap.keys(for: .focus).first?.description ?? "b"
            return info("make consistent compares balancers: press \(key) (or :target all) for the fleet view", &model)
        }
        let scope =
            given ?? (targets(model)?.map(\.description) ?? selectedBackend(model).map { [$0] } ?? [])
        guard !scope.isEmpty else { return info("select a server or a backend", &model) }
        let nodes = model.focusedIndices.compactMap { index -> (String, BalancerSnapshot)? in
            model.balancers[index].snapshot.map { (model.balancers[index].id.rawValue, $0) }
        }
        let reference: [ServerID: ActionPlan.ServerState]
        do {
            reference = try Drift.reference(nodes, like: like?.rawValue, scope: scope)
        } catch let error as SwitchboardError {
            return failure(error, &model)
        } catch { return [] }
        guard !reference.isEmpty else {
            return info("no drift: \(scope.joined(separator: ", ")) is the same on every balancer in view", &model)
        }
        let label = like.flatMap { id in model.index(of: id).map { model.balancers[$0].profile.label } }
        var proposal = FleetProposal.make(
            label: "make consistent (" + (label.map { "like \($0)" } ?? "majority") + ")", in: model
        ) { _, snapshot in try Drift.plan(reference, like: label, on: snapshot) }
        proposal.repair = FleetProposal.DriftRepair(scope: scope, like: like)
        return open(proposal, &model)
    }

    /// `F` in the fleet view: the backend failed over on every balancer in view, each on its own state.
    static func proposeFleetFailover(_ backend: String, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        let proposal = FleetProposal.make(label: "failover \(backend)", in: model) { _, snapshot in
            try FailoverPlanner.failover(backend: backend, mode: .maint, on: snapshot)
        }
        return open(proposal, &model)
    }

    /// The records arrived: fail back each balancer to what it recorded (one without a record is left alone).
    static func fleetFailoversLoaded(
        _ backend: String, _ records: [BalancerID: FailoverStore.Record], _ model: inout ConsoleModel
    ) -> [ConsoleEffect] {
        guard !records.isEmpty else {
            // The answer to the operator's own key: kept on screen even if an event arrives.
            model.message = FooterMessage(
                text: "no failover of \(backend) is on record on these balancers", isError: true,
                until: model.now.addingTimeInterval(8), isResult: true)
            return []
        }
        let proposal = FleetProposal.make(label: "fail back \(backend)", in: model) { id, snapshot in
            guard let record = records[id] else { return nil }
            return try FailoverPlanner.failback(
                recorded: record.before, backend: backend, gradual: false, leftAs: record.after, on: snapshot
            ).first
        }
        return open(proposal, &model)
    }

    static func open(_ proposal: FleetProposal, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        guard proposal.nodes.contains(where: { $0.problem == nil }) else {
            model.message = FooterMessage(
                text: "✗ no balancer in view can take this: "
                    + proposal.nodes.map { "\($0.label): \($0.problem ?? "")" }.joined(separator: "; "),
                isError: true, until: model.now.addingTimeInterval(10), isResult: true)
            return []
        }
        model.message = nil
        model.dialog = .fleet(proposal, typed: "")
        return []
    }
}
