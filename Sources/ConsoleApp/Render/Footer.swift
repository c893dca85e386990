import FoundationEssentials
import SwitchboardCore
import TerminalUI

/// The footer: the filter prompt, a message, or the main keys of the current view from the keymap.
enum Footer {
    static func render(_ model: ConsoleModel, theme: Theme, into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        if let input = model.filterInput {
            let written = writeLine("/" + input, model, into: &buffer, area: area)
            let hint = "  Enter apply · Esc clear · state:down be:NAME addr:10.0."
            buffer.write(hint, x: area.x + written + 1, y: area.y, style: theme.dim, maxWidth: area.width - written - 1)
            return
        }
        if let input = model.commandPalette.input {
            renderPalette(input, model, theme: theme, into: &buffer, area: area)
            return
        }
        if let input = model.prompt.input {
            writeLine("!" + input, model, into: &buffer, area: area)  // `!`: the raw prompt, not the palette
            return
        }
        if let waiting = model.failback.waiting {
            let text =
                "failing back one server at a time: waiting for \(waiting.watch.server) to be UP and taking traffic · "
                + "\(model.failback.queue.count) left"
            buffer.write(Format.fit(text, area.width), x: area.x, y: area.y, style: theme.warning)
            return
        }
        if let watch = model.drainWatch {
            let seconds = max(0, Int(watch.deadline.timeIntervalSince(model.now)))
            let text =
                "draining \(watch.targets.map(\.description).joined(separator: ", ")): "
                + "\(watch.remaining.map(String.init) ?? "?") session(s) left · \(seconds)s"
                + (watch.thenMaint ? " · then MAINT" : "")
            buffer.write(Format.fit(text, area.width), x: area.x, y: area.y, style: theme.warning)
            return
        }
        if model.message == nil, let watch = model.splitWatch, watch.counted > 0 {
            let shown = watch.planned.keys.sorted().filter {
                (watch.planned[$0] ?? 0) > 0 || (watch.observed[$0] ?? 0) > 0
            }
            let parts = shown.map { server in
                "\(server) \(Int(((watch.observed[server] ?? 0) * 100).rounded()))% (plan \(Int(((watch.planned[server] ?? 0) * 100).rounded()))%)"
            }
            let text =
                "split of \(watch.counted) new sessions on \(watch.backend) since the redistribution: "
                + parts.joined(separator: " · ")
            buffer.write(Format.fit(text, area.width), x: area.x, y: area.y, style: theme.good)
            return
        }
        if let message = model.message {
            buffer.write(
                Format.fit(message.text, area.width), x: area.x, y: area.y,
                style: message.isError ? theme.error : theme.warning)
            return
        }
        for hint in hints(model, area: area) {
            let unavailable = ConsoleUpdate.missingCapability(for: hint.action, model) != nil
            var x = hint.x
            // What this balancer's driver cannot do is greyed out (struck from the hints' bold keys).
            x += buffer.write(hint.keyText, x: x, y: area.y, style: unavailable ? theme.dim : Style(bold: true))
            buffer.write(" " + hint.label + "  ", x: x, y: area.y, style: theme.dim)
        }
    }

    /// One key hint of the footer, where it is drawn (a click there runs its key).
    struct Hint: Hashable {
        var action: Action
        var key: Key
        var keyText: String
        var label: String
        /// First column.
        var x: Int
        /// Columns taken, the two spaces after it included.
        var width: Int
    }

    /// True when the footer shows the key hints (nothing typed, no watch or message in their place).
    static func showsHints(_ model: ConsoleModel) -> Bool {
        model.filterInput == nil && model.commandPalette.input == nil && model.prompt.input == nil
            && model.failback.waiting == nil && model.drainWatch == nil && model.message == nil
            && (model.splitWatch?.counted ?? 0) == 0
    }

    /// The key hints on the footer line `area`, left to right, as many as fit; none when it shows something else.
    static func hints(_ model: ConsoleModel, area: Rect) -> [Hint] {
        guard showsHints(model) else { return [] }
        let actions: [Action] =
            model.overlay != nil
            ? [.moveDown, .cancel, .quit]
            : model.view == .frontends
                ? [.frontends, .help, .pause, .quit]
                : [.moveDown, .detail, .filter, .help, .drain, .weight, .undo, .sortNext, .frontends, .quit]
                    + (model.balancers.count > 1 ? [.focus] : [])
        var hints: [Hint] = []
        var x = area.x
        for action in actions {
            guard let keyText = keyLabel(action, model.keymap), let key = model.keymap.keys(for: action).first
            else { continue }
            let label = shortLabel(action)
            let needed = keyText.count + label.count + 3
            if x + needed > area.right { break }
            hints.append(Hint(action: action, key: key, keyText: keyText, label: label, x: x, width: needed))
            x += needed
        }
        return hints
    }

    /// A line being typed, in bold with the cursor after it (its end when it is wider than the footer); returns
    /// the columns written before the cursor.
    @discardableResult
    static func writeLine(_ line: String, _ model: ConsoleModel, into buffer: inout Buffer, area: Rect) -> Int {
        let shown = line.count >= area.width ? String(line.suffix(area.width - 1)) : line
        let written = buffer.write(shown, x: area.x, y: area.y, style: Style(bold: true))
        buffer.set(area.x + written, area.y, Cell(model.glyphs == .ascii ? "_" : "█"))
        return written
    }

    /// The palette's line, then why it did not run, the candidates Tab found, or what the verb takes.
    static func renderPalette(
        _ input: String, _ model: ConsoleModel, theme: Theme, into buffer: inout Buffer, area: Rect
    ) {
        let written = writeLine(":" + input, model, into: &buffer, area: area)
        let palette = model.commandPalette
        let hint: String
        var style = theme.dim
        if let error = palette.error {
            hint = "  ✗ " + error
            style = theme.error
        } else if !palette.candidates.isEmpty {
            hint = "  " + palette.candidates.joined(separator: " ")
        } else if let word = input.split(separator: " ").first.map(String.init),
            let verb = PaletteCommand.verb(word)
        {
            hint = "  \(verb.name) \(verb.usage)\(verb.usage.isEmpty ? "" : " ")· \(verb.help)"
        } else {
            hint = "  Tab completes · Enter runs · Esc closes · :help lists the commands · !CMD Runtime API"
        }
        let room = area.right - (area.x + written + 1)
        guard room > 0 else { return }
        let text = model.glyphs == .ascii ? hint.replacing("✗", with: "x") : hint
        buffer.write(text, x: area.x + written + 1, y: area.y, style: style, maxWidth: room)
    }

    /// The first key of an action; for moving, the first keys of down and up together (`j/k`).
    static func keyLabel(_ action: Action, _ keymap: Keymap) -> String? {
        guard let key = keymap.keys(for: action).first else { return nil }
        if action == .moveDown, let up = keymap.keys(for: .moveUp).first { return "\(key)/\(up)" }
        return key.description
    }

    static func shortLabel(_ action: Action) -> String {
        switch action {
        case .moveDown: "move"
        case .moveUp: "up"
        case .detail: "detail"
        case .filter: "filter"
        case .sortNext: "sort"
        case .toggleGroup: "fold"
        case .frontends: "frontends"
        case .help: "help"
        case .quit: "quit"
        case .cancel: "close"
        case .pause: "pause"
        case .drain: "drain"
        case .weight: "weight"
        case .undo: "undo"
        case .focus: "balancer"
        default: action.rawValue
        }
    }
}
