import FoundationEssentials
import SwitchboardCore
import SwitchboardOps

extension ConsoleUpdate {
    /// Keys while a dialog is open: Esc cancels any of them; the rest is the dialog's own.
    static func handleDialog(_ key: Key, _ dialog: Dialog, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        if case .fleetResult = dialog {
            model.dialog = nil  // a result: any key closes it
            return []
        }
        if case .drillReport = dialog {
            model.dialog = nil
            return []
        }
        if key == .escape || key == .control("c") {
            model.dialog = nil
            return info("cancelled; nothing was sent", &model)
        }
        switch dialog {
        case .confirm(let plan, let typed): return confirmKey(key, plan: plan, typed: typed, &model)
        case .weight(let targets, let text): return weightKey(key, targets: targets, text: text, &model)
        case .force(let targets, let agent, let disableChecks):
            return forceKey(key, targets: targets, agent: agent, disableChecks: disableChecks, &model)
        case .redistribute(let backend, let plan, _): return redistributeKey(key, backend: backend, plan: plan, &model)
        case .drainTimeout(let plan, let text): return drainTimeoutKey(key, plan: plan, text: text, &model)
        case .raw(let command): return rawKey(key, command: command, &model)
        case .fleet(let proposal, let typed): return fleetKey(key, proposal: proposal, typed: typed, &model)
        case .fleetDrainTimeout(let proposal, let text):
            return fleetDrainTimeoutKey(key, proposal: proposal, text: text, &model)
        case .fleetResult: return []
        case .reapply(let plan, let id): return reapplyKey(key, plan: plan, on: id, &model)
        case .incident(let open, let title): return incidentKey(key, open: open, title: title, &model)
        case .routeTarget(let input): return routeTargetKey(key, input, &model)
        case .routeConfirm(let plan, let keep, let typed):
            return routeConfirmKey(key, plan: plan, keep: keep, typed: typed, &model)
        case .drill(let form): return drillKey(key, form: form, &model)
        case .drillReport: return []
        }
    }

    /// Types the title of a new incident and starts it on Enter; or ends the open one on y/Enter.
    static func incidentKey(_ key: Key, open: Incident?, title: String, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        if open != nil {
            model.dialog = nil
            guard key == .enter || key == .char("y") else { return info("the incident stays open", &model) }
            return [.markIncident(start: nil)]
        }
        switch key {
        case .enter:
            model.dialog = nil
            return [.markIncident(start: title.trimmingSpaces())]
        case .backspace:
            model.dialog = .incident(open: nil, title: String(title.dropLast()))
        case .char(let character) where !character.isNewline && title.count < 200:
            model.dialog = .incident(open: nil, title: title + String(character))
        default: break
        }
        return []
    }

    /// Answers the confirmation of a plan: apply, cancel, the typed name, drain-and-watch, gradual fail back,
    /// include the servers left alone, also disable the agent.
    static func confirmKey(_ key: Key, plan: ActionPlan, typed: String, _ model: inout ConsoleModel) -> [ConsoleEffect]
    {
        if let name = Dialog.requiredName(plan) {
            switch key {
            case .enter:
                guard typed == name else {
                    return info("type \(name) exactly to confirm, or Esc to cancel", &model)
                }
                return send(plan, &model)
            default:
                if let edited = TextInput.name.edited(typed, by: key) {
                    model.dialog = .confirm(plan, typed: edited)
                }
            }
            return []
        }
        switch key {
        case .enter, .char("y"): return send(plan, &model)
        case .char("n"):
            model.dialog = nil
            return info("cancelled; nothing was sent", &model)
        case .char("W"):
            guard plan.intent.operation == .setAdmin(.drain) else { return [] }
            model.drainWatch = DrainWatch(
                targets: plan.intent.targets, deadline: model.now.addingTimeInterval(3600), thenMaint: false)
            return send(plan, &model)
        case .char("T"):
            guard plan.intent.operation == .setAdmin(.drain) else { return [] }
            model.dialog = .drainTimeout(plan, text: "120")
            return []
        case .char("g") where plan.kind == .failback:
            guard let record = model.failback.record, let snapshot = model.snapshot else { return [] }
            do {
                var plans = try FailoverPlanner.failback(
                    recorded: record.before, backend: record.backend, gradual: true, leftAs: record.after,
                    including: Set(plan.intent.targets.map(\.id)), on: snapshot)
                guard !plans.isEmpty else { return [] }
                let first = plans.removeFirst()
                model.failback.queue = plans
                return send(first, &model)
            } catch let error as SwitchboardError {
                return failure(error, &model)
            } catch { return [] }
        case .char("r") where RampProgress.offered(plan) && model.failback.queue.isEmpty:
            return startRamp(plan, on: model.primary.id, &model)
        case .char("i") where !plan.leftAlone.isEmpty:
            return includeLeftAlone(plan, &model)
        case .char("a") where plan.warnings.contains { $0.contains("agent") } && !plan.intent.disableAgentFirst:
            model.dialog = nil
            return propose(
                plan.intent.operation, &model, disableAgent: true, disableChecks: plan.intent.disableChecksFirst)
        default: return []
        }
    }

