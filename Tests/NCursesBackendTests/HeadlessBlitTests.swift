import CNCursesW
import ConsoleApp
import Foundation
import TerminalUI
import Testing

@testable import NCursesBackend

/// The Buffer → ncurses blit, on a real ncurses screen without a terminal (newterm on /dev/null).
@Suite("Headless ncurses blit", .serialized)
@MainActor
struct HeadlessBlitTests {
    /// Runs `body` with a headless ncurses screen of `columns` × `lines` on /dev/null, always shut down after.
    func withHeadlessTerminal(columns: Int, lines: Int, _ body: @MainActor (NCursesTerminal) throws -> Void) throws {
        setlocale(LC_ALL, "C.UTF-8")
        setenv("LINES", "\(lines)", 1)
        setenv("COLUMNS", "\(columns)", 1)
        let output = try #require(fopen("/dev/null", "w"))
        let input = try #require(fopen("/dev/null", "r"))
        defer {
            fclose(output)
            fclose(input)
            unsetenv("LINES")  // ncurses prefers these to the real size: never leak them to other tests' children
            unsetenv("COLUMNS")
        }
        let terminal = try NCursesTerminal(headlessOn: output, input: input)
        defer { terminal.shutdown() }
        try body(terminal)
    }

    @Test func wideCharactersAttributesAndColours() throws {
        try withHeadlessTerminal(columns: 30, lines: 6) { terminal in
            #expect(terminal.size == (30, 6))

            var buffer = Buffer(area: Rect(width: 30, height: 6))
            buffer.write("web1", x: 0, y: 0, style: Style(bold: true))
            LoadBar(ratio: 0.37, style: Style(foreground: .green)).render(
                into: &buffer, area: Rect(x: 5, y: 0, width: 10, height: 1))
            buffer.write("DOWN", x: 0, y: 1, style: Style(foreground: .red, reverse: true))
            buffer.write("▾ ·… ─│", x: 0, y: 2)
            buffer.write("x", x: 29, y: 5)  // the bottom-right cell
            terminal.draw(buffer)

            let bold = try #require(terminal.readBack(x: 0, y: 0))
            #expect(bold.character == "w")
            #expect(Int32(bold.attributes) & CNCursesW_A_BOLD() != 0)
            let bar = (5..<15).compactMap { terminal.readBack(x: $0, y: 0)?.character }
            #expect(String(bar) == "███▊      ")
            let green = try #require(terminal.readBack(x: 5, y: 0))
            #expect(terminal.colors(ofPair: green.pair).foreground == Int16(COLOR_GREEN))
            let red = try #require(terminal.readBack(x: 0, y: 1))
            #expect(red.character == "D")
            #expect(terminal.colors(ofPair: red.pair).foreground == Int16(COLOR_RED))
            #expect(Int32(red.attributes) & CNCursesW_A_REVERSE() != 0)
            #expect(red.pair != green.pair)
            let glyphs = (0..<7).compactMap { terminal.readBack(x: $0, y: 2)?.character }
            #expect(String(glyphs) == "▾ ·… ─│")
            #expect(terminal.readBack(x: 29, y: 5)?.character == "x")
            let plain = try #require(terminal.readBack(x: 20, y: 3))
            #expect(plain.character == " " && plain.pair == 0)
        }
    }

    /// A frame after the first rewrites only the rows that changed: a changed row shows exactly the new text (a
    /// shorter line leaves nothing of the longer one, a style change is applied), an unchanged row is left as is.
    @Test func aFollowingFrameRewritesTheRowsThatChangedExactly() throws {
        try withHeadlessTerminal(columns: 20, lines: 4) { terminal in
            @MainActor func row(_ y: Int) -> String {
                String((0..<20).compactMap { terminal.readBack(x: $0, y: y)?.character })
            }

            var first = Buffer(area: Rect(width: 20, height: 4))
            first.write("web1 UP   12 sess", x: 0, y: 0)
            first.write("web2 DOWN", x: 0, y: 1, style: Style(foreground: .red))
            first.write("footer", x: 0, y: 3)
            terminal.draw(first)
            #expect(row(1) == "web2 DOWN           ")

            var second = Buffer(area: Rect(width: 20, height: 4))
            second.write("web1 UP", x: 0, y: 0)  // shorter than before
            second.write("web2 UP", x: 0, y: 1, style: Style(bold: true))  // new text and style
            second.write("footer", x: 0, y: 3)  // unchanged
            terminal.draw(second)
            #expect(row(0) == "web1 UP             ")
            #expect(row(1) == "web2 UP             ")
            let bold = try #require(terminal.readBack(x: 0, y: 1))
            #expect(Int32(bold.attributes) & CNCursesW_A_BOLD() != 0 && bold.pair == 0)
            #expect(row(2) == String(repeating: " ", count: 20))
            #expect(row(3) == "footer              ")
        }
    }

