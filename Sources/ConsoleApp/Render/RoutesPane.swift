import FoundationEssentials
import SwitchboardCore
import SwitchboardOps
import TerminalUI

/// The routes view: every map entry of the balancer in focus (key → value), and where the value names a backend,
/// that backend's servers serving and rate beside it; the keys that act on the selected entry at the bottom.
enum RoutesPane {
    static func render(_ model: ConsoleModel, theme: Theme, into buffer: inout Buffer) {
        let area = HelpPane.paneArea(model)
        let routes = model.routes
        let lines = routes.lines
        let title =
            "Routes — \(model.primary.profile.label)"
            + (routes.maps.map { " · \($0.count) map\($0.count == 1 ? "" : "s"), \(lines.count) entries" } ?? "")
        Frame(title: title, style: Style(bold: true), glyphs: model.glyphs).render(into: &buffer, area: area)
        let inner = Frame.inner(area)
        let width = inner.width - 2
        var y = inner.y
        func put(_ text: String, _ style: Style = .plain) {
            guard y < inner.y + inner.height else { return }
            buffer.write(Format.fit(text, width), x: inner.x + 1, y: y, style: style)
            y += 1
        }
        if let error = routes.error { put("✗ cannot read the maps: \(error)", theme.error) }
        guard let maps = routes.maps else {
            put("reading the maps (show map)…", theme.dim)
            return
        }
        if maps.isEmpty {
            put(
                "this balancer has no map: routing by map needs `map(FILE)` in haproxy.cfg (e.g. use_backend", theme.dim
            )
            put("%[req.hdr(host),lower,map(/etc/haproxy/hosts.map)])", theme.dim)
            return
        }
        let keyWidth = min(40, max(3, lines.map(\.key.count).max() ?? 0))
        let valueWidth = min(30, max(5, lines.map(\.value.count).max() ?? 0))
        let footer = 3
        let room = max(1, inner.height - footer - maps.count - 1)
        let start = max(0, min(routes.selected - room / 2, lines.count - room))
        put(
            "  " + Format.fit("KEY", keyWidth) + "    " + Format.fit("VALUE", valueWidth) + "  BACKEND NOW",
            theme.columnTitles)
        var index = 0
        for contents in maps {
            let mapLines = contents.entries.count
            if index + mapLines > start, index < start + room {
                put(
                    "\(contents.map.file.isEmpty ? "#\(contents.map.id)" : contents.map.file)  (#\(contents.map.id))",
                    theme.title)
            }
            for entry in contents.entries {
                defer { index += 1 }
                guard index >= start, index < start + room else { continue }
                let readiness = model.snapshot.flatMap { BackendReadiness(entry.value, in: $0) }
                let now =
                    readiness.map { "\($0.serving)/\($0.servers) serving, \($0.rate)/s" } ?? "(not a backend here)"
                let text =
                    "  " + Format.fit(entry.key, keyWidth) + " →  " + Format.fit(entry.value, valueWidth) + "  " + now
                let style: Style =
                    index == routes.selected
                    ? theme.selection : readiness.map { $0.serving == 0 ? theme.error : .plain } ?? theme.dim
                put(text, style)
            }
        }
        y = inner.y + inner.height - footer
        let keys = model.keymap
        func key(_ action: Action) -> String { keys.keys(for: action).first?.description ?? "?" }
        put(
            "\(key(.detail)) switch the entry · \(key(.failover)) fail over every route of its backend · "
                + "\(key(.failback)) fail back · \(key(.undo)) undo the last route change", theme.dim)
        put("\(key(.refresh)) re-read · \(key(.cancel)) close · runtime map changes are lost on reload", theme.dim)
        if !routes.records.isEmpty {
            put("on record: " + routes.records.suffix(2).map(\.label).joined(separator: "; "), theme.dim)
        }
    }
}
