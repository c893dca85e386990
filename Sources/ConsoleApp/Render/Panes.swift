import FoundationEssentials
import SwitchboardCore
import TerminalUI

/// The help pane: every binding of the active keymap with its help text, then how to read the screen.
enum HelpPane {
    static func lines(_ model: ConsoleModel) -> [(String, String)] {
        let disabled = model.readOnlyReason
        var lines: [(String, String)] = model.keymap.bindings.map { binding in
            (
                binding.keys.map(\.description).joined(separator: " "),
                binding.help + (binding.action.isWrite && disabled != nil ? "  [disabled: \(disabled!)]" : "")
            )
        }
        lines.append(("", ""))
        lines.append(("LOAD", "sessions ÷ maxconn when the server has one, else ÷ the busiest server of its backend"))
        lines.append(("SHARE", "the server's share of new traffic from the weights of the servers in use"))
        lines.append(("backend bar", "capacity: weight of serving active servers ÷ their configured weight"))
        lines.append(("STALE", "the data shown is old: the balancer did not answer; retrying"))
        lines.append(("filter", "text · state:up|down|maint|drain|nolb|backup|transition · be:NAME · addr:10.0."))
        if model.mouseEnabled {
            lines.append(("mouse", "click selects · double click: detail · wheel scrolls · click a hint to run it"))
        }
        lines.append(("", ""))
        lines.append(("COMMANDS", "after : — Tab completes, Up/Down recalls, Esc closes; same previews as the keys"))
        for verb in PaletteCommand.verbs {
            lines.append((":" + verb.name + (verb.usage.isEmpty ? "" : " " + verb.usage), verb.help))
        }
        if model.isReadOnly {
            lines.append(
                (
                    "READ-ONLY",
                    model.readOnlyRequested ? "--read-only: no changes are sent" : "the socket is below admin level"
                ))
        }
        return lines
    }

    static func render(_ model: ConsoleModel, scroll: Int, theme: Theme, into buffer: inout Buffer) {
        let area = paneArea(model)
        Frame(title: "Help — keymap \(model.keymap.name)", style: Style(bold: true), glyphs: model.glyphs).render(
            into: &buffer, area: area)
        let inner = Frame.inner(area)
        let entries = lines(model)
        let keyWidth = min(18, max(8, inner.width / 3))
        let start = min(scroll, max(0, entries.count - inner.height))
        for (offset, entry) in entries.dropFirst(start).prefix(inner.height).enumerated() {
            let y = inner.y + offset
            buffer.write(Format.fit(entry.0, keyWidth), x: inner.x + 1, y: y, style: Style(bold: true))
            buffer.write(Format.fit(entry.1, inner.width - keyWidth - 3), x: inner.x + keyWidth + 2, y: y)
        }
    }

    static func paneArea(_ model: ConsoleModel) -> Rect {
        let marginX = model.width >= 80 ? 4 : 1
        let marginY = model.height >= 24 ? 2 : 1
        return Rect(x: marginX, y: marginY, width: model.width - 2 * marginX, height: model.height - 2 * marginY - 1)
    }
}

/// The detail pane: what Switchboard derived, then every field HAProxy reported for the row.
enum DetailPane {
    /// Per node: the server's (or backend's) state on each balancer in view, drift first.
    static func fleetLines(_ model: ConsoleModel, id: RowID) -> [(String, String)] {
        let fleet = model.fleet
        var lines: [(String, String)] = []
        if let serverID = id.server, let server = fleet.server(id: serverID) {
            if !server.drift.isEmpty {
                lines.append(
                    ("drift", FleetList.driftText(server, labels: fleet.labels, ascii: model.glyphs == .ascii)))
            }
            for (node, label) in fleet.labels.enumerated() {
                guard let one = server.perNode[node] else {
                    lines.append(
                        (
                            label,
                            fleet.answered[node]
                                ? "missing: no server \(server.name) in \(server.backend) there" : "no data yet"
                        ))
                    continue
                }
                let check = one.check.map { " · check \($0.status)" } ?? ""
                lines.append(
                    (
                        label,
                        "\(one.status.text) · \(one.admin.mode.rawValue) · health \(one.health.rawValue)"
                            + (one.checksEnabled ? "" : " (checks off)") + " · weight \(one.weight)/"
                            + (one.initialWeight.map(String.init) ?? "?")
                            + " · sess \(one.sessions) · rate \(one.rate)/s"
                            + check + " · \(one.address.isEmpty ? "-" : one.address)"
                    ))
            }
        } else if case .backend(let name) = id, let backend = fleet.backends.first(where: { $0.name == name }) {
            let total = backend.activeServing
            lines.append(
                ("fleet", "\(total.serving)/\(total.total) active serving across \(fleet.labels.count) balancers"))
            for (node, label) in fleet.labels.enumerated() {
                guard let one = backend.perNode[node], let capacity = backend.activeServingPerNode[node] else {
                    lines.append(
                        (label, fleet.answered[node] ? "missing: no backend \(backend.name) there" : "no data yet"))
                    continue
                }
                lines.append(
                    (
                        label,
                        "\(one.status) · \(capacity.serving)/\(capacity.total) active serving · backups up \(one.backupUp)"
                            + " · sess \(one.sessions) · rate \(one.rate)/s"
                    ))
            }
        } else {
            lines.append(("", "\(id) is no longer reported by any balancer in view"))
        }
        return lines
    }

