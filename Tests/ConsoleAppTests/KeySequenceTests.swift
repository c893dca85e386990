import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import Testing

@testable import ConsoleApp

/// Keys through `update`: the model, the effects emitted, and the final screen.
@Suite("Key sequences")
struct KeySequenceTests {
    func screen(_ model: ConsoleModel) -> [String] { ConsoleRender.render(model).lines }

    @Test func navigationMovesTheSelectionAndScrolls() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 12)  // reduced: 9 list rows
        #expect(model.selectedRow?.id == "be_app")
        let effects = ConsoleFixtures.press([.down, .char("j"), .char("j")], &model)
        #expect(effects.isEmpty)
        #expect(model.selectedRow?.id == "be_app/app3")
        ConsoleFixtures.press([.end], &model)
        #expect(model.selectedRow?.id == "be_static/s2")
        #expect(model.scroll == model.rows.count - model.pageSize)
        #expect(screen(model).contains { $0.hasPrefix("  s2") })
        #expect(!screen(model).contains { $0.hasPrefix("  app1") })
        ConsoleFixtures.press([.char("g")], &model)
        #expect(model.cursor == 0 && model.scroll == 0)
        ConsoleFixtures.press([.pageDown], &model)
        #expect(model.cursor == model.pageSize)
        ConsoleFixtures.press([.up, .up, .up, .up, .up, .up, .up, .up, .up, .up, .up, .up], &model)
        #expect(model.cursor == 0)
    }

    @Test func selectionSurvivesARefresh() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        ConsoleFixtures.press([.down, .down], &model)
        let snapshot = try ConsoleFixtures.snapshot()
        _ = ConsoleUpdate.update(
            &model, .refreshed(.success(snapshot), at: ConsoleFixtures.start.addingTimeInterval(1)))
        #expect(model.selectedRow?.id == "be_app/app2")
    }

    @Test func filterNarrowsAsYouTypeAndEscClears() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        ConsoleFixtures.press([.char("/")], &model)
        #expect(model.filterInput == "")
        ConsoleFixtures.press(ConsoleFixtures.keys("state:maint"), &model)
        #expect(model.rows.map(\.id) == ["be_app", "be_app/app4", "be_track", "be_track/t1"])
        #expect(screen(model).last?.hasPrefix("/state:maint█") == true)
        ConsoleFixtures.press([.enter], &model)
        #expect(model.filterInput == nil)
        #expect(model.filter.text == "state:maint")
        #expect(screen(model)[1].contains("2/11 servers"))
        ConsoleFixtures.press([.escape], &model)
        #expect(model.filter.isEmpty)
        #expect(model.rows.count == 14)
    }

    @Test func filterForms() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        func apply(_ text: String) -> [RowID] {
            ConsoleFixtures.press([.char("/")] + ConsoleFixtures.keys(text) + [.enter], &model)
            defer { ConsoleFixtures.press([.escape], &model) }
            return model.rows.map(\.id)
        }
        #expect(apply("be:static") == ["be_static", "be_static/s1", "be_static/s2"])
        #expect(apply("state:down") == ["be_app", "be_app/app1", "be_app/app3"])
        #expect(apply("state:drain") == ["be_app", "be_app/app2", "be_app/app6"])
        #expect(apply("state:backup") == ["be_app", "be_app/app-bk"])
        #expect(apply("APP5") == ["be_app", "be_app/app5"])
        #expect(apply("addr:127.0.0.1 be:track state:up") == ["be_track", "be_track/t2"])
        #expect(apply("nothing-matches").isEmpty)
        ConsoleFixtures.press([.char("/")] + ConsoleFixtures.keys("zzz") + [.enter], &model)
        #expect(screen(model).contains { $0.contains("nothing matches the filter 'zzz'") })
    }

    @Test func sortCyclesAndReverses() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.char("s")], &model)
        #expect(model.sort == .name)
        ConsoleFixtures.press([.char("S")], &model)  // ascending
        let names = model.rows.compactMap { row -> String? in
            if case .server(0, _) = row.kind { return row.id.server?.name }
            return nil
        }
        #expect(names == ["app-bk", "app1", "app2", "app3", "app4", "app5", "app6"])
        ConsoleFixtures.press([.char("s")], &model)
        #expect(model.sort == .state)
        ConsoleFixtures.press([.char("S")], &model)  // descending: worst first
        #expect(model.rows[1].id == "be_app/app1" || model.rows[1].id == "be_app/app3")
        #expect(screen(model)[1].contains("sort: state ↓"))
    }

    @Test func collapseAndExpand() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        ConsoleFixtures.press([.char("c")], &model)
        #expect(model.collapsed == ["be_app"])
        #expect(model.rows.count == 7)
        #expect(screen(model)[3].hasPrefix("▸ be_app"))
        ConsoleFixtures.press([.down, .down, .left], &model)  // on be_track/t1: collapses its backend
        #expect(model.collapsed == ["be_app", "be_track"])
        #expect(model.selectedRow?.id == "be_track")
        ConsoleFixtures.press([.char("E")], &model)
        #expect(model.collapsed.isEmpty)
        ConsoleFixtures.press([.char("C")], &model)
        #expect(model.rows.count == 3)
        ConsoleFixtures.press([.right], &model)
        #expect(model.rows.count > 3)
    }

    @Test func helpListsEveryBindingAndClosesWithEsc() throws {
        var model = try ConsoleFixtures.model(width: 160, height: 60)
        ConsoleFixtures.press([.char("?")], &model)
        #expect(model.overlay == .help(scroll: 0))
        let text = screen(model).joined(separator: "\n")
        for binding in model.keymap.bindings { #expect(text.contains(binding.help)) }
        ConsoleFixtures.press([.down, .down], &model)
        #expect(model.overlay == .help(scroll: 2))
        ConsoleFixtures.press([.escape], &model)
        #expect(model.overlay == nil)
    }

    /// Issue 13 polish: at 160 columns with more rows than fit, the column titles end with the whole `RATE TREND` and
    /// the scroll position is not jammed against them (it is in the status line, apart from every title).
    @Test func at160ColumnsTheLastTitleIsWholeAndThePositionStandsApart() throws {
        let snapshot = SnapshotBuilder.build(
            info: BalancerInfo(version: "2.6.12", pid: 1, uptimeSeconds: 1, level: .admin),
            stat: try StatTable(parsing: try SyntheticStat.showStat(servers: 200)),
            states: try ServersState(parsing: try SyntheticStat.serversState(servers: 200)))
        var model = ConsoleModel(width: 160, height: 48, now: ConsoleFixtures.start)
        _ = ConsoleUpdate.update(&model, .refreshed(.success(snapshot), at: ConsoleFixtures.start))
        ConsoleFixtures.press([.down, .down], &model)
        let lines = screen(model)
        let titles = try #require(lines.first { $0.contains("NAME") && $0.contains("WEIGHT") })
        #expect(titles.trimmingCharacters(in: .whitespaces).hasSuffix("RATE TREND"), "\(titles)")
        let position = "\(model.cursor + 1)/\(model.rows.count)"
        #expect(!titles.contains(position))
        let status = try #require(lines.first { $0.contains(position) }, "\(lines.joined(separator: "\n"))")
        let start = try #require(status.range(of: position)).lowerBound
        #expect(start == status.startIndex || status[status.index(before: start)] == " ", "\(status)")
    }

    @Test func detailShowsEveryField() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.down, .down, .enter], &model)
        #expect(model.overlay == .detail(id: "be_app/app2", scroll: 0))
        let lines = DetailLines.of(model)
        #expect(lines.contains { $0.0 == "admin" && $0.1 == "drain" })
        #expect(lines.contains { $0.0 == "check_desc" })
        ConsoleFixtures.press([.pageDown, .pageDown, .pageDown, .pageDown], &model)
        #expect(screen(model).joined().contains("h1_spliced_bytes_out") || lines.last?.0 != "")
        ConsoleFixtures.press([.enter], &model)
        #expect(model.overlay == nil)
    }

    @Test func quitAndControlC() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        #expect(ConsoleFixtures.press([.char("q")], &model) == [.quit])
        #expect(model.quitRequested)
        var other = try ConsoleFixtures.model(width: 80, height: 24)
        other.filterInput = "typing"
        #expect(ConsoleFixtures.press([.control("c")], &other) == [.quit])
    }

    @Test func unboundKeySaysHowToGetHelp() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        ConsoleFixtures.press([.char("Z")], &model)
        #expect(screen(model).last?.contains("Z is not bound — press ? for help") == true)
        _ = ConsoleUpdate.update(&model, .tick(ConsoleFixtures.start.addingTimeInterval(5)))
        #expect(model.message == nil)
    }

    @Test func refreshScheduleBackoffAndRecovery() throws {
        let t0 = ConsoleFixtures.start
        var model = ConsoleModel(width: 80, height: 24, now: t0)
        #expect(ConsoleUpdate.update(&model, .tick(t0)) == [.refresh(focus: [])])
        #expect(ConsoleUpdate.update(&model, .tick(t0.addingTimeInterval(0.3))).isEmpty)  // one in flight
        let down = SwitchboardError(.connectionRefused, "refused")
        _ = ConsoleUpdate.update(&model, .refreshed(.failure(down), at: t0.addingTimeInterval(0.3)))
        #expect(ConsoleUpdate.update(&model, .tick(t0.addingTimeInterval(0.4))).isEmpty)
        #expect(ConsoleUpdate.update(&model, .tick(t0.addingTimeInterval(0.56))).count == 1)  // 0.25 s backoff
        for attempt in 2...8 {
            _ = ConsoleUpdate.update(&model, .refreshed(.failure(down), at: t0.addingTimeInterval(Double(attempt))))
        }
        #expect(ConsoleUpdate.backoff(attempts: 8, interval: .seconds(1)) == 1)  // never longer than the interval
        _ = ConsoleUpdate.update(
            &model, .refreshed(.success(try ConsoleFixtures.snapshot()), at: t0.addingTimeInterval(10)))
        #expect(model.connection == .live)
        #expect(!model.isStale)
        _ = ConsoleUpdate.update(&model, .tick(t0.addingTimeInterval(13)))
        #expect(model.isStale)  // older than two intervals
    }

    @Test func pauseFasterSlower() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        ConsoleFixtures.press([.char("p")], &model)
        #expect(model.paused)
        #expect(ConsoleUpdate.update(&model, .tick(ConsoleFixtures.start.addingTimeInterval(30))).isEmpty)
        #expect(ConsoleFixtures.press([.char("p")], &model).count == 1)
        ConsoleFixtures.press([.char("+")], &model)
        #expect(model.interval == .milliseconds(500))
        ConsoleFixtures.press([.char("-"), .char("-")], &model)
        #expect(model.interval == .seconds(2))
        #expect(screen(model).last?.contains("refresh every 2s") == true)
    }

    @Test func resizeKeepsTheSelectionVisible() throws {
        var model = try ConsoleFixtures.model(width: 120, height: 40)
        ConsoleFixtures.press([.end], &model)
        _ = ConsoleUpdate.update(&model, .resize(width: 40, height: 12))
        #expect(model.cursor >= model.scroll && model.cursor < model.scroll + model.pageSize)
        _ = ConsoleUpdate.update(&model, .resize(width: 30, height: 8))
        #expect(screen(model).joined().contains("terminal too small"))
        _ = ConsoleUpdate.update(&model, .resize(width: 120, height: 40))
        #expect(screen(model)[0].hasPrefix("SWITCHBOARD"))
    }

    @Test func refreshFocusesTheBackendsOnScreen() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 12)
        let effects = ConsoleUpdate.update(&model, .tick(ConsoleFixtures.start.addingTimeInterval(2)))
        #expect(effects == [.refresh(focus: ["be_app", "be_track"])])
    }
}

/// Exposes the detail lines for assertions.
enum DetailLines {
    static func of(_ model: ConsoleModel) -> [(String, String)] {
        guard case .detail(let id, _) = model.overlay else { return [] }
        return DetailPane.lines(model, id: id)
    }
}
