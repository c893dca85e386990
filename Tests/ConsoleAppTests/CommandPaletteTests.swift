import ConsoleApp
import Foundation
import SwitchboardCore
import Testing

/// The `:` command palette: parsing, completion, and — above all — that a command gives exactly the plan,
/// dialog and guards its keys give.
@Suite("Command palette")
struct CommandPaletteTests {
    /// Opens the palette, types `line`, presses Enter.
    @discardableResult
    static func run(_ line: String, _ model: inout ConsoleModel) -> [ConsoleEffect] {
        ConsoleFixtures.press([.char(":")] + ConsoleFixtures.keys(line) + [.enter], &model)
    }

    /// Moves the selection with Down (as a person would) until `id` is selected.
    static func select(_ id: RowID, _ model: inout ConsoleModel) throws {
        ConsoleFixtures.press([.char("g")], &model)
        for _ in 0..<model.rows.count where model.selectedRow?.id != id { ConsoleFixtures.press([.down], &model) }
        try #require(model.selectedRow?.id == id)
    }

    static let app2 = RowID.server(ServerID(backend: "be_app", name: "app2"))

    @Test func parsesEveryCommandOfTheIssue() throws {
        #expect(try PaletteCommand.parse("drain web1") == .servers(.drain, names: ["web1"]))
        #expect(try PaletteCommand.parse(":drain web1 web2") == .servers(.drain, names: ["web1", "web2"]))
        #expect(try PaletteCommand.parse("weight be_web/web2 50%") == .weight(names: ["be_web/web2"], value: "50%"))
        #expect(try PaletteCommand.parse("weight 0") == .weight(names: [], value: "0"))
        #expect(try PaletteCommand.parse("failover be_web") == .backend(.failover, name: "be_web"))
        #expect(try PaletteCommand.parse("failback") == .backend(.failback, name: nil))
        #expect(try PaletteCommand.parse("filter state:down") == .filter("state:down"))
        #expect(try PaletteCommand.parse("filter") == .filter(""))
        #expect(try PaletteCommand.parse("sort rate") == .sort(.rate, descending: nil))
        #expect(try PaletteCommand.parse("sort rt asc") == .sort(.responseTime, descending: false))
        #expect(try PaletteCommand.parse("view events") == .view(.events))
        #expect(try PaletteCommand.parse("frontends") == .view(.frontends))
        #expect(try PaletteCommand.parse("target lb2") == .target("lb2"))
        #expect(try PaletteCommand.parse("focus all") == .target("all"))
        #expect(try PaletteCommand.parse("routes") == .view(.routes))
        #expect(try PaletteCommand.parse("help") == .view(.help))
        #expect(try PaletteCommand.parse("incident lb1 5xx storm") == .incident(title: "lb1 5xx storm"))
        #expect(try PaletteCommand.parse("!show info") == .raw("show info"))
        #expect(try PaletteCommand.parse("raw show stat") == .raw("show stat"))
        #expect(try PaletteCommand.parse("maintenance app1") == .servers(.maint, names: ["app1"]))
    }

    @Test func badLinesSayWhatIsWrong() {
        func message(_ line: String) -> String {
            do {
                _ = try PaletteCommand.parse(line)
                return "parsed"
            } catch { return error.message }
        }
        #expect(message("drian web1").contains("unknown command `drian` — did you mean drain?"))
        #expect(message("weight web1").contains("weight needs a value last"))
        #expect(message("sort bogus").contains("`bogus` is not a column"))
        #expect(message("sort rate up").contains("asc or desc"))
        #expect(message("view nothing").contains("servers frontends events log routes help raw"))
        #expect(message("undo now").contains("undo takes no arguments"))
        #expect(message("failover be_a be_b").contains("one backend"))
        #expect(message("mark").contains("mark what?"))
    }

    @Test func drainByNameIsTheSamePlanAsTheKey() throws {
        var byKeys = try ConsoleFixtures.model(width: 120, height: 40)
        try Self.select(Self.app2, &byKeys)
        ConsoleFixtures.press([.char("d")], &byKeys)
        var byPalette = try ConsoleFixtures.model(width: 120, height: 40)
        #expect(Self.run("drain app2", &byPalette).isEmpty)
        guard case .confirm(let plan, _)? = byPalette.dialog else {
            Issue.record("no confirmation: \(String(describing: byPalette.message))")
            return
        }
        #expect(byPalette.dialog == byKeys.dialog)
        #expect(plan.intent.targets.map(\.description) == ["be_app/app2"])
        #expect(byPalette.selectedRow?.id == Self.app2)  // the selection shows what was named
        // Confirming sends the same thing either way.
        let sent = ConsoleFixtures.press([.char("y")], &byPalette)
        #expect(sent == ConsoleFixtures.press([.char("y")], &byKeys))
        #expect(!sent.isEmpty)
    }

