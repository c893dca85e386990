import FoundationEssentials
import SwitchboardCore
import TerminalUI

/// The servers view: column titles, then the visible backend and server rows.
enum ServerList {
    static func render(_ model: ConsoleModel, theme: Theme, into buffer: inout Buffer, area: Rect, reduced: Bool) {
        guard !area.isEmpty else { return }
        if model.isFleetView { return FleetList.render(model, theme: theme, into: &buffer, area: area) }
        let columns = ServerColumn.fit(width: area.width, reduced: reduced)
        let titleRow = area.row(0)
        // A target's colour (a production cue) frames the list: the reversed title bar takes it.
        var titles = theme.columnTitles
        if model.useColor, let colour = model.primary.profile.colour { titles.foreground = colour }
        buffer.fill(titleRow, with: Cell(" ", style: titles))
        for placed in columns {
            let title =
                placed.column.rightAligned ? Format.right(placed.column.title, placed.width) : placed.column.title
            buffer.write(
                title, x: titleRow.x + placed.x, y: titleRow.y, style: titles, maxWidth: placed.width)
        }
        let list = Rect(x: area.x, y: area.y + 1, width: area.width, height: area.height - 1)
        guard let snapshot = model.snapshot else {
            let text = model.connection == .connecting ? "connecting to the balancer…" : "no data from the balancer yet"
            buffer.write(text, x: list.x + 2, y: list.y + 1, style: theme.dim, maxWidth: list.width - 2)
            if case .failing(let error, _) = model.connection {
                buffer.write(error.message, x: list.x + 2, y: list.y + 2, style: theme.error, maxWidth: list.width - 2)
            }
            return
        }
        if model.rows.isEmpty {
            let text =
                model.filter.isEmpty
                ? "no backends" : "nothing matches the filter '\(model.filter.text)' — Esc clears it"
            buffer.write(text, x: list.x + 2, y: list.y + 1, style: theme.dim, maxWidth: list.width - 2)
            return
        }
        let stale = model.isStale
        var sums: [Int: PoolSums] = [:]  // one pass per backend on screen, not one per row
        func pool(_ index: Int) -> PoolSums {
            if let known = sums[index] { return known }
            let computed = PoolSums(snapshot.backends[index])
            sums[index] = computed
            return computed
        }
        for (offset, row) in model.rows.dropFirst(model.scroll).prefix(list.height).enumerated() {
            let y = list.y + offset
            let selected = model.scroll + offset == model.cursor
            switch row.kind {
            case .backend(let index):
                backendRow(
                    snapshot.backends[index], sums: pool(index), model: model, theme: theme, columns: columns,
                    into: &buffer, x: list.x, y: y)
            case .server(let b, let s):
                let backend = snapshot.backends[b]
                serverRow(
                    backend.servers[s], sums: pool(b), model: model, theme: theme, columns: columns, into: &buffer,
                    x: list.x, y: y)
            case .fleetBackend, .fleetServer:
                continue
            }
            if selected || stale {
                for x in list.x..<list.right {
                    guard var cell = buffer[x, y] else { continue }
                    if selected { cell.style.reverse = true }
                    if stale && !selected {
                        cell.style.dim = true
                        if model.useColor, cell.style.foreground != .red { cell.style.foreground = .gray }
                    }
                    buffer.set(x, y, cell)
                }
            }
        }
        // The scroll position: in the header's status line, or (reduced layout, no status line) on the title
        // row where it covers no title.
        if reduced && model.rows.count > list.height {
            let position = "\(model.cursor + 1)/\(model.rows.count)"
            let titlesEnd =
                columns.map { placed in
                    placed.x
                        + (placed.column.rightAligned ? placed.width : min(placed.width, placed.column.title.count))
                }.max() ?? 0
            let x = titleRow.right - position.count
            if x - 1 >= titleRow.x + titlesEnd {
                buffer.write(position, x: x, y: titleRow.y, style: titles)
            }
        }
    }

