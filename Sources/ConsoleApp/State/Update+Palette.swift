import FoundationEssentials
import SwitchboardCore

extension ConsoleUpdate {
    /// Opens the `:` command palette.
    static func openPalette(_ model: inout ConsoleModel) {
        model.commandPalette.input = ""
        model.commandPalette.error = nil
        model.commandPalette.candidates = []
        model.commandPalette.historyIndex = nil
    }

    /// Keys while the command palette is open.
    static func editPalette(key: Key, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        var text = model.commandPalette.input ?? ""
        model.commandPalette.candidates = []
        switch key {
        case .escape, .control("c"):
            model.commandPalette = PaletteInput(keepingHistoryOf: model.commandPalette)
            return []
        case .enter:
            model.commandPalette.historyIndex = nil
            guard !text.trimmingSpaces().isEmpty else {
                model.commandPalette = PaletteInput(keepingHistoryOf: model.commandPalette)
                return []
            }
            if model.commandPalette.history.last != text { model.commandPalette.history.append(text) }
            if model.commandPalette.history.count > 100 { model.commandPalette.history.removeFirst() }
            do {
                let command = try PaletteCommand.parse(text)
                // Closed first: the command may open a dialog, a pane or the raw prompt of its own.
                model.commandPalette = PaletteInput(keepingHistoryOf: model.commandPalette)
                return try run(command, &model)
            } catch {
                model.commandPalette.input = text
                model.commandPalette.error = error.message
                return []
            }
        case .up:
            let history = model.commandPalette.history
            guard !history.isEmpty else { return [] }
            let index = max(0, (model.commandPalette.historyIndex ?? history.count) - 1)
            model.commandPalette.historyIndex = index
            text = history[index]
        case .down:
            guard let index = model.commandPalette.historyIndex else { return [] }
            let history = model.commandPalette.history
            if index + 1 < history.count {
                model.commandPalette.historyIndex = index + 1
                text = history[index + 1]
            } else {
                model.commandPalette.historyIndex = nil
                text = ""
            }
        case .tab:
            let completion = PaletteCompletion.complete(text, names: PaletteNames(model))
            text = completion.text
            model.commandPalette.candidates = completion.candidates
        default:
            guard let edited = TextInput.prompt.edited(text, by: key) else { return [] }
            text = edited
        }
        model.commandPalette.error = nil
        model.commandPalette.input = text
        return []
    }

    /// Runs a parsed palette command through the same paths as the keys: the same guards, plans and dialogs.
    static func run(_ command: PaletteCommand, _ model: inout ConsoleModel) throws(PaletteError) -> [ConsoleEffect] {
        switch command {
        case .servers(let action, let names):
            guard !names.isEmpty else { return perform(action, &model) }
            let refs = try resolveServers(names, model)
            if refs.count == 1 { select(.server(refs[0].id), &model) }
            return performWrite(action, explicit: refs, &model)
        case .weight(let names, let value):
            let effects: [ConsoleEffect]
            if names.isEmpty {
                effects = perform(.weight, &model)
            } else {
                let refs = try resolveServers(names, model)
                if refs.count == 1 { select(.server(refs[0].id), &model) }
                effects = performWrite(.weight, explicit: refs, &model)
            }
            if let value, case .weight(let targets, _) = model.dialog {
                model.dialog = .weight(targets: targets, text: value)
            }
            return effects
        case .backend(let action, let name):
            if let name {
                guard PaletteNames(model).backends.contains(name) else {
                    throw PaletteError("no backend \(name) on \(viewName(model)) (Tab completes names)")
                }
                guard select(.backend(name), &model) else {
                    throw PaletteError("\(name) is hidden by the filter '\(model.filter.text)' — :filter clears it")
                }
            }
            return performWrite(action, &model)
        case .action(let action):
            return perform(action, &model)
        case .unmark:
            let count = model.marked.count
            model.marked = []
            return info(count == 0 ? "nothing was marked" : "unmarked \(count)", &model)
        case .filter(let text):
            applyFilter(text, &model)
            return text.isEmpty ? info("filter cleared", &model) : []
        case .sort(let column, let descending):
            model.sort = column
            if let descending { model.sortDescending = descending }
            model.rebuildRows()
            clampScroll(&model)
            return []
        case .view(let view):
            return show(view, &model)
        case .target(let name):
            if let problem = focus(named: name, &model) { throw PaletteError(problem) }
            return []
        case .incident(let title):
            model.dialog = .incident(open: model.openIncident, title: model.openIncident == nil ? title : "")
            return []
        case .raw(let line):
            let effects = perform(.rawPrompt, &model)
            guard !line.isEmpty, model.prompt.isOpen else { return effects }
            model.prompt.input = line
            return editPrompt(key: .enter, &model)
        }
    }

