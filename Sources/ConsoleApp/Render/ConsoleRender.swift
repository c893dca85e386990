import FoundationEssentials
import SwitchboardCore
import TerminalUI

/// Draws the console: `render(model) -> Buffer`. Pure; only the rows on screen are drawn, so the cost
/// does not grow with the number of servers.
public enum ConsoleRender {
    /// The whole screen for `model`.
    public static func render(_ model: ConsoleModel) -> Buffer {
        var buffer = Buffer(area: Rect(width: model.width, height: model.height))
        let layout = Layout(width: model.width, height: model.height)
        let theme = Theme(color: model.useColor, palette: model.palette)
        if layout.isTooSmall {
            renderTooSmall(&buffer, model)
            return buffer
        }
        let (headerArea, rest) = buffer.area.splitTop(layout.headerHeight)
        let (bodyArea, footerArea) = rest.splitTop(rest.height - 1)
        Header.render(model, theme: theme, into: &buffer, area: headerArea, reduced: layout.isReduced)
        switch model.view {
        case .servers: ServerList.render(model, theme: theme, into: &buffer, area: bodyArea, reduced: layout.isReduced)
        case .frontends: FrontendList.render(model, theme: theme, into: &buffer, area: bodyArea)
        }
        Footer.render(model, theme: theme, into: &buffer, area: footerArea)
        switch model.overlay {
        case .help(let scroll): HelpPane.render(model, scroll: scroll, theme: theme, into: &buffer)
        case .detail(let id, let scroll): DetailPane.render(model, id: id, scroll: scroll, theme: theme, into: &buffer)
        case .log(let scroll): LogPane.render(model, scroll: scroll, theme: theme, into: &buffer)
        case .raw(let scroll): RawPane.render(model, scroll: scroll, theme: theme, into: &buffer)
        case .events(let scroll): EventsPane.render(model, scroll: scroll, theme: theme, into: &buffer)
        case .routes: RoutesPane.render(model, theme: theme, into: &buffer)
        case nil: break
        }
        if let dialog = model.dialog { DialogPane.render(model, dialog, theme: theme, into: &buffer) }
        return buffer
    }

    static func renderTooSmall(_ buffer: inout Buffer, _ model: ConsoleModel) {
        let lines = [
            "terminal too small", "(need \(Layout.minimumWidth)×\(Layout.minimumHeight),",
            "now \(model.width)×\(model.height))",
        ]
        let top = max(0, (model.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let text = Format.fit(line, model.width)
            buffer.write(
                text, x: max(0, (model.width - text.count) / 2), y: top + offset, style: Style(bold: offset == 0))
        }
    }
}