    static func serverRow(
        _ server: Server, sums: PoolSums, model: ConsoleModel, theme: Theme, columns: [ServerColumn.Placed],
        into buffer: inout Buffer, x: Int, y: Int
    ) {
        let busiest = sums.busiestSessions
        let ascii = model.glyphs == .ascii
        for placed in columns {
            let cellX = x + placed.x
            let width = placed.width
            func text(_ value: String, _ style: Style = .plain) {
                let shown =
                    placed.column.rightAligned ? Format.right(value, width) : Format.fit(value, width, ascii: ascii)
                buffer.write(shown, x: cellX, y: y, style: style, maxWidth: width)
            }
            switch placed.column {
            case .name:
                let mark = model.marked.contains(server.id) ? (ascii ? "* " : "● ") : "  "
                text(mark + server.name + (server.isBackup ? " (backup)" : ""))
            case .address: text(server.address.isEmpty ? "-" : server.address, theme.dim)
            case .state: text(server.status.text.isEmpty ? "?" : server.status.text, theme.state(server))
            case .check:
                if let check = server.check, !check.status.isEmpty {
                    let duration = check.durationMilliseconds.map { " \($0)ms" } ?? ""
                    text(
                        (check.inProgress ? "* " : "") + check.status + duration,
                        check.passed ? .plain : theme.role(.down)
                    )
                } else {
                    text(server.checksEnabled ? "-" : "no check", theme.dim)
                }
            case .weight: text("\(server.weight)/\(server.initialWeight.map(String.init) ?? "?")")
            case .share: text(sums.shareText(of: server))
            case .load:
                let ratio = Load.ratio(of: server, busiest: busiest)
                LoadBar(ratio: ratio, style: theme.load(server.sessionLimit != nil ? ratio : 0), glyphs: model.glyphs)
                    .render(into: &buffer, area: Rect(x: cellX, y: y, width: width, height: 1))
            case .sessions: text(Format.compact(server.sessions))
            case .rate: text(Format.compact(server.rate))
            case .queue: text(Format.compact(server.queue), server.queue > 0 ? theme.warning : .plain)
            case .errors:
                let rate = model.metrics.errorRate(.server(server.id))
                text(Format.rate(rate), rate > 0 ? theme.role(.down) : .plain)
            case .responseTime: text(server.responseTimeMilliseconds.map { "\($0)ms" } ?? "-")
            case .trend:
                let history = model.metrics.rateHistory(.server(server.id))
                Sparkline(values: history.map(Double.init), style: theme.role(.sparkline), glyphs: model.glyphs)
                    .render(into: &buffer, area: Rect(x: cellX, y: y, width: width, height: 1))
            }
        }
    }

    static func backendRow(
        _ backend: Backend, sums: PoolSums, model: ConsoleModel, theme: Theme, columns: [ServerColumn.Placed],
        into buffer: inout Buffer,
        x: Int, y: Int
    ) {
        let collapsed = model.collapsed.contains(backend.name)
        let marker = model.glyphs == .ascii ? (collapsed ? "+" : "-") : (collapsed ? "▸" : "▾")
        let capacity = sums.capacity
        let bold = Style(bold: true)
        for placed in columns {
            let cellX = x + placed.x
            let width = placed.width
            func text(_ value: String, _ style: Style = bold) {
                let shown = placed.column.rightAligned ? Format.right(value, width) : Format.fit(value, width)
                buffer.write(shown, x: cellX, y: y, style: style, maxWidth: width)
            }
            switch placed.column {
            case .name:
                let alerted = (model.alerts[backend.name].map { $0 > model.now } ?? false)
                text("\(marker) \(backend.name)" + (alerted ? " !" : ""), alerted ? theme.error : bold)
            case .address: text(backend.algorithm ?? "-", theme.dim)
            case .state:
                let state = backend.runsOnBackups ? "BACKUPS" : (backend.status.isEmpty ? "?" : backend.status)
                var style = theme.backendState(backend)
                style.bold = true
                text(state, style)
            case .check:
                let backups = sums.backups
                text(
                    "\(backend.activeUp)/\(sums.actives)"
                        + (backups > 0 ? " +\(backend.backupUp)b" : ""), theme.dim)
            case .weight: text("\(backend.effectiveWeight)")
            case .share: text("\(Int((capacity * 100).rounded()))%")
            case .load:
                LoadBar(
                    ratio: capacity, style: capacity < 0.5 ? theme.error : capacity < 1 ? theme.warning : theme.good,
                    glyphs: model.glyphs
                )
                .render(into: &buffer, area: Rect(x: cellX, y: y, width: width, height: 1))
            case .sessions: text(Format.compact(backend.sessions))
            case .rate: text(Format.compact(backend.rate))
            case .queue: text(Format.compact(backend.queue), backend.queue > 0 ? theme.warning : bold)
            case .errors:
                let rate = model.metrics.errorRate(.backend(backend.name))
                text(Format.rate(rate), rate > 0 ? theme.error : bold)
            case .responseTime: text(backend.responseTimeMilliseconds.map { "\($0)ms" } ?? "-")
            case .trend:
                let history = model.metrics.rateHistory(.backend(backend.name))
                Sparkline(values: history.map(Double.init), style: theme.role(.sparkline), glyphs: model.glyphs)
                    .render(into: &buffer, area: Rect(x: cellX, y: y, width: width, height: 1))
            }
        }
    }
}

/// Traffic shares and capacity, from one pass over a backend's servers (``PoolSums``).
enum Share {
    /// The server's share of its backend's new traffic, from the weights of the servers in use:
    /// the serving actives, or the serving backups when no active serves.
    static func fraction(of server: Server, in backend: Backend) -> Double {
        PoolSums(backend).fraction(of: server)
    }

    static func text(of server: Server, in backend: Backend) -> String { PoolSums(backend).shareText(of: server) }

    /// Weight of the serving active servers ÷ their configured weight.
    static func capacity(of backend: Backend) -> Double { PoolSums(backend).capacity }
}