    @Test func severalNamesAreTheSamePlanAsMarkingThem() throws {
        var byKeys = try ConsoleFixtures.model(width: 120, height: 40)
        try Self.select(.server(ServerID(backend: "be_app", name: "app1")), &byKeys)
        ConsoleFixtures.press([.char(" "), .char(" "), .char("m")], &byKeys)  // mark app1, app2; maint
        var byPalette = try ConsoleFixtures.model(width: 120, height: 40)
        Self.run("maint app1 be_app/app2", &byPalette)
        #expect(byPalette.dialog != nil)
        #expect(byPalette.dialog == byKeys.dialog)
        #expect(byPalette.marked.isEmpty)  // the names are the targets; the marks are left as they were
    }

    @Test func weightWithAValueOpensTheSamePreviewAsTyping() throws {
        var byKeys = try ConsoleFixtures.model(width: 120, height: 40)
        try Self.select(Self.app2, &byKeys)
        ConsoleFixtures.press([.char("w")] + ConsoleFixtures.keys("50%"), &byKeys)
        var byPalette = try ConsoleFixtures.model(width: 120, height: 40)
        Self.run("weight be_app/app2 50%", &byPalette)
        #expect(byPalette.dialog == byKeys.dialog)
        #expect(ConsoleRender.render(byPalette).golden == ConsoleRender.render(byKeys).golden)
        let sent = ConsoleFixtures.press([.enter], &byPalette)
        #expect(sent == ConsoleFixtures.press([.enter], &byKeys))
        #expect(!sent.isEmpty)
    }

    @Test func forcedHealthAndFailoverAreTheSamePlansAsTheKeys() throws {
        var byKeys = try ConsoleFixtures.model(width: 120, height: 40)
        try Self.select(Self.app2, &byKeys)
        ConsoleFixtures.press([.char("h"), .char("c"), .char("d")], &byKeys)
        var byPalette = try ConsoleFixtures.model(width: 120, height: 40)
        Self.run("health app2", &byPalette)
        ConsoleFixtures.press([.char("c"), .char("d")], &byPalette)
        #expect(byPalette.dialog != nil)
        #expect(byPalette.dialog == byKeys.dialog)

        var failoverKeys = try ConsoleFixtures.model(width: 120, height: 40)
        try Self.select(.backend("be_app"), &failoverKeys)
        ConsoleFixtures.press([.char("F")], &failoverKeys)
        var failoverPalette = try ConsoleFixtures.model(width: 120, height: 40)
        Self.run("failover be_app", &failoverPalette)
        #expect(failoverPalette.dialog != nil)
        #expect(failoverPalette.dialog == failoverKeys.dialog)

        var redistribute = try ConsoleFixtures.model(width: 120, height: 40)
        Self.run("redistribute be_static", &redistribute)
        guard case .redistribute(let backend, _, _)? = redistribute.dialog else {
            Issue.record("no redistribute dialog")
            return
        }
        #expect(backend == "be_static")
    }

    @Test func refusalsSendNothingAndKeepTheLine() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        #expect(Self.run("drain nope", &model).isEmpty)
        #expect(model.dialog == nil)
        #expect(model.commandPalette.input == "drain nope")
        #expect(model.commandPalette.error?.contains("no server nope") == true)
        assertScreen(model, named: "120x40")
        ConsoleFixtures.press([.escape], &model)
        #expect(!model.commandPalette.isOpen)
        Self.run("drain be_app", &model)
        #expect(model.commandPalette.error?.contains("be_app is a backend") == true)
        ConsoleFixtures.press([.escape], &model)
        Self.run("failover be_nope", &model)
        #expect(model.commandPalette.error?.contains("no backend be_nope") == true)
        ConsoleFixtures.press([.escape], &model)
        // A filter hiding the backend: said so, nothing selected behind the operator's back.
        Self.run("filter be:be_static", &model)
        Self.run("failover be_app", &model)
        #expect(model.commandPalette.error?.contains("hidden by the filter") == true)
        #expect(model.dialog == nil)

