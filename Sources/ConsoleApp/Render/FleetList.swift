import FoundationEssentials
import SwitchboardCore
import TerminalUI

/// The fleet view: backends and servers merged across the balancers in view — a state cell per node (or a
/// count such as `UP ×3` when they do not fit), weights per node, sessions and rate summed, drift marked.
enum FleetList {
    /// Widths of the fixed columns.
    static let nameWidth = 22, sessionsWidth = 7, rateWidth = 7

    /// How the node states are laid out.
    struct Columns {
        /// One cell per node (nil: one summary column).
        var nodeWidth: Int?
        var stateX: Int
        var stateWidth: Int
        var weightWidth: Int
        var weightX: Int
        var sessionsX: Int
        var rateX: Int
        var driftX: Int
        var driftWidth: Int

        init(width: Int, nodes: Int) {
            // Room for every node's weight ("100/50/100") on wide screens.
            weightWidth = width >= 160 ? min(30, max(12, nodes * 4)) : 12
            let fixed = 1 + nameWidth + 1 + weightWidth + 1 + sessionsWidth + 1 + rateWidth + 1
            let room = width - fixed - 10
            // Up to 14 cells per node, so labels stay readable when few balancers share the width.
            let perNode = min(14, room / max(1, nodes))
            nodeWidth = perNode >= 5 ? perNode : nil
            stateX = 1 + nameWidth + 1
            stateWidth = nodeWidth.map { $0 * nodes } ?? max(10, min(22, room))
            weightX = stateX + stateWidth + 1
            sessionsX = weightX + weightWidth + 1
            rateX = sessionsX + sessionsWidth + 1
            driftX = rateX + rateWidth + 1
            driftWidth = max(0, width - driftX)
        }
    }

    static func render(_ model: ConsoleModel, theme: Theme, into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let fleet = model.fleet
        let columns = Columns(width: area.width, nodes: fleet.nodes.count)
        let titleRow = area.row(0)
        buffer.fill(titleRow, with: Cell(" ", style: theme.columnTitles))
        func title(_ text: String, _ x: Int, _ width: Int, right: Bool = false, style: Style? = nil) {
            guard width > 0 else { return }
            buffer.write(
                right ? Format.right(text, width) : Format.fit(text, width), x: titleRow.x + x, y: titleRow.y,
                style: style ?? theme.columnTitles, maxWidth: width)
        }
        title("NAME", 1, nameWidth)
        let staleNodes = fleet.nodes.map { id in
            model.index(of: id).map { model.balancers[$0].isStale(now: model.now, interval: model.interval) } ?? true
        }
        if let nodeWidth = columns.nodeWidth {
            for (node, label) in fleet.labels.enumerated() {
                var style = theme.columnTitles
                if staleNodes[node], model.useColor { style.foreground = .red }
                if let colour = model.index(of: fleet.nodes[node]).flatMap({ model.balancers[$0].profile.colour }),
                    model.useColor, !staleNodes[node]
                {
                    style.foreground = colour
                }
                title(
                    staleNodes[node] ? "!" + label : label, columns.stateX + node * nodeWidth, nodeWidth - 1,
                    style: style)
            }
        } else {
            title("STATE ×\(fleet.nodes.count) NODES", columns.stateX, columns.stateWidth)
        }
        title("WEIGHT", columns.weightX, columns.weightWidth)
        title("SESS", columns.sessionsX, sessionsWidth, right: true)
        title("RATE", columns.rateX, rateWidth, right: true)
        title("DRIFT", columns.driftX, columns.driftWidth)

        let list = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        if model.rows.isEmpty {
            let text =
                fleet.backends.isEmpty
                ? "no data from any balancer yet"
                : "nothing matches the filter '\(model.filter.text)' — Esc clears it"
            buffer.write(text, x: list.x + 2, y: list.y + 1, style: theme.dim, maxWidth: list.width - 2)
            return
        }
        for (offset, row) in model.rows.dropFirst(model.scroll).prefix(list.height).enumerated() {
            let y = list.y + offset
            switch row.kind {
            case .fleetBackend(let b):
                backendRow(
                    fleet.backends[b], model: model, theme: theme, columns: columns, stale: staleNodes, buffer: &buffer,
                    x: list.x, y: y)
            case .fleetServer(let b, let s):
                serverRow(
                    fleet.backends[b].servers[s], model: model, theme: theme, columns: columns, stale: staleNodes,
                    buffer: &buffer, x: list.x, y: y)
            case .backend, .server:
                continue
            }
            if model.scroll + offset == model.cursor {
                for x in list.x..<list.right {
                    guard var cell = buffer[x, y] else { continue }
                    cell.style.reverse = true
                    buffer.set(x, y, cell)
                }
            }
        }
    }

