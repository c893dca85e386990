import FoundationEssentials
import SwitchboardCore

/// The console's logic: applies a message to the model and returns the effects to run.
public enum ConsoleUpdate {
    /// Refresh intervals offered by faster/slower.
    public static let intervals: [Duration] = [
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
    ]

    /// Applies `msg` to `model`.
    public static func update(_ model: inout ConsoleModel, _ msg: ConsoleMsg) -> [ConsoleEffect] {
        switch msg {
        case .key(let key):
            return handle(key: key, &model)
        case .resize(let width, let height):
            model.width = width
            model.height = height
            clampScroll(&model)
            return []
        case .tick(let now):
            model.now = now
            if model.fleetMergeDue {
                model.rebuildRows()
                clampScroll(&model)
            }
            if let message = model.message, message.until <= now { model.message = nil }
            return advanceRamp(&model) + refreshIfDue(&model) + rereadRoutesIfDue(&model)
                + resumePendingFleetAction(&model)
        case .refreshed(let result, let time, let id, let started):
            return refreshed(result, at: time, from: id, started: started, &model)
        case .fleetFailoversLoaded(let backend, let records):
            return fleetFailoversLoaded(backend, records, &model)
        case .lostChangesFound(let lost, let id):
            return lostChangesFound(lost, on: id, &model)
        case .fleetPerformed(let report, let label):
            return fleetPerformed(report, label: label, &model)
        case .performed(let result, let id):
            return performed(result, on: id, &model)
        case .planChanged(let recheck):
            return planChanged(recheck, &model)
        case .failoverLoaded(let backend, let result, let id):
            return failoverLoaded(backend, result, on: id, &model)
        case .effectFailed(let problem):
            model.actionInFlight = nil  // an effect that failed to start never reports a result
            model.message = FooterMessage(text: problem, isError: true, until: model.now.addingTimeInterval(8))
            return []
        case .rawReplied(let command, let result):
            return rawReplied(command, result, &model)
        case .incidentChanged(let result, let note):
            switch result {
            case .success(let incident):
                model.openIncident = incident
                if let note { return info(note, &model) }
            case .failure(let error): return failure(error, &model)
            }
            return []
        case .routesRead, .routeRecordsLoaded, .routesPerformed:
            return routesMessage(msg, &model)
        case .drillProgress(let line):
            return drillProgress(line, &model)
        case .drillFinished(let result):
            return drillFinished(result, &model)
        case .auditLoaded(let result):
            switch result {
            case .success(let records): model.auditRecords = records
            case .failure(let error): return failure(error, &model)
            }
            return []
        }
    }

    /// Retry delay after `attempts` failures: 0.25 s doubling, never longer than the refresh interval, so
    /// the console recovers within two intervals of the balancer answering again.
    public static func backoff(attempts: Int, interval: Duration) -> TimeInterval {
        min(interval.seconds, 0.25 * Double(1 << min(20, max(0, attempts - 1))))
    }

    /// A refresh of balancer `id` for each balancer that is due and has none in flight: each balancer keeps its
    /// own schedule and backoff, so a slow or dead one never delays the others.
    static func refreshIfDue(_ model: inout ConsoleModel) -> [ConsoleEffect] {
        guard !model.paused else { return [] }
        var effects: [ConsoleEffect] = []
        var visible: [String]?
        for index in model.balancers.indices {
            let balancer = model.balancers[index]
            guard !balancer.refreshInFlight, model.now >= balancer.nextRefresh else { continue }
            model.balancers[index].refreshInFlight = true
            if visible == nil { visible = focus(model) }
            effects.append(.refresh(focus: visible ?? [], on: balancer.id))
        }
        return effects
    }

    /// Backends with at least one row on screen.
    static func focus(_ model: ConsoleModel) -> [String] {
        let visible = model.rows.dropFirst(model.scroll).prefix(model.pageSize)
        var names: [String] = []
        for row in visible {
            guard let name = backendName(of: row, model) else { continue }
            if names.last != name, !model.collapsed.contains(name) { names.append(name) }
        }
        return names
    }

    /// The backend a row belongs to.
    static func backendName(of row: Row, _ model: ConsoleModel) -> String? {
        switch row.kind {
        case .backend(let b), .server(let b, _): model.snapshot?.backends[b].name
        case .fleetBackend(let b), .fleetServer(let b, _): model.fleet.backends[b].name
        }
    }

