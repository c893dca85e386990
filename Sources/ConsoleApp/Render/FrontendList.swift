import SwitchboardCore
import TerminalUI

/// The frontends view: status, sessions against the limit, rates.
enum FrontendList {
    static func render(_ model: ConsoleModel, theme: Theme, into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let nameWidth = max(10, min(30, area.width - 52))
        let columns: [(String, Int)] = [
            ("FRONTEND", nameWidth), ("STATUS", 8), ("SESSIONS", 9), ("LOAD", 12), ("RATE", 6), ("REQ/S", 6),
            ("5XX/S", 6),
        ]
        let titleRow = area.row(0)
        buffer.fill(titleRow, with: Cell(" ", style: theme.columnTitles))
        var x = titleRow.x
        for (title, width) in columns {
            buffer.write(title, x: x, y: titleRow.y, style: theme.columnTitles, maxWidth: width)
            x += width + 1
        }
        let frontends = model.snapshot?.frontends ?? []
        if frontends.isEmpty {
            buffer.write("no frontends", x: area.x + 2, y: area.y + 2, style: theme.dim)
            return
        }
        for (offset, frontend) in frontends.prefix(area.height - 1).enumerated() {
            let y = area.y + 1 + offset
            var x = area.x
            let ratio = frontend.sessionLimit.map { $0 > 0 ? Double(frontend.sessions) / Double($0) : 0 } ?? 0
            let statusStyle = frontend.status == "OPEN" ? theme.good : theme.error
            let cells: [(String, Style)] = [
                (frontend.name, Style(bold: true)), (frontend.status, statusStyle),
                ("\(Format.compact(frontend.sessions))/\(frontend.sessionLimit.map(Format.compact) ?? "-")", .plain),
            ]
            for (index, (text, style)) in cells.enumerated() {
                buffer.write(Format.fit(text, columns[index].1), x: x, y: y, style: style)
                x += columns[index].1 + 1
            }
            LoadBar(ratio: ratio, style: theme.load(ratio), glyphs: model.glyphs).render(
                into: &buffer, area: Rect(x: x, y: y, width: 12, height: 1))
            x += 13
            for (index, value) in [
                Format.compact(frontend.rate), Format.compact(frontend.requestRate),
                Format.rate(model.metrics.errorRate(.frontend(frontend.name))),
            ].enumerated() {
                buffer.write(Format.right(value, columns[4 + index].1), x: x, y: y)
                x += columns[4 + index].1 + 1
            }
        }
    }
}
