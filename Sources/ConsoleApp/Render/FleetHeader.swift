import FoundationEssentials
import SwitchboardCore
import TerminalUI

/// The header of a console on several balancers: what is in view (the fleet, a group or one balancer) with
/// drift, and the balancer strip — each balancer's label in its colour, version, level, live or STALE with age.
enum FleetHeader {
    static func render(_ model: ConsoleModel, theme: Theme, into buffer: inout Buffer, area: Rect, reduced: Bool) {
        let line0 = area.row(0)
        var identity = reduced ? "" : "SWITCHBOARD  "
        switch model.focus {
        case .all: identity += "fleet · \(model.balancers.count) balancers"
        case .group(let name, let ids): identity += "group \(name) · \(ids.count) balancers"
        case .one:
            let primary = model.primary
            identity += primary.profile.label
            if let info = primary.snapshot?.info {
                identity += reduced ? "" : "  \(info.product) \(info.version)  pid \(info.pid)  \(info.socket)"
            }
        }
        var titleStyle = theme.title
        if !model.isFleetView, let colour = model.primary.profile.colour, model.useColor {
            titleStyle.foreground = colour
        }
        var x = line0.x + buffer.write(Format.fit(identity, line0.width), x: line0.x, y: line0.y, style: titleStyle)
        var notes: [(String, Style)] = []
        if model.isFleetView {
            if let drift = model.fleet.driftSummary { notes.append((drift, theme.warning)) }
        } else if let status = Header.statusText(model, theme: theme, short: reduced) {
            notes.append((status.text, status.style))
        }
        if model.paused { notes.append(("PAUSED", theme.warning)) }
        if model.isReadOnly && !model.isFleetView || model.readOnlyRequested {
            notes.append(("READ-ONLY", theme.badge(.user)))
        }
        for (text, style) in notes where x < line0.right - 4 {
            x += buffer.write("  ·  ", x: x, y: line0.y, style: theme.dim, maxWidth: line0.right - x)
            x += buffer.write(text, x: x, y: line0.y, style: style, maxWidth: line0.right - x)
        }
        let strip = reduced ? line0 : area.row(1)
        var stripX = reduced ? x + 2 : strip.x
        if reduced && stripX >= strip.right - 4 { return }
        let focused = Set(model.focusedIndices)
        // Version and level only when every balancer fits with them: label, " 2.6.12 admin", " STALE 59s", gap.
        let full = model.balancers.reduce(0) { $0 + $1.profile.label.count + 13 + 10 + 3 }
        let compact = reduced || full > strip.width
        for (index, balancer) in model.balancers.enumerated() {
            guard stripX < strip.right - 2 else { break }
            let stale = balancer.isStale(now: model.now, interval: model.interval) || balancer.snapshot == nil
            var labelStyle = Style(bold: focused.contains(index))
            if model.useColor, let colour = balancer.profile.colour { labelStyle.foreground = colour }
            if !focused.contains(index) { labelStyle.dim = true }
            stripX += buffer.write(
                balancer.profile.label, x: stripX, y: strip.y, style: labelStyle, maxWidth: strip.right - stripX)
            var detail = ""
            if !compact, let info = balancer.snapshot?.info {
                detail += " \(info.version.prefix { $0 != "-" }) \(info.level.rawValue)"
            }
            if balancer.profile.readOnly && !reduced { detail += " ro" }
            stripX += buffer.write(
                detail, x: stripX, y: strip.y, style: theme.dim, maxWidth: max(0, strip.right - stripX))
            let state: (String, Style)
            switch balancer.connection {
            case .connecting: state = (" …", theme.dim)
            case .failing:
                let age = balancer.lastRefresh.map { " " + Format.age(model.now.timeIntervalSince($0)) } ?? ""
                state = (balancer.snapshot == nil ? " NO DATA" : " STALE\(age)", theme.error)
            case .live:
                let age = balancer.lastRefresh.map { " " + Format.age(model.now.timeIntervalSince($0)) } ?? ""
                state = stale ? (" STALE\(age)", theme.error) : (compact ? " ✓" : " live", theme.good)
            }
            stripX += buffer.write(
                model.glyphs == .ascii && state.0 == " ✓" ? " ok" : state.0, x: stripX, y: strip.y, style: state.1,
                maxWidth: max(0, strip.right - stripX))
            if balancer.profile.exposedTCP {
                stripX += buffer.write(
                    " UNSAFE-TCP", x: stripX, y: strip.y, style: theme.error, maxWidth: max(0, strip.right - stripX))
            }
            stripX += 3
        }
        if !reduced {
            let extras = Header.listState(model)
            if !extras.isEmpty, stripX < strip.right - 6 {
                buffer.write(
                    Format.fit("·  " + extras.joined(separator: "  ·  "), strip.right - stripX), x: stripX, y: strip.y,
                    style: theme.dim)
            }
        }
    }
}
