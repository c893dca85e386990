import ConsoleApp
import Foundation
import SwitchboardCore
import Testing

/// The mouse, as SGR (1006) reports turned into mouse keys: clicks select, a double click opens the detail,
/// the wheel scrolls, a footer hint runs its key — and none of it answers a dialog.
@Suite("Mouse")
struct MouseTests {
    /// The mouse key of an SGR report body (what follows `ESC [ <`), at `seconds` after the fixtures' start.
    static func sgr(_ body: String, at seconds: Double = 0) throws -> Key {
        .mouse(try #require(MouseEvent(sgrBody: body, time: ConsoleFixtures.start.addingTimeInterval(seconds))))
    }

    /// A left press and release on the cell (0-based) at `x`, `y`.
    static func click(x: Int, y: Int, at seconds: Double = 0) throws -> [Key] {
        [try sgr("0;\(x + 1);\(y + 1)M", at: seconds), try sgr("0;\(x + 1);\(y + 1)m", at: seconds + 0.05)]
    }

    /// The screen line of row `index` (120×40: two header lines and the column titles above the list).
    static func line(ofRow index: Int, _ model: ConsoleModel) -> Int { 3 + index - model.scroll }

    @Test func sgrReportsAreParsed() {
        let time = ConsoleFixtures.start
        #expect(MouseEvent(sgrBody: "0;10;5M", time: time) == MouseEvent(.press, x: 9, y: 4, time: time))
        #expect(MouseEvent(sgrBody: "0;10;5m", time: time)?.kind == .release)
        #expect(MouseEvent(sgrBody: "64;1;1M", time: time)?.kind == .wheelUp)
        #expect(MouseEvent(sgrBody: "65;200;60M", time: time) == MouseEvent(.wheelDown, x: 199, y: 59, time: time))
        #expect(MouseEvent(sgrBody: "16;3;3M", time: time)?.kind == .press)  // Ctrl-click is a click
        #expect(MouseEvent(sgrBody: "2;3;3M", time: time) == nil)  // right button: not used
        #expect(MouseEvent(sgrBody: "32;3;3M", time: time) == nil)  // drag
        #expect(MouseEvent(sgrBody: "0;0;3M", time: time) == nil)
        #expect(MouseEvent(sgrBody: "0;3M", time: time) == nil)
        #expect(MouseEvent(sgrBody: "0;3;3", time: time) == nil)
    }

    @Test func aClickSelectsTheRowAndADoubleClickOpensItsDetail() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        let index = try #require(model.rows.firstIndex { $0.id == CommandPaletteTests.app2 })
        let y = Self.line(ofRow: index, model)
        #expect(ConsoleFixtures.press(try Self.click(x: 12, y: y), &model).isEmpty)
        #expect(model.selectedRow?.id == CommandPaletteTests.app2)
        #expect(model.overlay == nil)
        // The same row again, soon: its detail, as Enter.
        ConsoleFixtures.press(try Self.click(x: 40, y: y, at: 0.3), &model)
        #expect(model.overlay == .detail(id: CommandPaletteTests.app2, scroll: 0))
        ConsoleFixtures.press([.escape], &model)
        // Two clicks too far apart, or on two rows, are two selections.
        ConsoleFixtures.press(try Self.click(x: 12, y: y, at: 2) + Self.click(x: 12, y: y, at: 3), &model)
        #expect(model.overlay == nil)
        ConsoleFixtures.press(try Self.click(x: 12, y: y + 1, at: 4) + Self.click(x: 12, y: y, at: 4.2), &model)
        #expect(model.overlay == nil && model.selectedRow?.id == CommandPaletteTests.app2)
        // Below the last row, on the header or on the titles: nothing moves.
        let before = model.cursor
        ConsoleFixtures.press(try Self.click(x: 5, y: 1, at: 6) + Self.click(x: 5, y: 2, at: 7), &model)
        ConsoleFixtures.press(try Self.click(x: 5, y: Self.line(ofRow: model.rows.count, model), at: 8), &model)
        #expect(model.cursor == before)
    }