    /// A node cell with nothing to show: `—` where the node answered without it (missing), `?` where the node
    /// never answered (unknown).
    static func absent(
        _ node: Int, model: ConsoleModel, theme: Theme, buffer: inout Buffer, x: Int, y: Int, width: Int
    ) {
        let known = model.fleet.answered[node]
        buffer.write(
            known ? (model.glyphs == .ascii ? "--" : "—") : "?", x: x, y: y, style: known ? theme.error : theme.dim,
            maxWidth: width)
    }

    /// A short state for a node cell.
    static func short(_ status: ServerStatus) -> String {
        switch status.kind {
        case .up: "UP"
        case .down: "DOWN"
        case .maint: "MAINT"
        case .drain: "DRAIN"
        case .nolb: "NOLB"
        case .noCheck: "no chk"
        case .other: status.text.isEmpty ? "?" : status.text
        }
    }

    static func serverRow(
        _ server: FleetServer, model: ConsoleModel, theme: Theme, columns: Columns, stale: [Bool],
        buffer: inout Buffer, x: Int, y: Int
    ) {
        let ascii = model.glyphs == .ascii
        let cells = server.cells
        let present = cells.compactMap { $0 }
        let mark = model.marked.contains(server.id) ? (ascii ? "* " : "● ") : "  "
        let backup = present.first?.isBackup == true ? " (backup)" : ""
        buffer.write(
            Format.fit(mark + server.name + backup, nameWidth, ascii: ascii), x: x + 1, y: y, style: .plain,
            maxWidth: nameWidth)
        let missing = ascii ? "--" : "—"
        if let nodeWidth = columns.nodeWidth {
            for (node, cell) in cells.enumerated() {
                let cellX = x + columns.stateX + node * nodeWidth
                guard let cell else {
                    absent(node, model: model, theme: theme, buffer: &buffer, x: cellX, y: y, width: nodeWidth - 1)
                    continue
                }
                let style = stale[node] ? theme.dim : theme.state(cell.status, health: cell.health)
                buffer.write(
                    Format.fit(short(cell.status), nodeWidth - 1), x: cellX, y: y, style: style, maxWidth: nodeWidth - 1
                )
            }
        } else {
            var counts: [(String, Int, Style)] = []
            for (node, cell) in cells.enumerated() {
                let text = cell.map { short($0.status) } ?? (model.fleet.answered[node] ? missing : "?")
                if let index = counts.firstIndex(where: { $0.0 == text }) {
                    counts[index].1 += 1
                } else {
                    counts.append((text, 1, cell.map { theme.state($0.status, health: $0.health) } ?? theme.error))
                }
            }
            var cellX = x + columns.stateX
            let end = cellX + columns.stateWidth
            for (text, count, style) in counts where cellX < end {
                let shown = "\(text) ×\(count) "
                cellX += buffer.write(shown, x: cellX, y: y, style: style, maxWidth: end - cellX)
            }
        }
        let presentWeights = Set(present.map(\.weight))
        let weight =
            presentWeights.count == 1
            ? "\(presentWeights.first!)" : cells.map { $0.map { "\($0.weight)" } ?? "-" }.joined(separator: "/")
        buffer.write(
            Format.fit(weight, columns.weightWidth), x: x + columns.weightX, y: y,
            style: server.drift.contains(.weight) ? theme.warning : .plain, maxWidth: columns.weightWidth)
        buffer.write(
            Format.right(Format.compact(present.reduce(0) { $0 + $1.sessions }), sessionsWidth),
            x: x + columns.sessionsX,
            y: y, style: .plain)
        buffer.write(
            Format.right(Format.compact(present.reduce(0) { $0 + $1.rate }), rateWidth), x: x + columns.rateX, y: y,
            style: .plain)
        if !server.drift.isEmpty, columns.driftWidth > 0 {
            buffer.write(
                Format.fit(driftText(server, labels: model.fleet.labels, ascii: ascii), columns.driftWidth),
                x: x + columns.driftX, y: y, style: theme.warning, maxWidth: columns.driftWidth)
        }
    }

