import FoundationEssentials
import SwitchboardCore
import SwitchboardOps

extension ConsoleUpdate {
    /// Write actions, marks, undo and the audit log.
    /// `explicit` names the servers (the palette's `:drain web1`); without it the marked or selected ones, as a key.
    /// `waitForReads`: in the fleet view, a write asked for before every balancer in view has been read since
    /// the last action's result waits for those reads (``PendingFleetAction``) instead of planning on them.
    static func performWrite(
        _ action: Action, explicit: [ServerRef]? = nil, waitForReads: Bool = true, _ model: inout ConsoleModel
    ) -> [ConsoleEffect] {
        let chosen = explicit ?? targets(model)
        if let missing = missingCapability(for: action, model) {
            model.message = FooterMessage(
                text: "\(missing): \(action.rawValue) is disabled; nothing was sent", isError: true,
                until: model.now.addingTimeInterval(4))
            return []
        }
        if let reason = fleetUnsupported(action, model) {
            model.message = FooterMessage(
                text: "fleet view: \(reason); nothing was sent", isError: true, until: model.now.addingTimeInterval(5))
            return []
        }
        if action.isWrite, let reason = model.readOnlyReason {
            model.message = FooterMessage(
                text: "read-only (\(reason)): \(action.rawValue) is disabled; nothing was sent", isError: true,
                until: model.now.addingTimeInterval(4))
            return []
        }
        if action.isWrite && action != .undo, model.actionInFlight != nil {
            model.message = FooterMessage(
                text: "an action is still running; wait for its result", isError: true,
                until: model.now.addingTimeInterval(3))
            return []
        }
        if action.isWrite, waitForReads, waitForReadsAfterAction(action, explicit: explicit, &model) { return [] }
        switch action {
        case .mark:
            if let explicit {
                model.marked.formUnion(explicit.map(\.id))
                return info(
                    "marked \(model.marked.count): " + explicit.map(\.description).joined(separator: ", "), &model)
            }
            guard let id = selectedServerID(model) else { return info("select a server to mark", &model) }
            if model.marked.contains(id) { model.marked.remove(id) } else { model.marked.insert(id) }
            move(&model, by: 1)
        case .markEverywhere:
            guard let snapshot = model.snapshot, let id = selectedServerID(model), let server = snapshot.server(id)
            else { return info("select a server", &model) }
            let refs = ActionIntent.everywhere(server.name, in: snapshot)
            model.marked.formUnion(refs.map(\.id))
            return info("marked \(refs.count): " + refs.map(\.description).joined(separator: ", "), &model)
        case .drain: return propose(.setAdmin(.drain), explicit: explicit, &model)
        case .ready: return propose(.setAdmin(.ready), explicit: explicit, &model)
        case .maint: return propose(.setAdmin(.maint), explicit: explicit, &model)
        case .killSessions: return propose(.killSessions, explicit: explicit, &model)
        case .weight:
            guard let targets = chosen else {
                return info("select a server (or mark some with the mark key)", &model)
            }
            model.dialog = .weight(targets: targets, text: "")
        case .health, .agent:
            guard let targets = chosen else {
                return info("select a server (or mark some with the mark key)", &model)
            }
            model.dialog = .force(targets: targets, agent: action == .agent, disableChecks: false)
        case .undo:
            if model.isFleetView { return proposeFleetUndo(&model) }
            guard let record = model.undoable, let snapshot = model.snapshot else {
                return info("nothing to undo in this session", &model)
            }
            do {
                let plan = try ActionPlanner.undo(record.before, leftAs: record.after, on: snapshot)
                guard !plan.steps.isEmpty else {
                    return info("nothing to undo: the servers are already as recorded", &model)
                }
                model.dialog = .confirm(plan, typed: "")
            } catch let error as SwitchboardError {
                return failure(error, &model)
            } catch {}
        case .auditLog:
            model.overlay = .log(scroll: 0)
            return [.loadAudit]
        case .failover:
            if model.isFleetView, let backend = selectedBackend(model) { return proposeFleetFailover(backend, &model) }
            guard let snapshot = model.snapshot, let backend = selectedBackend(model) else {
                return info("select a backend (or one of its servers)", &model)
            }
            do {
                model.dialog = .confirm(
                    try FailoverPlanner.failover(backend: backend, mode: .maint, on: snapshot), typed: "")
            } catch let error as SwitchboardError {
                return failure(error, &model)
            } catch {}
        case .failback:
            guard let backend = selectedBackend(model) else {
                return info("select a backend (or one of its servers)", &model)
            }
            model.message = FooterMessage(
                text: "looking up the failover of \(backend)…", isError: false, until: model.now.addingTimeInterval(5))
            if model.isFleetView {
                return [.loadFleetFailovers(backend, on: model.focusedIndices.map { model.balancers[$0].id })]
            }
            return [.loadFailover(backend, on: model.primary.id)]
        case .reapply:
            return proposeReapply(&model)
        case .makeConsistent:
            return proposeRepair(like: nil, &model)
        case .redistribute:
            guard let backend = selectedBackend(model) else {
                return info("select a backend (or one of its servers)", &model)
            }
            model.dialog = .redistribute(backend: backend, plan: nil, error: nil)
        default:
            break
        }
        return []
    }