    /// Edits the weight and applies it on Enter.
    static func weightKey(_ key: Key, targets: [ServerRef], text: String, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        switch key {
        case .enter:
            do {
                let intent = try ActionIntent.weight(targets, text)
                if model.isFleetView {
                    model.dialog = nil
                    return proposeFleet(intent, &model)
                }
                guard let snapshot = model.snapshot else { return [] }
                let plan = try ActionPlanner.plan(intent, on: snapshot)
                return send(plan, &model)
            } catch let error as SwitchboardError {
                model.message = FooterMessage(
                    text: error.message, isError: true, until: model.now.addingTimeInterval(4))
            } catch {}
        default:
            if let edited = TextInput.weight.edited(text, by: key) {
                model.dialog = .weight(targets: targets, text: edited)
            }
        }
        return []
    }

    /// Forces health or agent up or down, or enables/disables the checks.
    static func forceKey(
        _ key: Key, targets: [ServerRef], agent: Bool, disableChecks: Bool, _ model: inout ConsoleModel
    ) -> [ConsoleEffect] {
        switch key {
        case .char("E"), .char("X"):
            model.dialog = nil
            let enabled = key == .char("E")
            return propose(
                agent ? .agentChecks(enabled: enabled) : .healthChecks(enabled: enabled), explicit: targets, &model)
        case .char("c") where !agent:
            model.dialog = .force(targets: targets, agent: agent, disableChecks: !disableChecks)
        case .char("d"), .char("u"):
            let up = key == .char("u")
            model.dialog = nil
            let operation: ActionIntent.Operation = agent ? .forceAgent(up: up) : .forceHealth(up: up)
            return propose(operation, explicit: targets, &model, disableChecks: disableChecks)
        default: break
        }
        return []
    }

    /// Picks a redistribution strategy and applies the plan.
    static func redistributeKey(
        _ key: Key, backend: String, plan: RedistributionPlanner.Plan?, _ model: inout ConsoleModel
    ) -> [ConsoleEffect] {
        guard let snapshot = model.snapshot else { return [] }
        let strategy: RedistributionPlanner.Strategy?
        switch key {
        case .char("e"): strategy = .even([])
        case .char("c"): strategy = .byCapacity
        case .char("s"): strategy = .shed(targetLoad: 0.8)
        case .enter, .char("y"):
            guard let plan else { return info("choose a strategy first: e, c or s", &model) }
            return send(plan.actions, &model)
        default: strategy = nil
        }
        if let strategy, model.isFleetView {
            // Every balancer in view gets the strategy applied to its own servers, weights and load.
            model.dialog = nil
            let proposal = FleetProposal.make(label: "redistribute \(backend)", in: model) { _, snapshot in
                let actions = try RedistributionPlanner.plan(strategy, backend: backend, on: snapshot).actions
                return actions.steps.isEmpty ? nil : actions
            }
            guard !proposal.taking.isEmpty || !proposal.blocking.isEmpty else {
                return info("nothing to send: \(backend) is already spread so on every balancer", &model)
            }
            return open(proposal, &model)
        }
        if let strategy {
            do {
                model.dialog = .redistribute(
                    backend: backend,
                    plan: try RedistributionPlanner.plan(strategy, backend: backend, on: snapshot), error: nil)
            } catch let error as SwitchboardError {
                model.dialog = .redistribute(backend: backend, plan: nil, error: error.message)
            } catch {}
        }
        return []
    }

    /// Edits the drain timeout and starts drain-then-MAINT on Enter.
    static func drainTimeoutKey(_ key: Key, plan: ActionPlan, text: String, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        switch key {
        case .enter:
            guard let seconds = Int(text), (1...86_400).contains(seconds) else {
                return info("give the timeout in seconds, 1–86400", &model)
            }
            model.drainWatch = DrainWatch(
                targets: plan.intent.targets, deadline: model.now.addingTimeInterval(TimeInterval(seconds)),
                thenMaint: true)
            return send(plan, &model)
        default:
            if let edited = TextInput.seconds.edited(text, by: key) {
                model.dialog = .drainTimeout(plan, text: edited)
            }
        }
        return []
    }

    /// Sends a raw write command once confirmed.
    static func rawKey(_ key: Key, command: RuntimeCommand, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        model.dialog = nil
        switch key {
        case .enter, .char("y"):
            model.prompt.transcript.append("> \(command.line)")
            return [.raw(command, on: model.primary.id)]
        default:
            model.prompt.transcript.append("(not sent: \(command.line))")
            return []
        }
    }
}
