import Testing

@testable import TerminalUI

/// Widgets render into Buffers compared as lines (ratatui style); every widget survives 1×1 and empty areas.
@Suite("Widgets")
struct WidgetTests {
    func bar(_ ratio: Double, width: Int = 10, glyphs: GlyphSet = .unicode) -> [String] {
        var buffer = Buffer(area: Rect(width: width, height: 1))
        LoadBar(ratio: ratio, glyphs: glyphs).render(into: &buffer, area: buffer.area)
        return buffer.lines
    }

    @Test func loadBarSteps() {
        #expect(bar(0) == ["          "])
        #expect(bar(0.37) == ["███▊      "])  // 0.37 × 80 eighths = 29.6 → 30 = 3 full cells + ▊ (6/8)
        #expect(bar(1) == ["██████████"])
        #expect(bar(0.5) == ["█████     "])
        #expect(bar(0.01) == ["▏         "])
        #expect(bar(1.7) == bar(1))
        #expect(bar(-3) == bar(0))
        #expect(bar(.nan) == bar(0))
    }

    @Test func loadBarASCII() {
        #expect(bar(0.37, glyphs: .ascii) == ["####      "])
        #expect(bar(1, glyphs: .ascii) == ["##########"])
        #expect(bar(0, glyphs: .ascii) == ["          "])
    }

    @Test func loadBarTinyAndEmptyAreas() {
        #expect(bar(1, width: 1) == ["█"])
        #expect(bar(0.37, width: 1) == ["▍"])
        var empty = Buffer(area: Rect(width: 0, height: 0))
        LoadBar(ratio: 1).render(into: &empty, area: empty.area)
        #expect(empty.lines == [])
        var buffer = Buffer(area: Rect(width: 3, height: 1))
        LoadBar(ratio: 1).render(into: &buffer, area: Rect(x: 2, y: 0, width: 5, height: 1))  // clipped
        #expect(buffer.lines == ["  █"])
    }

    @Test func loadBarStyles() {
        var buffer = Buffer(area: Rect(width: 4, height: 1))
        let green = Style(foreground: .green)
        LoadBar(ratio: 0.5, style: green).render(into: &buffer, area: buffer.area)
        #expect(buffer[0, 0]?.style == green)
        #expect(buffer[3, 0]?.style == .plain)
    }

    @Test func sparkline() {
        var buffer = Buffer(area: Rect(width: 6, height: 1))
        Sparkline(values: [0, 1, 2, 4, 8]).render(into: &buffer, area: buffer.area)
        #expect(buffer.lines == ["  ▂▃▅█"])
        var ascii = Buffer(area: Rect(width: 3, height: 1))
        Sparkline(values: [5, 0, 10, 10], glyphs: .ascii).render(into: &ascii, area: ascii.area)
        #expect(ascii.lines == ["_##"])
        var tiny = Buffer(area: Rect(width: 1, height: 1))
        Sparkline(values: [1, 2, 3]).render(into: &tiny, area: tiny.area)
        #expect(tiny.lines == ["█"])
        var empty = Buffer(area: Rect(width: 0, height: 0))
        Sparkline(values: [1]).render(into: &empty, area: empty.area)
        #expect(empty.lines.isEmpty)
    }

    @Test func bufferClipsAndSanitises() {
        var buffer = Buffer(area: Rect(width: 5, height: 2))
        #expect(buffer.write("hello world", x: 2, y: 1) == 3)
        buffer.write("a\u{1B}b", x: 0, y: 0)
        #expect(buffer.lines == ["a?b  ", "  hel"])
        buffer.set(-1, 0, Cell("x"))
        buffer.set(0, 9, Cell("x"))
        #expect(buffer[9, 9] == nil)
    }

    @Test func rects() {
        let area = Rect(width: 10, height: 4)
        let (top, rest) = area.splitTop(1)
        #expect(top == Rect(x: 0, y: 0, width: 10, height: 1))
        #expect(rest == Rect(x: 0, y: 1, width: 10, height: 3))
        #expect(area.splitTop(99).1.isEmpty)
        #expect(area.intersection(Rect(x: 8, y: 3, width: 5, height: 5)) == Rect(x: 8, y: 3, width: 2, height: 1))
        #expect(Rect(x: 0, y: 0, width: -3, height: 2).isEmpty)
    }
}
