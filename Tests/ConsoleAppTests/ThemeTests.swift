import ConsoleApp
import Foundation
import TerminalUI
import Testing

/// Themes (issue 13): the shipped files load, the default file says what the built-in default says, bad files are
/// refused with file and line like keymaps, the console draws with the theme picked, and NO_COLOR wins.
@Suite("Themes")
struct ThemeTests {
    @Test(arguments: ThemeLibrary.shippedNames)
    func everyShippedThemeLoadsAndSetsEveryRole(name: String) throws {
        let path = ThemeLibrary.sourceDirectory.appendingPathComponent("\(name).toml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let palette = try Palette(toml: text, name: name, file: path)
        for role in Palette.Role.allCases { #expect(text.contains("\n\(role.rawValue) = "), "\(name) lacks \(role)") }
        #expect(palette.name == name)
        #expect(try ThemeLibrary.load(name).styles == palette.styles)
    }

    @Test func theDefaultFileIsTheBuiltInDefault() throws {
        let path = ThemeLibrary.sourceDirectory.appendingPathComponent("default.toml").path
        #expect(try Palette(contentsOf: path).styles == Palette.standard.styles)
        #expect(try ThemeLibrary.load(nil).styles == Palette.standard.styles)
        #expect(
            try Palette(toml: "[styles]\nup = \"white on red bold underline\"\n", name: "x", file: "x")[.up]
                == Style(foreground: .white, background: .red, bold: true, underline: true))
    }

    @Test(arguments: [
        ("[styles]\nup = \"green\"\nupp = \"red\"\n", 3, "unknown role 'upp'"),
        ("[styles]\nup = \"green\"\n\ndown = \"purple\"\n", 4, "down: unknown word 'purple'"),
        ("[styles]\nup = \"green red\"\n", 2, "unknown word 'red'"),
        ("[styles]\nup = \"on\"\n", 2, "'on' needs a colour"),
        ("[styles]\nup = 3\n", 2, "up must be a string"),
        ("name = \"x\"\n[styles]\n", 1, "unknown key 'name'"),
        ("[styles]\nup = \"green\n", 2, "string"),
    ])
    func aBadThemeNamesTheFileTheLineAndTheProblem(text: String, line: Int, problem: String) throws {
        let error = try #require(throws: ThemeError.self) { try Palette(toml: text, name: "bad", file: "/t/bad.toml") }
        #expect(error.line == line, "\(error)")
        #expect(error.problem.contains(problem), "\(error)")
        #expect(error.description.hasPrefix("theme /t/bad.toml, line \(line): "))
        let missing = #expect(throws: ThemeError.self) { try ThemeLibrary.load("solarized") }
        #expect(missing?.problem.contains("default, light, high-contrast") == true)
    }

    @Test func theConsoleDrawsWithTheThemePickedAndNoColorWins() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        model.palette = try ThemeLibrary.load("high-contrast")
        let themed = ConsoleRender.render(model)
        // be_static/s1 is UP: its state cell takes the theme's `up`.
        let row = try #require(themed.lines.firstIndex { $0.hasPrefix("  s1 ") })
        let x = try #require(themed.lines[row].range(of: "UP")).lowerBound
        let cell = themed[themed.lines[row].distance(from: themed.lines[row].startIndex, to: x), row]
        #expect(cell?.style == Style(foreground: .black, background: .green, bold: true))
        model.palette = .standard
        let standard = ConsoleRender.render(model)
        #expect(
            standard[themed.lines[row].distance(from: themed.lines[row].startIndex, to: x), row]?.style.foreground
                == .green)
        model.useColor = false
        model.palette = try ThemeLibrary.load("high-contrast")
        let plain = ConsoleRender.render(model)
        let colours = (0..<plain.area.height).flatMap { y in
            (0..<plain.area.width).compactMap { plain[$0, y]?.style }.flatMap { [$0.foreground, $0.background] }
        }
        #expect(colours.allSatisfy { $0 == .default }, "NO_COLOR: no colour whatever the theme")
    }
}
