import FoundationEssentials
import SwitchboardCore

/// Refresh results per balancer, and which balancers are in view.
extension ConsoleUpdate {
    /// A refresh of balancer `id` finished. The primary balancer (the one in focus) also drives the dialogs and
    /// watchers; every balancer gets its metrics, events and connection state.
    static func refreshed(
        _ result: Result<BalancerSnapshot, SwitchboardError>, at time: Date, from id: BalancerID,
        started: Date? = nil, _ model: inout ConsoleModel
    ) -> [ConsoleEffect] {
        guard let index = model.index(of: id) else { return [] }
        model.balancers[index].refreshInFlight = false
        model.now = max(model.now, time)
        if let started, let action = model.balancers[index].actionResultAt, started < action {
            // Read (at least partly) before the last action's result: it may show the state before the
            // action. Not applied; the next refresh is due now.
            model.balancers[index].nextRefresh = model.now
            return []
        }
        let isPrimary = index == model.primaryIndex && !model.isFleetView
        switch result {
        case .success(let snapshot):
            // Mutated in place: a copy of the balancer's state would make every history array copy on write.
            let previous = model.balancers[index].snapshot
            // Server history for the balancer in focus (the one whose server rows show it); backends for all.
            model.balancers[index].metrics.record(snapshot, at: time, servers: index == model.primaryIndex)
            let rates = model.balancers[index].metrics.backendErrorRates
            var found = model.balancers[index].detector.detect(
                previous: previous, current: snapshot, at: time, errorRates: rates)
            if model.balancers.count > 1 {
                let label = model.balancers[index].profile.label
                for event in found.indices { found[event].balancer = label }
            }
            model.balancers[index].snapshot = snapshot
            model.balancers[index].lastRefresh = time
            model.balancers[index].connection = .live
            model.balancers[index].nextRefresh = time.addingTimeInterval(model.interval.seconds)
            if isPrimary { replanOpenDialog(previous: previous, &model) }
            if model.isFleetView {
                if model.focusedIndices.contains(index) { model.fleetChanged() }
            } else if index == model.primaryIndex {
                model.rebuildRows()
                clampScroll(&model)
            }
            // A new worker (or the first answer): did it undo changes the audit log says the operator made?
            let check: [ConsoleEffect] =
                previous.map { $0.info.pid != snapshot.info.pid } ?? true ? [.findLostChanges(on: id)] : []
            let fleetDrain = watchFleetDrain(id, snapshot, &model)
            guard isPrimary else {
                return check + noteEvents(found, &model) + fleetDrain + resumePendingFleetAction(&model)
            }
            watchSplit(&model)
            return check + noteEvents(found, &model) + watchDrain(&model) + watchFailback(&model)
        case .failure(let error):
            let attempts: Int
            if case .failing(_, let previous) = model.balancers[index].connection {
                attempts = previous + 1
            } else {
                attempts = 1
            }
            model.balancers[index].connection = .failing(error, attempts: attempts)
            model.balancers[index].nextRefresh = time.addingTimeInterval(
                backoff(attempts: attempts, interval: model.interval))
            return []
        }
    }

    /// All balancers → the first alone → the next … → all again.
    static func cycleFocus(_ model: inout ConsoleModel) {
        guard model.balancers.count > 1 else {
            model.message = FooterMessage(
                text: "one balancer: give several --socket or a targets file group to see a fleet", isError: false,
                until: model.now.addingTimeInterval(3))
            return
        }
        switch model.focus {
        case .all, .group:
            setFocus(.one(model.balancers[0].id), &model)
        case .one(let id):
            let next = (model.index(of: id) ?? 0) + 1
            setFocus(next < model.balancers.count ? .one(model.balancers[next].id) : .all, &model)
        }
    }

    /// Focuses `name`: a balancer's id or label, a group, or `all`. Returns an error text when unknown.
    static func focus(named name: String, _ model: inout ConsoleModel) -> String? {
        let name = name.trimmingSpaces()
        if name == "all" || name == "*" {
            setFocus(.all, &model)
            return nil
        }
        if let balancer = model.balancers.first(where: { $0.id.rawValue == name || $0.profile.label == name }) {
            setFocus(.one(balancer.id), &model)
            return nil
        }
        if let members = model.groups[name] {
            setFocus(.group(name, members), &model)
            return nil
        }
        let known = model.balancers.map(\.id.rawValue) + model.groups.keys.sorted() + ["all"]
        return "no balancer or group '\(name)'; known: " + known.joined(separator: ", ")
    }

    static func setFocus(_ focus: BalancerFocus, _ model: inout ConsoleModel) {
        model.focus = focus
        model.marked = []
        model.rebuildRows()
        clampScroll(&model)
        let text: String
        switch focus {
        case .all: text = "fleet: all \(model.balancers.count) balancers"
        case .one(let id): text = "focus: \(model.balancers[model.index(of: id) ?? 0].profile.label) alone"
        case .group(let name, let ids): text = "focus: group \(name) (\(ids.count) balancers)"
        }
        model.message = FooterMessage(text: text, isError: false, until: model.now.addingTimeInterval(3))
    }
}

extension ConsoleUpdate {
    /// The capability `action` needs that the primary balancer's driver lacks, in words; nil when it can.
    public static func missingCapability(for action: Action, _ model: ConsoleModel) -> String? {
        let needed: (DriverCapabilities, String)?
        switch action {
        case .drain: needed = (.drain, "drain")
        case .maint, .failover, .failback: needed = (.maintenance, "maintenance")
        case .weight, .redistribute: needed = (.liveWeights, "live weights")
        case .health: needed = (.forceHealth, "forcing health")
        case .agent: needed = (.agentControl, "agent control")
        case .killSessions: needed = (.killSessions, "killing sessions")
        case .rawPrompt: needed = (.rawCommands, "raw commands")
        default: needed = nil
        }
        guard let needed, !model.primary.profile.capabilities.contains(needed.0) else { return nil }
        return "\(model.primary.profile.label)'s driver cannot do \(needed.1)"
    }
}