    /// `:view NAME`, `:routes`, `:events`, `:log`, `:help`.
    static func show(_ view: PaletteView, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        switch view {
        case .servers, .frontends:
            model.overlay = nil
            model.view = view == .servers ? .servers : .frontends
            return []
        case .events: return perform(.events, &model)
        case .log: return perform(.auditLog, &model)
        case .routes: return perform(.routes, &model)
        case .help:
            model.overlay = .help(scroll: 0)
            return []
        case .raw: return perform(.rawPrompt, &model)
        }
    }

    /// Names typed as targets, as servers of the view: `backend/server`, or a server name found in exactly one
    /// backend. Refused (nothing planned) when a name is unknown, is a backend, or is in several backends.
    static func resolveServers(_ names: [String], _ model: ConsoleModel) throws(PaletteError) -> [ServerRef] {
        let known = PaletteNames(model)
        guard !known.servers.isEmpty else { throw PaletteError("no data from \(viewName(model)) yet") }
        var refs: [ServerRef] = []
        for name in names {
            let id: ServerID
            if let slash = name.firstIndex(of: "/") {
                id = ServerID(backend: String(name[..<slash]), name: String(name[name.index(after: slash)...]))
                guard known.servers.contains(id) else {
                    throw PaletteError("no server \(name) on \(viewName(model)) (Tab completes names)")
                }
            } else {
                let matches = known.servers.filter { $0.name == name }
                if matches.isEmpty {
                    if known.backends.contains(name) {
                        throw PaletteError(
                            "\(name) is a backend: name its servers (\(name)/…), or :failover \(name)")
                    }
                    throw PaletteError("no server \(name) on \(viewName(model)) (Tab completes names)")
                }
                guard matches.count == 1 else {
                    throw PaletteError(
                        "\(name) is in \(matches.count) backends — say which: "
                            + matches.map(\.description).joined(separator: ", "))
                }
                id = matches[0]
            }
            do {
                let ref = try id.validated()
                if !refs.contains(ref) { refs.append(ref) }
            } catch {
                throw PaletteError((error as? SwitchboardError)?.message ?? "\(name): \(error)")
            }
        }
        return refs
    }

    /// Moves the selection to `id` (expanding its backend), as the operator would with the keys; false when the
    /// filter hides it.
    @discardableResult
    static func select(_ id: RowID, _ model: inout ConsoleModel) -> Bool {
        if case .server = id, model.collapsed.contains(id.backend) {
            model.collapsed.remove(id.backend)
            model.rebuildRows()
        }
        guard let index = model.rows.firstIndex(where: { $0.id == id }) else { return false }
        move(&model, to: index)
        return true
    }

    /// The balancer (or balancers) in view, for messages.
    static func viewName(_ model: ConsoleModel) -> String {
        model.isFleetView ? "the balancers in view" : model.primary.profile.label
    }
}

extension PaletteInput {
    /// A closed palette that keeps `other`'s history.
    init(keepingHistoryOf other: PaletteInput) {
        self.init()
        history = other.history
    }
}