    /// Plans an operation on the marked servers (or the selected one) and opens the confirmation.
    static func propose(
        _ operation: ActionIntent.Operation, explicit: [ServerRef]? = nil, _ model: inout ConsoleModel,
        disableAgent: Bool = false, disableChecks: Bool = false
    ) -> [ConsoleEffect] {
        if model.isFleetView {
            guard let targets = explicit ?? targets(model) else {
                return info("select a server (or mark some with the mark key)", &model)
            }
            return proposeFleet(
                ActionIntent(
                    targets: targets, operation: operation, disableAgentFirst: disableAgent,
                    disableChecksFirst: disableChecks), &model)
        }
        guard let snapshot = model.snapshot else { return info("no data from the balancer yet", &model) }
        guard let targets = explicit ?? targets(model) else {
            return info("select a server (or mark some with the mark key)", &model)
        }
        do {
            let plan = try ActionPlanner.plan(
                ActionIntent(
                    targets: targets, operation: operation, disableAgentFirst: disableAgent,
                    disableChecksFirst: disableChecks),
                on: snapshot)
            model.dialog = .confirm(plan, typed: "")
        } catch let error as SwitchboardError {
            return failure(error, &model)
        } catch {}
        return []
    }

    static func send(_ plan: ActionPlan, on id: BalancerID? = nil, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        model.dialog = nil
        model.actionInFlight = plan.label
        model.message = FooterMessage(
            text: "\(plan.label): sending and verifying…", isError: false, until: model.now.addingTimeInterval(30))
        return [.perform(plan, on: id ?? model.primary.id)]
    }

