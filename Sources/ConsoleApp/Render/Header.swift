import FoundationEssentials
import SwitchboardCore
import SwitchboardOps
import TerminalUI

/// The header: balancer identity and access level, then refresh state, staleness, filter and sort.
enum Header {
    static func render(_ model: ConsoleModel, theme: Theme, into buffer: inout Buffer, area: Rect, reduced: Bool) {
        guard !area.isEmpty else { return }
        if model.balancers.count > 1 {
            return FleetHeader.render(model, theme: theme, into: &buffer, area: area, reduced: reduced)
        }
        let info = model.snapshot?.info
        let level = info?.level
        let badgeText = model.readOnlyRequested ? "READ-ONLY" : (level?.badge ?? "")
        let badgeStyle = model.readOnlyRequested ? theme.badge(.user) : level.map(theme.badge) ?? theme.dim
        let badge = badgeText.isEmpty ? "" : " \(badgeText) "
        var identity = reduced ? "" : "SWITCHBOARD  "
        if let info {
            identity +=
                reduced
                ? "\(info.product) \(info.version.prefix { $0 != "-" })"
                : "\(info.product) \(info.version)  pid \(info.pid)  up \(StatusTable.formatDuration(info.uptimeSeconds))  \(info.socket)"
        } else {
            identity += reduced ? "SWITCHBOARD" : ""
        }
        let line0 = area.row(0)
        let identityWidth = max(0, line0.width - badge.count - 1)
        var titleStyle = theme.title
        if let colour = model.primary.profile.colour, model.useColor { titleStyle.foreground = colour }
        buffer.write(Format.fit(identity, identityWidth), x: line0.x, y: line0.y, style: titleStyle)
        buffer.write(badge, x: line0.right - badge.count, y: line0.y, style: badgeStyle)
        if reduced {
            if let status = statusText(model, theme: theme, short: true) {
                let x = line0.x + min(identity.count, identityWidth) + 2
                let room = line0.right - badge.count - 1 - x
                if room > 4 { buffer.write(Format.fit(status.text, room), x: x, y: line0.y, style: status.style) }
            }
            return
        }
        let line1 = area.row(1)
        var x = line1.x
        if let status = statusText(model, theme: theme, short: false) {
            x += buffer.write(Format.fit(status.text, line1.width), x: x, y: line1.y, style: status.style)
        }
        var extras: [String] = []
        if let snapshot = model.snapshot {
            let total = snapshot.backends.reduce(0) { $0 + $1.servers.count }
            if model.filter.isEmpty {
                extras.append("\(snapshot.backends.count) backends, \(total) servers")
            } else {
                let shown = model.rows.reduce(0) { count, row in
                    if case .server = row.kind { count + 1 } else { count }
                }
                extras.append("\(shown)/\(total) servers")
            }
        }
        if model.primary.profile.exposedTCP { extras.insert("UNSAFE: TCP socket without auth or encryption", at: 0) }
        if let dropped = model.snapshot?.droppedRecords, dropped > 0 {
            extras.insert("PARTIAL: \(dropped) damaged record(s) dropped", at: 0)
        }
        extras += listState(model)
        if !extras.isEmpty, x < line1.right - 4 {
            buffer.write(
                Format.fit("  ·  " + extras.joined(separator: "  ·  "), line1.right - x), x: x, y: line1.y,
                style: theme.dim)
        }
    }

    /// Filter, scroll position and sort, as the header shows them.
    static func listState(_ model: ConsoleModel) -> [String] {
        var parts: [String] = []
        if let scenario = model.scenario { parts.append(scenario.label(at: model.now)) }
        if let incident = model.openIncident {
            let minutes = max(0, Int(model.now.timeIntervalSince(incident.start) / 60))
            parts.append("INCIDENT \(minutes) min" + (incident.title.isEmpty ? "" : ": \(incident.title)"))
        }
        if !model.filter.isEmpty { parts.append("filter: \(model.filter.text)") }
        if model.rows.count > model.pageSize { parts.append("row \(model.cursor + 1)/\(model.rows.count)") }
        if model.sort != .none { parts.append("sort: \(model.sort.label) \(model.sortDescending ? "↓" : "↑")") }
        return parts
    }

    /// The refresh status: live, paused, stale or failing.
    static func statusText(_ model: ConsoleModel, theme: Theme, short: Bool) -> (text: String, style: Style)? {
        let interval = ConsoleUpdate.format(model.interval)
        let age = model.lastRefresh.map { Format.age(model.now.timeIntervalSince($0)) }
        switch model.connection {
        case .connecting:
            return ("connecting…", theme.dim)
        case .failing(let error, let attempts):
            let since = age.map { "last update \($0) ago" } ?? "no data yet"
            if short { return ("STALE \(age ?? "")".trimmingSpaces(), theme.error) }
            if model.snapshot == nil { return ("NO DATA · retry \(attempts): \(error.message)", theme.error) }
            return ("STALE — \(since) · retry \(attempts): \(error.message)", theme.error)
        case .live:
            if model.paused { return (short ? "PAUSED" : "PAUSED · updated \(age ?? "-") ago", theme.warning) }
            if model.isStale { return ("STALE — updated \(age ?? "-") ago", theme.error) }
            return (short ? "live \(interval)" : "refresh \(interval) · updated \(age ?? "-") ago · live", theme.good)
        }
    }
}