    /// `≠ weight, admin · lb2` or `missing on lb3`.
    static func driftText(_ server: FleetServer, labels: [String], ascii: Bool) -> String {
        let perNode = server.cells
        let missingOn = perNode.indices.filter { perNode[$0] == nil && server.knownMissing($0) }.map { labels[$0] }
        let kinds = FleetServer.Drift.allCases.filter { server.drift.contains($0) && $0 != .missing }.map(\.rawValue)
        var parts: [String] = []
        if !kinds.isEmpty {
            parts.append(
                (ascii ? "!= " : "≠ ") + kinds.joined(separator: ", ") + " · "
                    + server.outliers.filter { perNode[$0] != nil }.map { labels[$0] }.joined(separator: ","))
        }
        if !missingOn.isEmpty { parts.append("missing on " + missingOn.joined(separator: ",")) }
        return parts.joined(separator: "; ")
    }

    static func backendRow(
        _ backend: FleetBackend, model: ConsoleModel, theme: Theme, columns: Columns, stale: [Bool],
        buffer: inout Buffer, x: Int, y: Int
    ) {
        let collapsed = model.collapsed.contains(backend.name)
        let marker = model.glyphs == .ascii ? (collapsed ? "+" : "-") : (collapsed ? "▸" : "▾")
        let bold = Style(bold: true)
        let alerted = (model.alerts[backend.name].map { $0 > model.now } ?? false)
        buffer.write(
            Format.fit("\(marker) \(backend.name)" + (alerted ? " !" : ""), nameWidth + 1), x: x, y: y,
            style: alerted ? theme.error : bold, maxWidth: nameWidth + 1)
        let perNode = backend.activeServingPerNode
        func style(_ capacity: (serving: Int, total: Int)) -> Style {
            var style =
                capacity.serving == 0 ? theme.error : capacity.serving < capacity.total ? theme.warning : theme.good
            style.bold = true
            return style
        }
        if let nodeWidth = columns.nodeWidth {
            for (node, capacity) in perNode.enumerated() {
                let cellX = x + columns.stateX + node * nodeWidth
                guard let capacity else {
                    absent(node, model: model, theme: theme, buffer: &buffer, x: cellX, y: y, width: nodeWidth - 1)
                    continue
                }
                buffer.write(
                    Format.fit("\(capacity.serving)/\(capacity.total)", nodeWidth - 1), x: cellX, y: y,
                    style: stale[node] ? theme.dim : style(capacity), maxWidth: nodeWidth - 1)
            }
        } else {
            let total = backend.activeServing
            buffer.write(
                Format.fit("\(total.serving)/\(total.total) serving", columns.stateWidth), x: x + columns.stateX,
                y: y, style: style(total), maxWidth: columns.stateWidth)
        }
        let total = backend.activeServing
        buffer.write(
            Format.fit("Σ \(total.serving)/\(total.total)", columns.weightWidth), x: x + columns.weightX, y: y,
            style: style(total), maxWidth: columns.weightWidth)
        buffer.write(
            Format.right(Format.compact(backend.sessions), sessionsWidth), x: x + columns.sessionsX, y: y, style: bold)
        buffer.write(Format.right(Format.compact(backend.rate), rateWidth), x: x + columns.rateX, y: y, style: bold)
        let missingOn = backend.perNode.indices.filter { backend.perNode[$0] == nil && model.fleet.answered[$0] }
            .map { model.fleet.labels[$0] }
        if !missingOn.isEmpty, columns.driftWidth > 0 {
            buffer.write(
                Format.fit("missing on " + missingOn.joined(separator: ","), columns.driftWidth), x: x + columns.driftX,
                y: y, style: theme.warning, maxWidth: columns.driftWidth)
        }
    }
}
