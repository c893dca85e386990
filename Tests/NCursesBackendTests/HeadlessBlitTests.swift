import CNCursesW
import Foundation
import TerminalUI
import Testing

@testable import NCursesBackend

/// The Buffer → ncurses blit, on a real ncurses screen without a terminal (newterm on /dev/null).
@Suite("Headless ncurses blit", .serialized)
@MainActor
struct HeadlessBlitTests {
    @Test func wideCharactersAttributesAndColours() throws {
        setlocale(LC_ALL, "C.UTF-8")
        setenv("LINES", "6", 1)
        setenv("COLUMNS", "30", 1)
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