        // Read-only: the same refusal as the key.
        var readOnly = try ConsoleFixtures.model(width: 120, height: 40, level: .user)
        #expect(Self.run("drain app1", &readOnly).isEmpty)
        #expect(readOnly.dialog == nil)
        #expect(readOnly.message?.text.contains("read-only") == true)
    }

    @Test func viewsFilterSortAndTheRawPrompt() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        Self.run("filter state:down", &model)
        #expect(model.filter.text == "state:down")
        Self.run("filter", &model)
        #expect(model.filter.isEmpty)
        Self.run("sort rate asc", &model)
        var byKeys = try ConsoleFixtures.model(width: 120, height: 40)
        while byKeys.sort != .rate { ConsoleFixtures.press([.char("s")], &byKeys) }
        ConsoleFixtures.press([.char("S")], &byKeys)
        #expect(model.sort == .rate && !model.sortDescending)
        #expect(model.rows == byKeys.rows)
        Self.run("view events", &model)
        #expect(model.overlay == .events(scroll: 0))
        Self.run("help", &model)
        #expect(model.overlay == .help(scroll: 0))
        Self.run("view servers", &model)
        #expect(model.overlay == nil && model.view == .servers)
        var routes = try ConsoleFixtures.model(width: 120, height: 40)
        let routeEffects = Self.run("routes", &routes)
        var routesByKey = try ConsoleFixtures.model(width: 120, height: 40)
        #expect(routeEffects == ConsoleFixtures.press([.char("R")], &routesByKey))
        #expect(routes.overlay == .routes)
        // !COMMAND goes to the Runtime API prompt, with its own guards.
        #expect(Self.run("!show info", &model) == [.raw(try RuntimeCommand.raw("show info"))])
        #expect(model.prompt.isOpen)
        ConsoleFixtures.press([.escape], &model)
        Self.run("raw disable frontend fe_main", &model)
        #expect(model.dialog == .raw(try RuntimeCommand.raw("disable frontend fe_main")))
    }

    @Test func tabCompletesVerbsThenNamesAndUpRecalls() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.char(":")] + ConsoleFixtures.keys("dr") + [.tab], &model)
        #expect(model.commandPalette.input == "drain ")
        ConsoleFixtures.press(ConsoleFixtures.keys("be_a") + [.tab], &model)
        #expect(model.commandPalette.input == "drain be_app/")
        ConsoleFixtures.press(ConsoleFixtures.keys("app") + [.tab], &model)
        #expect(model.commandPalette.input == "drain be_app/app")
        #expect(model.commandPalette.candidates.contains("be_app/app-bk"))
        ConsoleFixtures.press(ConsoleFixtures.keys("3") + [.tab], &model)
        #expect(model.commandPalette.input == "drain be_app/app3 ")
        ConsoleFixtures.press([.escape, .char(":")] + ConsoleFixtures.keys("sort r") + [.tab], &model)
        #expect(model.commandPalette.candidates == ["rate", "rt"])
        ConsoleFixtures.press([.escape], &model)
        Self.run("filter be:be_app", &model)
        ConsoleFixtures.press([.char(":"), .up], &model)
        #expect(model.commandPalette.input == "filter be:be_app")

        let names = PaletteNames(
            servers: [
                ServerID(backend: "a", name: "web1"), ServerID(backend: "b", name: "web1"),
                ServerID(backend: "b", name: "web2"),
            ],
            backends: ["a", "b"])
        // A name in two backends is not offered bare; one in a single backend is.
        #expect(PaletteCompletion.complete("drain we", names: names).text == "drain web2 ")
    }

    @Test func aNameInSeveralBackendsIsRefusedWithTheChoices() throws {
        var snapshot = try ConsoleFixtures.snapshot()
        let track = try #require(snapshot.backends.firstIndex { $0.name == "be_track" })
        snapshot.backends[track].servers[0].name = "s1"  // be_track/s1 beside be_static/s1
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        _ = ConsoleUpdate.update(&model, .refreshed(.success(snapshot), at: ConsoleFixtures.start))
        #expect(Self.run("drain s1", &model).isEmpty)
        #expect(model.dialog == nil)
        #expect(model.commandPalette.error == "s1 is in 2 backends — say which: be_track/s1, be_static/s1")
        ConsoleFixtures.press([.escape], &model)
        Self.run("drain be_track/s1", &model)
        #expect(model.dialog != nil)
    }

    @Test func targetSwitchesTheBalancerAndNamesResolveThere() throws {
        var model = try FleetFixtures.model(width: 120, height: 40, balancers: 2)
        ConsoleFixtures.press([.char("b")], &model)  // lb1 alone
        #expect(!model.isFleetView)
        Self.run("target all", &model)
        #expect(model.isFleetView)
        Self.run("target lb2", &model)
        #expect(model.primary.id == "lb2" && !model.isFleetView)
        Self.run("drain s1", &model)
        guard case .confirm(let plan, _)? = model.dialog else {
            Issue.record("no confirmation")
            return
        }
        #expect(plan.intent.targets.map(\.description) == ["be_static/s1"])
    }
}
