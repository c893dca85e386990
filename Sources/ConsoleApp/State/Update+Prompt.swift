import FoundationEssentials
import SwitchboardCore

extension ConsoleUpdate {
    /// Keys while the raw Runtime API prompt is open.
    static func editPrompt(key: Key, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        var text = model.prompt.input ?? ""
        switch key {
        case .escape, .control("c"):
            model.prompt.input = nil
            model.prompt.historyIndex = nil
            if case .raw = model.overlay { model.overlay = nil }
            return []
        case .enter:
            model.prompt.historyIndex = nil
            guard !text.trimmingSpaces().isEmpty else { return [] }
            if model.prompt.history.last != text { model.prompt.history.append(text) }
            if model.prompt.history.count > 100 { model.prompt.history.removeFirst() }
            model.prompt.input = ""
            let words = text.split(separator: " ", maxSplits: 1).map(String.init)
            if let verb = words.first, verb == "target" || verb == "focus" {
                model.prompt.transcript.append("> \(text)")
                if let problem = focus(named: words.count > 1 ? words[1] : "all", &model) {
                    model.prompt.transcript.append("✗ \(problem)")
                } else {
                    model.prompt.transcript.append("✓ \(model.message?.text ?? "focus changed")")
                    model.prompt.input = nil
                    if case .raw = model.overlay { model.overlay = nil }
                }
                return []
            }
            if model.isFleetView {
                model.prompt.transcript.append("> \(text)")
                model.prompt.transcript.append(
                    "✗ fleet view: raw commands go to one balancer — `:target NAME` first "
                        + "(\(model.balancers.map(\.id.rawValue).joined(separator: ", "))); nothing was sent")
                return []
            }
            let command: RuntimeCommand
            do {
                command = try RuntimeCommand.raw(text)
            } catch let error as SwitchboardError {
                model.prompt.transcript.append("> \(text)")
                model.prompt.transcript.append("✗ \(error.message)")
                return []
            } catch { return [] }
            if command.isWrite {
                if let reason = model.readOnlyReason {
                    model.prompt.transcript.append("> \(text)")
                    model.prompt.transcript.append(
                        "✗ read-only (\(reason)): only show … and get … commands; nothing was sent")
                    return []
                }
                model.dialog = .raw(command)
                return []
            }
            model.prompt.transcript.append("> \(text)")
            return [.raw(command, on: model.primary.id)]
        case .up:
            guard !model.prompt.history.isEmpty else { return [] }
            let index = max(0, (model.prompt.historyIndex ?? model.prompt.history.count) - 1)
            model.prompt.historyIndex = index
            text = model.prompt.history[index]
        case .down:
            guard let index = model.prompt.historyIndex else { return [] }
            if index + 1 < model.prompt.history.count {
                model.prompt.historyIndex = index + 1
                text = model.prompt.history[index + 1]
            } else {
                model.prompt.historyIndex = nil
                text = ""
            }
        case .tab:
            text = complete(text, model)
        case .pageUp, .pageDown:
            if case .raw(let scroll) = model.overlay {
                model.overlay = .raw(scroll: max(0, scroll + (key == .pageUp ? model.pageSize : -model.pageSize)))
            }
        default:
            if let edited = TextInput.prompt.edited(text, by: key) { text = edited }
        }
        model.prompt.input = text
        return []
    }