    @Test func sgrMouseReportsThroughNCurses() throws {
        setlocale(LC_ALL, "C.UTF-8")
        setenv("LINES", "24", 1)
        setenv("COLUMNS", "80", 1)
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        let output = try #require(fopen("/dev/null", "w"))
        let input = try #require(fdopen(descriptors[0], "r"))
        defer {
            fclose(output)
            fclose(input)
            close(descriptors[1])
            unsetenv("LINES")
            unsetenv("COLUMNS")
        }
        // A burst, as a quick click and wheel give: a press and its release, two wheel steps, a key.
        let terminal = try NCursesTerminal(headlessOn: output, input: input, type: "xterm-256color", mouse: true)
        defer { terminal.shutdown() }
        #expect(terminal.mouseReporting)
        func send(_ text: String) { _ = write(descriptors[1], text, text.utf8.count) }
        func read(_ count: Int) -> [String] {
            var keys: [Key] = []
            let deadline = Date().addingTimeInterval(5)
            while keys.count < count && Date() < deadline { keys += terminal.readKeys() }
            return keys.map { key in
                guard case .mouse(let event) = key else { return key.description }
                return "\(event.kind) \(event.x),\(event.y)"
            }
        }
        send("\u{1b}[<0;10;5M\u{1b}[<0;10;5m\u{1b}[<65;3;4M\u{1b}[<64;3;4Mq")
        #expect(read(5) == ["press 9,4", "release 9,4", "wheelDown 2,3", "wheelUp 2,3", "q"])
        // A report cut in two between reads is still one click; Esc and the arrows still work beside it.
        send("\u{1b}[<0;120;4")
        #expect(terminal.readKeys().isEmpty)
        send("0M\u{1b}OA")  // xterm's Up in keypad mode
        #expect(read(2) == ["press 119,39", "Up"])
    }

    @Test func anSGRReportThatArrivesAsCharactersIsOneMouseKey() {
        let time = Date(timeIntervalSince1970: 0)
        let typed: [Key] = [.escape, .char("["), .char("<")] + "0;10;5M".map { .char($0) } + [.char("x")]
        #expect(
            NCursesTerminal.combineEscapes(typed, time: time) == [
                .mouse(MouseEvent(.press, x: 9, y: 4, time: time)), .char("x"),
            ])
        // X10, from a terminal that ignored the SGR mode: Esc [ M, button + 32, column + 33, row + 33.
        let x10: [Key] = [.escape, .char("["), .char("M"), .char(" "), .char("*"), .char("%")]
        #expect(NCursesTerminal.combineEscapes(x10, time: time) == [.mouse(MouseEvent(.press, x: 9, y: 4, time: time))])
        // Anything else stays as typed: Esc alone, Esc [ without a report, a broken report.
        #expect(NCursesTerminal.combineEscapes([.escape, .char("q")], time: time) == [.escape, .char("q")])
        let broken: [Key] = [.escape, .char("["), .char("<"), .char("9"), .char("q")]
        #expect(NCursesTerminal.combineEscapes(broken, time: time) == broken)
    }

    @Test func keyDecoding() {
        #expect(NCursesTerminal.characterKey(3) == .control("c"))
        #expect(NCursesTerminal.characterKey(27) == .escape)
        #expect(NCursesTerminal.characterKey(13) == .enter)
        #expect(NCursesTerminal.characterKey(127) == .backspace)
        #expect(NCursesTerminal.characterKey(UInt32(("é" as Unicode.Scalar).value)) == .char("é"))
        #expect(NCursesTerminal.functionKey(KEY_UP) == .up)
        #expect(NCursesTerminal.functionKey(KEY_F0 + 1) == .function(1))
        #expect(NCursesTerminal.functionKey(KEY_RESIZE) == nil)
    }
}