    /// The result of a performed plan.
    static func performed(
        _ result: Result<ActionOutcome, SwitchboardError>, on id: BalancerID, _ model: inout ConsoleModel
    ) -> [ConsoleEffect] {
        let snapshot = model.index(of: id).flatMap { model.balancers[$0].snapshot }
        if let index = model.index(of: id) { model.balancers[index].actionResultAt = model.now }
        model.actionInFlight = nil
        switch result {
        case .success(let outcome):
            model.message = FooterMessage(
                text: outcome.summary, isError: !outcome.succeeded, until: model.now.addingTimeInterval(8),
                isResult: true)
            rampStepDone(succeeded: outcome.succeeded, &model)
            if !outcome.succeeded { model.drainWatch = nil }
            if !outcome.exchanges.isEmpty, let index = model.index(of: id) {
                model.balancers[index].undoable = UndoRecord(before: outcome.plan.before, after: outcome.after)
            }
            model.marked = []
            model.nextRefresh = model.now
            var effects: [ConsoleEffect] = []
            let backend = outcome.plan.intent.targets.first?.backend.value ?? ""
            let event = BalancerEvent(
                time: model.now, severity: outcome.succeeded ? .info : .warning, kind: .operatorAction,
                backend: backend,
                message: outcome.summary)
            model.events.append(event)
            effects.append(.recordEvents([event]))
            if outcome.plan.kind == .failover, !outcome.exchanges.isEmpty, let snapshot {
                effects.append(
                    .saveFailover(
                        FailoverStore.Record(
                            time: AuditRecord.timestamp(model.now), socket: snapshot.info.socket, backend: backend,
                            mode: "maint", before: outcome.plan.before, after: outcome.after), on: id))
            }
            if outcome.plan.kind == .reapply, outcome.succeeded { model.lostChanges[id] = nil }
            if outcome.plan.kind == .failback, outcome.succeeded {
                if model.failback.queue.isEmpty {
                    effects.append(.clearFailover(backend, on: id))
                    model.failback.waiting = nil
                } else if let server = outcome.plan.intent.targets.first {
                    model.failback.waiting = FailbackWait(server: server.id, deadline: model.now.addingTimeInterval(30))
                }
            } else if outcome.plan.kind == .failback {
                model.failback.queue = []  // a step failed: stop there, the record stays for another try
                model.failback.waiting = nil
            }
            if outcome.plan.kind == .redistribute, outcome.succeeded, let snapshot,
                let state = snapshot.backend(named: backend)
            {
                var weights = Dictionary(uniqueKeysWithValues: state.activeServers.map { ($0.name, $0.weight) })
                for case .weight(let id, let weight) in outcome.plan.expectations { weights[id.name] = weight }
                model.splitWatch = SplitWatch(
                    backend: backend, planned: RedistributionPlanner.projectedShares(state, weights: weights),
                    baseline: nil,
                    until: model.now.addingTimeInterval(120))
            }
            return effects + refreshIfDue(&model)
        case .failure(let error):
            model.drainWatch = nil
            rampStepDone(succeeded: false, &model)
            return failure(error, &model)
        }
    }

    /// Undo or fail back again, this time restoring the servers someone else changed since as well.
    static func includeLeftAlone(_ plan: ActionPlan, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        guard let snapshot = model.snapshot else { return [] }
        let including = Set(plan.leftAlone + plan.intent.targets.map(\.id))
        do {
            if plan.kind == .failback, let record = model.failback.record {
                guard
                    let replanned = try FailoverPlanner.failback(
                        recorded: record.before, backend: record.backend, gradual: false, leftAs: record.after,
                        including: including, on: snapshot
                    ).first
                else { return [] }
                model.dialog = .confirm(replanned, typed: "")
            } else if let record = model.undoable {
                model.dialog = .confirm(
                    try ActionPlanner.undo(record.before, leftAs: record.after, including: including, on: snapshot),
                    typed: "")
            }
        } catch let error as SwitchboardError {
            return failure(error, &model)
        } catch {}
        return []
    }

    /// Nothing was sent: the balancer had moved. The dialog opens again on the re-planned plan.
    static func planChanged(_ recheck: PlanRecheck, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        model.actionInFlight = nil
        model.dialog = .confirm(recheck.plan, typed: "")
        model.message = FooterMessage(
            text:
                "the balancer changed since you confirmed; nothing was sent — review the new impact and confirm again",
            isError: true, until: model.now.addingTimeInterval(8))
        model.nextRefresh = model.now
        return []
    }

