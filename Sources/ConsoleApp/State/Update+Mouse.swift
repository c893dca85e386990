import FoundationEssentials
import TerminalUI

/// A left click on a row of the servers view: which row, and when (a second click on it soon after opens it).
public struct MouseClick: Hashable, Sendable {
    /// The row clicked.
    public var id: RowID
    /// When.
    public var time: Date
}

extension ConsoleUpdate {
    /// Two clicks on the same row within this many seconds are a double click.
    static let doubleClickInterval: TimeInterval = 0.4
    /// Rows one wheel step moves (three presses of the move key).
    static let wheelStep = 3

    /// The mouse does what keys do: a click on a row selects it (a double click opens its detail), the wheel
    /// presses the move keys, a click on a footer hint presses its key. It never answers a dialog or edits a
    /// line being typed.
    static func handleMouse(_ event: MouseEvent, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        guard model.mouseEnabled, model.dialog == nil, model.filterInput == nil, !model.commandPalette.isOpen,
            !model.prompt.isOpen
        else { return [] }
        let layout = Layout(width: model.width, height: model.height)
        guard !layout.isTooSmall else { return [] }
        switch event.kind {
        case .release:
            return []
        case .wheelUp, .wheelDown:
            let action: Action = event.kind == .wheelUp ? .moveUp : .moveDown
            var effects: [ConsoleEffect] = []
            for _ in 0..<wheelStep {
                if let overlay = model.overlay {
                    effects += handleInOverlay(action, overlay, &model)
                } else {
                    effects += perform(action, &model)
                }
            }
            return effects
        case .press:
            if event.y == model.height - 1 {
                let footer = Rect(x: 0, y: model.height - 1, width: model.width, height: 1)
                guard
                    let hint = Footer.hints(model, area: footer).first(where: {
                        (0..<$0.width - 2).contains(event.x - $0.x)
                    })  // not the gap after it
                else { return [] }
                return handle(key: hint.key, &model)
            }
            guard model.overlay == nil, model.view == .servers else { return [] }
            let top = layout.headerHeight + 1  // below the header and the column titles
            let index = model.scroll + (event.y - top)
            guard event.y >= top, event.y < top + model.pageSize, model.rows.indices.contains(index) else {
                return []
            }
            let id = model.rows[index].id
            move(&model, to: index)
            if let last = model.lastClick, last.id == id, event.time >= last.time,
                event.time.timeIntervalSince(last.time) <= doubleClickInterval
            {
                model.lastClick = nil
                return perform(.detail, &model)
            }
            model.lastClick = MouseClick(id: id, time: event.time)
            return []
        }
    }
}