    // MARK: Keys

    static func handle(key: Key, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        if model.pendingFleetAction != nil, key.cancelsPendingAction {
            model.pendingFleetAction = nil  // the operator moved on: no preview opens by itself later
            model.message = nil
        }
        if case .mouse(let event) = key { return handleMouse(event, &model) }
        if let dialog = model.dialog { return handleDialog(key, dialog, &model) }
        if model.filterInput != nil { return editFilter(key: key, &model) }
        if model.commandPalette.input != nil { return editPalette(key: key, &model) }
        if model.prompt.input != nil { return editPrompt(key: key, &model) }
        if key == .control("c") {
            model.quitRequested = true
            return [.quit]
        }
        guard let action = model.keymap.action(for: key) else {
            model.message = FooterMessage(
                text: "\(key) is not bound — press \(model.keymap.keys(for: .help).first?.description ?? "?") for help",
                isError: false, until: model.now.addingTimeInterval(3))
            return []
        }
        if let overlay = model.overlay { return handleInOverlay(action, overlay, &model) }
        return perform(action, &model)
    }

    static func perform(_ action: Action, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        switch action {
        case .quit:
            model.quitRequested = true
            return [.quit]
        case .moveUp: move(&model, by: -1)
        case .moveDown: move(&model, by: 1)
        case .pageUp: move(&model, by: -model.pageSize)
        case .pageDown: move(&model, by: model.pageSize)
        case .top: move(&model, to: 0)
        case .bottom: move(&model, to: model.rows.count - 1)
        case .collapse: setCollapsed(&model, true)
        case .expand: setCollapsed(&model, false)
        case .toggleGroup: setCollapsed(&model, nil)
        case .collapseAll:
            model.collapsed = Set(
                model.isFleetView ? model.fleet.backends.map(\.name) : model.snapshot?.backends.map(\.name) ?? [])
            model.rebuildRows()
            if case .server = model.selectedRow?.kind {} else { selectBackendOfSelection(&model) }
            clampScroll(&model)
        case .expandAll:
            model.collapsed = []
            model.rebuildRows()
            clampScroll(&model)
        case .filter:
            model.filterInput = model.filter.text
        case .cancel:
            if !model.filter.isEmpty {
                model.filter = Filter("")
                model.rebuildRows()
                clampScroll(&model)
            }
        case .sortNext:
            model.sort = model.sort.next
            model.rebuildRows()
            clampScroll(&model)
        case .sortReverse:
            model.sortDescending.toggle()
            model.rebuildRows()
        case .help: model.overlay = .help(scroll: 0)
        case .detail:
            if model.view == .servers, let row = model.selectedRow { model.overlay = .detail(id: row.id, scroll: 0) }
        case .frontends: model.view = model.view == .servers ? .frontends : .servers
        case .pause:
            model.paused.toggle()
            if !model.paused {
                model.refreshAllNow()
                return refreshIfDue(&model)
            }
        case .faster, .slower:
            let intervals = intervals
            let current = intervals.firstIndex { $0 >= model.interval } ?? intervals.count - 1
            let next = action == .faster ? max(0, current - 1) : min(intervals.count - 1, current + 1)
            model.interval = intervals[next]
            let soonest = model.now.addingTimeInterval(model.interval.seconds)
            for index in model.balancers.indices {
                model.balancers[index].nextRefresh = min(model.balancers[index].nextRefresh, soonest)
            }
            model.message = FooterMessage(
                text: "refresh every \(format(model.interval))", isError: false, until: model.now.addingTimeInterval(2))
        case .refresh:
            model.refreshAllNow()
            return refreshIfDue(&model)
        case .mark, .markEverywhere, .drain, .ready, .maint, .weight, .health, .agent, .killSessions, .undo, .auditLog:
            return performWrite(action, &model)
        case .commandPalette:
            openPalette(&model)
        case .rawPrompt:
            if let missing = missingCapability(for: .rawPrompt, model) {
                model.message = FooterMessage(
                    text: "\(missing): the raw prompt is disabled", isError: true,
                    until: model.now.addingTimeInterval(4))
                return []
            }
            model.prompt.input = ""
            model.overlay = .raw(scroll: 0)
        case .events:
            model.overlay = .events(scroll: 0)
        case .failover, .failback, .redistribute, .reapply, .makeConsistent:
            return performWrite(action, &model)
        case .focus:
            cycleFocus(&model)
        case .incident:
            model.dialog = .incident(open: model.openIncident, title: "")
        case .routes:
            return openRoutes(&model)
        case .drill:
            return performDrill(&model)
        }
        return []
    }