    /// An open dialog follows the balancer: its plan is checked against every new snapshot and, when
    /// anything it depends on changed, re-projected (and the typed name asked again when needed).
    static func replanOpenDialog(previous: BalancerSnapshot?, _ model: inout ConsoleModel) {
        guard let snapshot = model.snapshot, let dialog = model.dialog else { return }
        func replanned(_ plan: ActionPlan) -> ActionPlan? {
            let recheck = ActionPlanner.recheck(plan, on: snapshot)
            guard !recheck.isUnchanged else { return nil }
            var updated = recheck.plan
            updated.changes = plan.changes + recheck.changes.filter { !plan.changes.contains($0) }
            return updated
        }
        switch dialog {
        case .confirm(let plan, let typed):
            guard let updated = replanned(plan) else { return }
            let sameName = Dialog.requiredName(updated) == Dialog.requiredName(plan)
            model.dialog = .confirm(updated, typed: sameName ? typed : "")
            model.message = FooterMessage(
                text: "the balancer changed under this dialog: plan and impact updated — read it again",
                isError: true, until: model.now.addingTimeInterval(6))
        case .drainTimeout(let plan, let text):
            guard let updated = replanned(plan) else { return }
            model.dialog = .drainTimeout(updated, text: text)
        case .weight(let targets, _):
            guard let previous else { return }
            let moved = targets.compactMap { ref -> String? in
                guard let old = previous.server(ref.backend.value, ref.server.value),
                    let new = snapshot.server(ref.backend.value, ref.server.value), old.weight != new.weight
                else { return nil }
                return "\(ref) \(old.weight) → \(new.weight)"
            }
            if !moved.isEmpty {
                model.message = FooterMessage(
                    text: "weight changed under this dialog (someone else?): " + moved.joined(separator: ", "),
                    isError: true, until: model.now.addingTimeInterval(8))
            }
        default: break
        }
    }

    /// The backend of the selected row.
    static func selectedBackend(_ model: ConsoleModel) -> String? {
        model.selectedRow?.id.backend
    }

    /// The failover on record arrived: plan the fail back and ask for confirmation.
    static func failoverLoaded(
        _ backend: String, _ result: Result<FailoverStore.Record?, SwitchboardError>, on id: BalancerID,
        _ model: inout ConsoleModel
    ) -> [ConsoleEffect] {
        switch result {
        case .failure(let error): return failure(error, &model)
        case .success(nil): return info("no failover of \(backend) is on record", &model)
        case .success(let record?):
            guard let snapshot = model.index(of: id).flatMap({ model.balancers[$0].snapshot }) else { return [] }
            model.failback.record = record
            do {
                let plans = try FailoverPlanner.failback(
                    recorded: record.before, backend: backend, gradual: false, leftAs: record.after, on: snapshot)
                guard let plan = plans.first else {
                    return [.clearFailover(backend, on: id)]
                        + info("\(backend) is already as recorded at failover time", &model)
                }
                model.message = nil
                model.dialog = .confirm(plan, typed: "")
            } catch let error as SwitchboardError {
                return failure(error, &model)
            } catch {}
            return []
        }
    }

    /// New events: kept (the last 500), critical ones highlight their backend and may ring the bell.
    static func noteEvents(_ found: [BalancerEvent], _ model: inout ConsoleModel) -> [ConsoleEffect] {
        guard !found.isEmpty else { return [] }
        model.events.append(contentsOf: found)
        if model.events.count > 500 { model.events.removeFirst(model.events.count - 500) }
        var effects: [ConsoleEffect] = [.recordEvents(found)]
        let critical = found.filter { $0.severity == .critical }
        for event in critical { model.alerts[event.backend] = model.now.addingTimeInterval(30) }
        if !critical.isEmpty {
            // The operator's own result stays on screen; the event is in the events view and highlights its backend.
            let showingResult = model.message?.isResult ?? false
            if !showingResult {
                model.message = FooterMessage(
                    text: "! " + (critical[0].balancer.map { "[\($0)] " } ?? "") + critical[0].message, isError: true,
                    until: model.now.addingTimeInterval(10))
            }
            if model.bellOnCritical { effects.append(.bell) }
        }
        return effects
    }

    static func targets(_ model: ConsoleModel) -> [ServerRef]? {
        let ids = model.marked.isEmpty ? selectedServerID(model).map { [$0] } ?? [] : model.marked.sorted()
        let refs = ids.compactMap { try? $0.validated() }
        return refs.isEmpty ? nil : refs
    }

    static func selectedServerID(_ model: ConsoleModel) -> ServerID? {
        model.selectedRow?.id.server
    }

    static func info(_ text: String, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        model.message = FooterMessage(text: text, isError: false, until: model.now.addingTimeInterval(4))
        return []
    }

    static func failure(_ error: SwitchboardError, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        model.message = FooterMessage(
            text: "✗ " + error.message, isError: true, until: model.now.addingTimeInterval(8), isResult: true)
        return []
    }
}