    @Test func theWheelIsThreePressesOfTheMoveKeys() throws {
        var byWheel = try ConsoleFixtures.model(width: 120, height: 40)
        var byKeys = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([try Self.sgr("65;30;10M"), try Self.sgr("65;30;10M")], &byWheel)
        ConsoleFixtures.press(Array(repeating: .down, count: 6), &byKeys)
        #expect(byWheel.cursor == 6 && byWheel.cursor == byKeys.cursor && byWheel.scroll == byKeys.scroll)
        ConsoleFixtures.press([try Self.sgr("64;30;10M")], &byWheel)
        #expect(byWheel.cursor == 3)
        // In a pane it scrolls the pane.
        ConsoleFixtures.press([.char("?")], &byWheel)
        ConsoleFixtures.press([try Self.sgr("65;30;10M")], &byWheel)
        #expect(byWheel.overlay == .help(scroll: 3))
    }

    @Test func aClickOnAFooterHintPressesItsKey() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        let footer = ConsoleRender.render(model).golden.split(separator: "\n", omittingEmptySubsequences: false)[39]
        let help = try #require(footer.range(of: "? help"))
        let x = footer.distance(from: footer.startIndex, to: help.lowerBound) + 3
        ConsoleFixtures.press(try Self.click(x: x, y: 39), &model)
        #expect(model.overlay == .help(scroll: 0))
        // The pane's footer: "Esc close".
        let paneFooter = ConsoleRender.render(model).golden.split(separator: "\n", omittingEmptySubsequences: false)[39]
        let close = try #require(paneFooter.range(of: "Esc close"))
        ConsoleFixtures.press(
            try Self.click(x: paneFooter.distance(from: paneFooter.startIndex, to: close.lowerBound), y: 39, at: 1),
            &model)
        #expect(model.overlay == nil)
        // Between hints, nothing.
        let gap = try #require(footer.range(of: "  ", range: help.upperBound..<footer.endIndex))
        ConsoleFixtures.press(
            try Self.click(x: footer.distance(from: footer.startIndex, to: gap.lowerBound) + 1, y: 39, at: 2), &model)
        #expect(model.overlay == nil && model.dialog == nil && !model.quitRequested)
        // The drain hint opens the drain confirmation on the selected server, as d does.
        var byKeys = try ConsoleFixtures.model(width: 120, height: 40)
        try CommandPaletteTests.select(CommandPaletteTests.app2, &byKeys)
        var byMouse = byKeys
        ConsoleFixtures.press([.char("d")], &byKeys)
        let drain = try #require(footer.range(of: "d drain"))
        ConsoleFixtures.press(
            try Self.click(x: footer.distance(from: footer.startIndex, to: drain.lowerBound), y: 39), &byMouse)
        #expect(byMouse.dialog != nil && byMouse.dialog == byKeys.dialog)
    }

    @Test func theMouseNeverAnswersADialogNorEditsALine() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        try CommandPaletteTests.select(CommandPaletteTests.app2, &model)
        ConsoleFixtures.press([.char("m")], &model)  // MAINT confirmation
        let dialog = model.dialog
        #expect(dialog != nil)
        for y in 0..<40 { ConsoleFixtures.press(try Self.click(x: 60, y: y, at: Double(y)), &model) }
        ConsoleFixtures.press([try Self.sgr("65;60;20M")], &model)
        #expect(model.dialog == dialog && model.cursor == model.rows.firstIndex { $0.id == CommandPaletteTests.app2 })
        ConsoleFixtures.press([.escape, .char(":")] + ConsoleFixtures.keys("dra"), &model)
        ConsoleFixtures.press(try Self.click(x: 5, y: 10), &model)
        #expect(model.commandPalette.input == "dra")
    }

    @Test func offMeansOff() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        model.mouseEnabled = false
        ConsoleFixtures.press(try Self.click(x: 10, y: 8) + [try Self.sgr("65;10;10M")], &model)
        #expect(model.cursor == 0 && model.overlay == nil)

        let keymap = try Keymap(toml: "mouse = false\n", name: "no-mouse", file: "no-mouse.toml")
        #expect(keymap.mouse == false)
        #expect(KeymapLibrary.builtInDefault.overridden(by: keymap).mouse == false)
        #expect(KeymapLibrary.builtInDefault.mouse == nil)
        do {
            _ = try Keymap(
                toml: "# mine\nmouse = \"no\"\n[[bind]]\nkeys = [\"q\"]\naction = \"quit\"\n", name: "x", file: "x.toml"
            )
            Issue.record("a non-boolean mouse was accepted")
        } catch let error as KeymapError {
            #expect(error.description == "keymap x.toml, line 2: mouse must be true or false")
        }
    }
}