    static func handleInOverlay(_ action: Action, _ overlay: Overlay, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        if case .routes = overlay { return handleInRoutes(action, &model) }
        func scrolled(by delta: Int) {
            switch overlay {
            case .help(let scroll): model.overlay = .help(scroll: max(0, scroll + delta))
            case .detail(let id, let scroll): model.overlay = .detail(id: id, scroll: max(0, scroll + delta))
            case .log(let scroll): model.overlay = .log(scroll: max(0, scroll + delta))
            case .raw(let scroll): model.overlay = .raw(scroll: max(0, scroll - delta))
            case .events(let scroll): model.overlay = .events(scroll: max(0, scroll + delta))
            case .routes: break
            }
        }
        switch action {
        case .quit:
            model.quitRequested = true
            return [.quit]
        case .cancel: model.overlay = nil
        case .help:
            if case .help = overlay { model.overlay = nil } else { model.overlay = .help(scroll: 0) }
        case .detail:
            if case .detail = overlay { model.overlay = nil }
        case .auditLog:
            if case .log = overlay { model.overlay = nil }
        case .rawPrompt:
            model.prompt.input = ""
            model.overlay = .raw(scroll: 0)
        case .commandPalette:
            openPalette(&model)
        case .moveUp: scrolled(by: -1)
        case .moveDown: scrolled(by: 1)
        case .pageUp: scrolled(by: -model.pageSize)
        case .pageDown: scrolled(by: model.pageSize)
        case .top: scrolled(by: -1_000_000)
        case .pause, .faster, .slower, .refresh: return perform(action, &model)
        default: break
        }
        return []
    }

    static func editFilter(key: Key, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        var text = model.filterInput ?? ""
        switch key {
        case .enter:
            model.filterInput = nil
            applyFilter(text, &model)
            return []
        case .escape:
            model.filterInput = nil
            model.filter = Filter("")
            model.rebuildRows()
            clampScroll(&model)
            return []
        case .control("c"):
            model.quitRequested = true
            return [.quit]
        default:
            guard let edited = TextInput.filter.edited(text, by: key) else { return [] }
            text = edited
        }
        model.filterInput = text
        // Narrow as you type.
        model.filter = Filter(text)
        model.rebuildRows()
        clampScroll(&model)
        return []
    }

    /// Puts `text` in force as the filter (`/` Enter, `:filter`), from the first row.
    static func applyFilter(_ text: String, _ model: inout ConsoleModel) {
        model.filter = Filter(text)
        model.cursor = 0
        model.selectedID = nil
        model.scroll = 0
        model.rebuildRows()
    }

    // MARK: Movement

    static func move(_ model: inout ConsoleModel, by delta: Int) {
        move(&model, to: model.cursor + delta)
    }

    static func move(_ model: inout ConsoleModel, to position: Int) {
        guard !model.rows.isEmpty else { return }
        model.cursor = min(max(0, position), model.rows.count - 1)
        model.selectedID = model.rows[model.cursor].id
        clampScroll(&model)
    }

    static func clampScroll(_ model: inout ConsoleModel) {
        let page = model.pageSize
        if model.cursor < model.scroll { model.scroll = model.cursor }
        if model.cursor >= model.scroll + page { model.scroll = model.cursor - page + 1 }
        model.scroll = max(0, min(model.scroll, max(0, model.rows.count - page)))
    }

    static func setCollapsed(_ model: inout ConsoleModel, _ collapsed: Bool?) {
        guard let row = model.selectedRow, let name = backendName(of: row, model) else { return }
        let collapse = collapsed ?? !model.collapsed.contains(name)
        if collapse { model.collapsed.insert(name) } else { model.collapsed.remove(name) }
        model.selectedID = .backend(name)
        model.rebuildRows()
        clampScroll(&model)
    }

    static func selectBackendOfSelection(_ model: inout ConsoleModel) {
        guard let id = model.selectedID?.server else { return }
        model.selectedID = .backend(id.backend)
        model.rebuildRows()
    }

    /// `250ms`, `1s`, `30s`.
    public static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        return seconds == seconds.rounded() ? "\(Int(seconds))s" : String(printf: "%.1fs", seconds)
    }
}
