import FoundationEssentials
import SwitchboardCore
import SwitchboardOps

extension ConsoleUpdate {
    /// Opens the routes view on the balancer in focus and reads its maps and its route records.
    static func openRoutes(_ model: inout ConsoleModel) -> [ConsoleEffect] {
        model.overlay = .routes
        model.routes.reading = true
        return [.readRoutes(on: model.primary.id), .loadRouteRecords(on: model.primary.id)]
    }

    /// The maps are re-read every 5 s while the routes view is open (another operator may change them).
    static func rereadRoutesIfDue(_ model: inout ConsoleModel) -> [ConsoleEffect] {
        guard case .routes = model.overlay, !model.routes.reading else { return [] }
        guard let readAt = model.routes.readAt, model.now.timeIntervalSince(readAt) >= 5 else { return [] }
        model.routes.reading = true
        return [.readRoutes(on: model.primary.id)]
    }

    /// Keys in the routes view: move, switch the selected entry (Enter), fail its backend's routes over (the
    /// failover key), fail back (the failback key), undo the newest route change, refresh, close.
    static func handleInRoutes(_ action: Action, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        let count = model.routes.lines.count
        func select(_ index: Int) { model.routes.selected = max(0, min(index, count - 1)) }
        switch action {
        case .quit:
            model.quitRequested = true
            return [.quit]
        case .cancel, .routes: model.overlay = nil
        case .moveUp: select(model.routes.selected - 1)
        case .moveDown: select(model.routes.selected + 1)
        case .pageUp: select(model.routes.selected - model.pageSize)
        case .pageDown: select(model.routes.selected + model.pageSize)
        case .top: select(0)
        case .bottom: select(count - 1)
        case .refresh:
            model.routes.reading = true
            return [.readRoutes(on: model.primary.id), .loadRouteRecords(on: model.primary.id)]
        case .help: model.overlay = .help(scroll: 0)
        case .detail, .failover:
            if let refusal = routeWriteRefusal(model) { return failure(refusal, &model) }
            guard let line = model.routes.selectedLine else { return info("no map entry to change", &model) }
            let purpose: RouteTargetInput.Purpose = action == .detail ? .set(line) : .failover(from: line.value)
            model.dialog = .routeTarget(RouteTargetInput(purpose: purpose, text: "", error: nil))
        case .failback, .undo:
            if let refusal = routeWriteRefusal(model) { return failure(refusal, &model) }
            return planRouteRestore(undo: action == .undo, &model)
        default: break
        }
        return []
    }

    /// Why route changes cannot be sent here, or nil. Maps need only the `user` level (HAProxy allows it), so only
    /// `--read-only` and a `read_only` target forbid them.
    static func routeWriteRefusal(_ model: ConsoleModel) -> SwitchboardError? {
        if model.readOnlyRequested {
            return SwitchboardError(
                .accessDenied, "read-only (--read-only): route changes are disabled; nothing was sent")
        }
        if model.primary.profile.readOnly {
            return SwitchboardError(
                .accessDenied,
                "\(model.primary.profile.label) is read_only in the targets file: route changes are disabled; "
                    + "nothing was sent")
        }
        if model.actionInFlight != nil {
            return SwitchboardError(.other, "an action is still running; wait for its result")
        }
        return nil
    }

    /// Fail back (the newest failover of the selected entry's routes, by the backend it was failed over from) or
    /// undo (the newest route change), as a previewed plan.
    static func planRouteRestore(undo: Bool, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        let records = model.routes.records
        let record: RouteStore.Record?
        if undo {
            record = records.last
        } else {
            let key = model.routes.selectedLine?.key
            record =
                records.last { $0.failoverFrom != nil && $0.changes.contains { $0.key == key } }
                ?? records.last { $0.failoverFrom != nil }
        }
        guard let record else {
            return info(
                undo ? "no route change on record to undo" : "no failover of routes on record to fail back", &model)
        }
        guard let maps = model.routes.maps, let snapshot = model.snapshot else {
            return info("the routes are still being read", &model)
        }
        do {
            let label = undo ? "undo of \(record.label)" : "failback-routes \(record.failoverFrom ?? "")"
            let plan = try RoutePlanner.restore(record.changes, label: label, maps: maps, snapshot: snapshot)
            model.dialog = .routeConfirm(plan, keep: .restored(id: record.id), typed: "")
        } catch let error as SwitchboardError {
            return failure(error, &model)
        } catch {
            return failure(SwitchboardError(.other, "\(error)"), &model)
        }
        return []
    }