    /// Completes the last word with a backend or `backend/server` name (the longest common prefix).
    static func complete(_ text: String, _ model: ConsoleModel) -> String {
        guard let snapshot = model.snapshot else { return text }
        let prefix = text.split(separator: " ", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        var names = snapshot.backends.map(\.name)
        if prefix.contains("/") { names = snapshot.allServers.map(\.id.description) }
        let matches = names.filter { $0.hasPrefix(prefix) }
        guard let first = matches.first else { return text }
        var common = first
        for match in matches.dropFirst() {
            while !match.hasPrefix(common) { common.removeLast() }
        }
        if matches.count == 1 && !prefix.contains("/") && !snapshot.backends.isEmpty { common += "/" }
        return String(text.dropLast(prefix.count)) + common
    }

    /// A raw command's reply arrived.
    static func rawReplied(_ command: String, _ result: Result<String, SwitchboardError>, _ model: inout ConsoleModel)
        -> [ConsoleEffect]
    {
        switch result {
        case .success(let reply):
            let lines = reply.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            model.prompt.transcript += lines.isEmpty || reply.isEmpty ? ["(ok)"] : lines.prefix(2_000)
        case .failure(let error):
            model.prompt.transcript.append("✗ \(error.message)")
        }
        if model.prompt.transcript.count > 5_000 {
            model.prompt.transcript.removeFirst(model.prompt.transcript.count - 5_000)
        }
        model.overlay = .raw(scroll: 0)
        return []
    }

    /// Redistribution watching: the split of new sessions (lbtot deltas) since the plan was applied.
    static func watchSplit(_ model: inout ConsoleModel) {
        guard var watch = model.splitWatch, let backend = model.snapshot?.backend(named: watch.backend) else { return }
        if model.now > watch.until {
            model.splitWatch = nil
            return
        }
        let totals = Dictionary(uniqueKeysWithValues: backend.activeServers.map { ($0.name, $0.selectedTotal) })
        guard let baseline = watch.baseline else {
            watch.baseline = totals
            model.splitWatch = watch
            return
        }
        var deltas: [String: Int] = [:]
        for (server, total) in totals { deltas[server] = max(0, total - (baseline[server] ?? 0)) }
        let counted = deltas.values.reduce(0, +)
        watch.counted = counted
        watch.observed = counted > 0 ? deltas.mapValues { Double($0) / Double(counted) } : [:]
        model.splitWatch = watch
    }

    /// Gradual fail back: once the last server is UP and picked by the balancer (or was restored to
    /// DRAIN/MAINT, or 30 s passed), send the next one.
    static func watchFailback(_ model: inout ConsoleModel) -> [ConsoleEffect] {
        guard var waiting = model.failback.waiting, let snapshot = model.snapshot else { return [] }
        let progress = waiting.watch.observe(snapshot)
        model.failback.waiting = waiting
        if case .reloaded = progress {
            model.message = FooterMessage(
                text: "reload during the gradual fail back: waiting for \(waiting.watch.server) on the new worker",
                isError: true, until: model.now.addingTimeInterval(8))
        }
        let done = progress == .serving || progress == .notReturning
        guard done || model.now >= waiting.deadline else { return [] }
        model.failback.waiting = nil
        guard !model.failback.queue.isEmpty else { return [] }
        // The next step is projected on the state the previous steps left (its own compare-and-set base).
        return send(ActionPlanner.reproject(model.failback.queue.removeFirst(), on: snapshot), &model)
    }

    /// Drain watching: called after every refresh.
    static func watchDrain(_ model: inout ConsoleModel) -> [ConsoleEffect] {
        guard var watch = model.drainWatch, let snapshot = model.snapshot else { return [] }
        let names = watch.targets.map(\.description).joined(separator: ", ")
        let observation = watch.tracker.observe(snapshot)
        if let reload = observation.reload, !observation.lost.isEmpty {
            model.drainWatch = nil
            model.message = FooterMessage(
                text: "reload (pid \(reload.from) → \(reload.to)) lost the DRAIN of "
                    + observation.lost.map(\.description).joined(separator: ", ")
                    + ": they take traffic again — drain them again"
                    + (watch.thenMaint ? "; MAINT was not sent" : ""),
                isError: true, until: model.now.addingTimeInterval(20))
            return []
        }
        let remaining = observation.sessions
        watch.remaining = remaining
        model.drainWatch = watch
        let timedOut = model.now >= watch.deadline
        guard remaining == 0 || timedOut else { return [] }
        model.drainWatch = nil
        if !watch.tracker.oldWorkers.isEmpty {
            // The new worker's count says nothing of an old worker, which may still serve these sessions.
            let old = watch.tracker.oldWorkers.sorted().map(String.init).joined(separator: ", ")
            return info(
                "\(remaining) session(s) on the new worker; the old worker (pid \(old)) may still serve sessions of \(names), "
                    + "which the console cannot see"
                    + (watch.thenMaint ? " — MAINT was not sent: press m when sure" : ""),
                &model)
        }
        guard watch.thenMaint else {
            return info(
                timedOut
                    ? "drain of \(names): \(remaining) session(s) still open at the deadline"
                    : "drained \(names): 0 sessions", &model)
        }
        do {
            let plan = try ActionPlanner.plan(
                ActionIntent(targets: watch.targets, operation: .setAdmin(.maint)), on: snapshot)
            return send(plan, &model)  // confirmed when the drain-then-MAINT was confirmed
        } catch let error as SwitchboardError {
            return failure(error, &model)
        } catch { return [] }
    }
}