    static func lines(_ model: ConsoleModel, id: RowID) -> [(String, String)] {
        if model.isFleetView { return fleetLines(model, id: id) }
        guard let snapshot = model.snapshot else { return [] }
        var lines: [(String, String)] = []
        var record: StatRecord?
        if let serverID = id.server, let server = snapshot.server(serverID) {
            let admin = server.admin
            lines.append(
                (
                    "admin",
                    admin.mode.rawValue + (admin.inherited ? " (inherited)" : "")
                        + (admin.fromConfig ? " (config disabled)" : "")
                ))
            lines.append(("health", server.health.rawValue + (server.checksEnabled ? "" : " (checks disabled)")))
            lines.append(
                (
                    "weight",
                    "\(server.weight) (initial \(server.initialWeight.map(String.init) ?? "?"), effective \(server.effectiveWeight))"
                ))
            if let check = server.check {
                lines.append(
                    ("check", [check.status, check.description].filter { !$0.isEmpty }.joined(separator: " — ")))
            }
            if let agent = server.agent {
                lines.append(
                    ("agent", [agent.status, agent.description].filter { !$0.isEmpty }.joined(separator: " — ")))
            }
            record = server.fields
        } else if case .backend(let name) = id, let backend = snapshot.backend(named: name) {
            lines.append(
                (
                    "servers",
                    "\(backend.activeUp)/\(backend.activeServers.count) active UP, \(backend.backupUp)/\(backend.backupServers.count) backup UP"
                ))
            lines.append(
                ("capacity", "\(Int((Share.capacity(of: backend) * 100).rounded()))% of the configured active weight"))
            record = backend.fields
        } else {
            return [("", "\(id) is no longer reported by the balancer")]
        }
        lines.append(("", ""))
        for field in record?.allFields ?? [] where !field.value.isEmpty { lines.append((field.name, field.value)) }
        return lines
    }

    /// The recent history of the row, for small graphs (last 5 minutes at 1 s).
    static func graphLines(_ model: ConsoleModel, id: RowID) -> [(label: String, values: [Int])] {
        var graphs: [(String, [Int])] = []
        let keep = Metrics.historyLength
        let key: Metrics.Key = id.server.map { .server($0) } ?? .backend(id.backend)
        if case let rate = model.metrics.rateHistory(key), !rate.isEmpty {
            graphs.append(("rate (history)", Array(rate.suffix(keep))))
        }
        if let series = model.metrics.series(key) {
            graphs.append(("sessions", Array(series.sessions.suffix(keep))))
            graphs.append(("5xx/s", Array(series.errors.suffix(keep))))
            graphs.append(("queue", Array(series.queue.suffix(keep))))
        }
        if !graphs.isEmpty { graphs.append(("", [])) }
        return graphs
    }

    static func render(_ model: ConsoleModel, id: RowID, scroll: Int, theme: Theme, into buffer: inout Buffer) {
        let area = HelpPane.paneArea(model)
        Frame(title: id.description, style: Style(bold: true), glyphs: model.glyphs).render(into: &buffer, area: area)
        let inner = Frame.inner(area)
        let entries = lines(model, id: id)
        let nameWidth = min(24, max(8, inner.width / 3))
        let start = min(scroll, max(0, entries.count - inner.height))
        let graphs = graphLines(model, id: id)
        let graphHeight = inner.height >= 12 ? graphs.count : 0
        for (offset, graph) in graphs.prefix(graphHeight).enumerated() {
            let y = inner.y + offset
            buffer.write(Format.fit(graph.label, nameWidth), x: inner.x + 1, y: y, style: theme.dim)
            let width = max(0, inner.width - nameWidth - 16)
            Sparkline(
                values: graph.values.suffix(width).map(Double.init), style: theme.role(.sparkline), glyphs: model.glyphs
            )
            .render(into: &buffer, area: Rect(x: inner.x + nameWidth + 2, y: y, width: width, height: 1))
            guard let maximum = graph.values.max() else { continue }
            let peak = "max \(maximum)"
            buffer.write(peak, x: inner.right - peak.count - 1, y: y, style: theme.dim)
        }
        let listTop = inner.y + graphHeight
        let listHeight = inner.height - graphHeight
        for (offset, entry) in entries.dropFirst(start).prefix(listHeight).enumerated() {
            let y = listTop + offset
            buffer.write(Format.fit(entry.0, nameWidth), x: inner.x + 1, y: y, style: theme.dim)
            buffer.write(Format.fit(entry.1, inner.width - nameWidth - 3), x: inner.x + nameWidth + 2, y: y)
        }
        if entries.count > inner.height {
            let position = " \(start + 1)-\(min(entries.count, start + inner.height))/\(entries.count) "
            buffer.write(position, x: area.right - position.count - 2, y: area.bottom - 1, style: theme.dim)
        }
    }
}