    /// Typing the target backend: Tab completes from the balancer's backends, Enter plans (or says why not).
    static func routeTargetKey(_ key: Key, _ input: RouteTargetInput, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        var input = input
        let backends = model.snapshot?.backends.map(\.name) ?? []
        switch key {
        case .tab:
            let matches = backends.filter { $0.hasPrefix(input.text) }
            if let current = matches.firstIndex(of: input.text) {
                input.text = matches[(current + 1) % matches.count]
            } else if let first = matches.first {
                input.text = first
            }
            input.error = matches.isEmpty ? "no backend starts with \(input.text)" : nil
        case .enter:
            guard let maps = model.routes.maps, let snapshot = model.snapshot else {
                input.error = "the routes are still being read"
                break
            }
            do {
                let plan: RoutePlan
                let keep: RouteKeep
                switch input.purpose {
                case .set(let line):
                    plan = try RoutePlanner.set(line.map, key: line.key, to: input.text, maps: maps, snapshot: snapshot)
                    keep = .record(failoverFrom: nil)
                case .failover(let from):
                    plan = try RoutePlanner.failover(from: from, to: input.text, maps: maps, snapshot: snapshot)
                    keep = .record(failoverFrom: from)
                }
                model.dialog = .routeConfirm(plan, keep: keep, typed: "")
                return []
            } catch let error as SwitchboardError {
                input.error = error.message
            } catch {
                input.error = "\(error)"
            }
        default:
            guard let edited = TextInput.name.edited(input.text, by: key) else { return [] }
            input.text = edited
            input.error = nil
        }
        model.dialog = .routeTarget(input)
        return []
    }

    /// The confirmation of a route plan: y/Enter sends it (the target's name typed first when it has no server
    /// serving).
    static func routeConfirmKey(
        _ key: Key, plan: RoutePlan, keep: RouteKeep, typed: String, _ model: inout ConsoleModel
    )
        -> [ConsoleEffect]
    {
        if let name = plan.typedConfirmation {
            if key == .enter {
                guard typed == name else { return info("type \(name) exactly to confirm, or Esc to cancel", &model) }
                return sendRoutes(plan, keep: keep, &model)
            }
            if let edited = TextInput.name.edited(typed, by: key) {
                model.dialog = .routeConfirm(plan, keep: keep, typed: edited)
            }
            return []
        }
        switch key {
        case .enter, .char("y"): return sendRoutes(plan, keep: keep, &model)
        case .char("n"):
            model.dialog = nil
            return info("cancelled; nothing was sent", &model)
        default: return []
        }
    }

    static func sendRoutes(_ plan: RoutePlan, keep: RouteKeep, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        model.dialog = nil
        model.actionInFlight = plan.label
        model.message = FooterMessage(
            text: "sending \(plan.label)…", isError: false, until: model.now.addingTimeInterval(30))
        return [.performRoutes(plan, keep: keep, on: model.primary.id)]
    }

    /// Results of the routes view's reads and sends.
    static func routesMessage(_ message: ConsoleMsg, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        switch message {
        case .routesRead(let result, let id):
            guard id == model.primary.id else { return [] }
            model.routes.reading = false
            model.routes.readAt = model.now
            switch result {
            case .success(let maps):
                model.routes.maps = maps
                model.routes.error = nil
                model.routes.selected = max(0, min(model.routes.selected, model.routes.lines.count - 1))
            case .failure(let error): model.routes.error = error.message
            }
        case .routeRecordsLoaded(let result, let id):
            guard id == model.primary.id else { return [] }
            switch result {
            case .success(let records): model.routes.records = records
            case .failure(let error): return failure(error, &model)
            }
        case .routesPerformed(let result, let id):
            model.actionInFlight = nil
            let reread: [ConsoleEffect] = [.readRoutes(on: id), .loadRouteRecords(on: id), .loadAudit]
            model.routes.reading = true
            switch result {
            case .success(let outcome):
                model.message = FooterMessage(
                    text: outcome.summary, isError: !outcome.verified, until: model.now.addingTimeInterval(10),
                    isResult: true)
            case .failure(let error): _ = failure(error, &model)
            }
            return reread
        default: break
        }
        return []
    }
}
