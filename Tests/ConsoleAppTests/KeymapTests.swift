import ConsoleApp
import Foundation
import Testing

/// Keymap files: every shipped keymap binds every action and lists it in help; bad files give the file,
/// the line and the problem.
@Suite("Keymaps")
struct KeymapTests {
    static func shipped(_ name: String) throws -> Keymap {
        try Keymap(contentsOf: KeymapLibrary.sourceDirectory.appendingPathComponent("\(name).toml").path, name: name)
    }

    @Test(arguments: KeymapLibrary.shippedNames)
    func everyActionIsBoundAndListedInHelp(name: String) throws {
        let keymap = try Self.shipped(name)
        #expect(keymap.unboundActions.isEmpty, "\(name) leaves \(keymap.unboundActions) unbound")
        var model = try ConsoleFixtures.model(width: 160, height: 60, keymap: keymap)
        _ = ConsoleUpdate.update(&model, .key(keymap.keys(for: .help)[0]))
        let screen = ConsoleRender.render(model).lines.joined(separator: "\n")
        for binding in keymap.bindings {
            #expect(screen.contains(binding.help), "\(name): help misses '\(binding.help)'")
        }
        let keys = keymap.bindings.flatMap(\.keys)
        #expect(Set(keys).count == keys.count, "\(name) binds a key twice")
    }

    @Test func defaultFileMatchesTheBuiltInDefault() throws {
        let file = try Self.shipped("default")
        #expect(file.bindings.map(\.keys) == KeymapLibrary.builtInDefault.bindings.map(\.keys))
        #expect(file.bindings.map(\.action) == KeymapLibrary.builtInDefault.bindings.map(\.action))
    }

    @Test func loadByNameAndPathAndUserOverride() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-keymap-\(UUID())")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("switchboard"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = [
            "XDG_CONFIG_HOME": directory.path, "SWITCHBOARD_KEYMAPS": KeymapLibrary.sourceDirectory.path,
        ]
        #expect(try KeymapLibrary.load("vim", environment: environment).action(for: .char("h")) == .collapse)
        #expect(try KeymapLibrary.load("hatop", environment: environment).action(for: .control("a")) == .top)
        let override = """
            [[bind]]
            keys = ["x"]
            action = "quit"
            help = "Leave"
            """
        try override.write(
            to: directory.appendingPathComponent("switchboard/keymap.toml"), atomically: true, encoding: .utf8)
        let merged = try KeymapLibrary.load(nil, environment: environment)
        #expect(merged.action(for: .char("x")) == .quit)
        #expect(merged.action(for: .char("q")) == nil)  // the override replaced quit's keys
        #expect(merged.action(for: .char("j")) == .moveDown)  // the rest is kept
        #expect(throws: KeymapError.self) { try KeymapLibrary.load("emacs", environment: environment) }
    }

    @Test(arguments: [
        ("[[bind]]\nkeys = [\"q\"]\naction = \"explode\"\n", 3, "unknown action 'explode'"),
        (
            "[[bind]]\nkeys = [\"q\"]\naction = \"quit\"\n\n[[bind]]\nkeys = [\"Hyper-Q\"]\naction = \"help\"\n", 6,
            "unknown key 'Hyper-Q'"
        ),
        ("[[bind]\nkeys = 1\n", 1, "expected ']'"),
        ("[[bind]]\naction = \"quit\"\n", 1, "has no keys"),
        ("[[bind]]\nkeys = [\"q\"]\naction = \"quit\"\ncolour = \"red\"\n", 4, "unknown field 'colour'"),
        ("title = \"x\"\n", 1, "unknown key 'title'"),
    ])
    func invalidFilesNameTheLineAndTheProblem(text: String, line: Int, problem: String) {
        do {
            _ = try Keymap(toml: text, name: "bad", file: "/tmp/bad.toml")
            Issue.record("accepted an invalid keymap")
        } catch let error as KeymapError {
            #expect(error.file == "/tmp/bad.toml")
            #expect(error.line == line, "\(error)")
            #expect(error.description.contains(problem), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func keyNamesRoundTrip() {
        for name in ["q", "Space", "Up", "PgDn", "S-Tab", "F5", "C-c", "Esc", "/", "?"] {
            #expect(Key(name: name)?.description == name)
        }
        #expect(Key(name: "F13") == nil)
        #expect(Key(name: "C-1") == nil)
        #expect(Key(name: "") == nil)
    }
}
