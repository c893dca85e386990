import ConsoleApp
import Foundation
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// 10,000 servers: every one reachable by scrolling and by filtering; only the visible rows are drawn.
@Suite("10,000 servers")
struct LargeBalancerTests {
    static func model() throws -> ConsoleModel {
        let snapshot = SnapshotBuilder.build(
            info: BalancerInfo(version: "2.6.12", pid: 1, uptimeSeconds: 1, level: .admin),
            stat: try StatTable(parsing: try SyntheticStat.showStat(servers: 10_000)),
            states: try ServersState(parsing: try SyntheticStat.serversState(servers: 10_000)))
        var model = ConsoleModel(width: 120, height: 40, now: ConsoleFixtures.start)
        _ = ConsoleUpdate.update(&model, .refreshed(.success(snapshot), at: ConsoleFixtures.start))
        return model
    }

    @Test func everyServerIsReachableByScrolling() throws {
        var model = try Self.model()
        #expect(model.rows.count == 10_010)
        ConsoleFixtures.press([.end], &model)
        #expect(model.selectedRow?.id == "be_010/s1000")
        #expect(ConsoleRender.render(model).lines.contains { $0.hasPrefix("  s1000") })
        // The position is in the header's status line; the column titles stay whole.
        #expect(ConsoleRender.render(model).lines[1].contains("row 10010/10010"))
        #expect(ConsoleRender.render(model).lines[2].trimmingCharacters(in: .whitespaces).hasSuffix("QUEUE 5XX/S"))
        var pages = 0
        ConsoleFixtures.press([.home], &model)
        while model.cursor < model.rows.count - 1 && pages < 1000 {
            ConsoleFixtures.press([.pageDown], &model)
            pages += 1
        }
        #expect(model.selectedRow?.id == "be_010/s1000")
        #expect(pages == (10_010 - 1 + model.pageSize - 1) / model.pageSize)
    }

    @Test func everyServerIsReachableByFiltering() throws {
        var model = try Self.model()
        ConsoleFixtures.press([.char("/")] + ConsoleFixtures.keys("be:be_007 s0421") + [.enter], &model)
        #expect(model.rows.map(\.id) == ["be_007", "be_007/s0421"])
        ConsoleFixtures.press([.escape, .char("/")] + ConsoleFixtures.keys("state:down") + [.enter], &model)
        let downs = model.rows.filter { $0.id.server != nil }.count
        // The synthetic rows repeat the recorded be_app pattern of 7, two of which are DOWN (app1, app3):
        // positions 0 and 2 of every 7, i.e. 143 + 143 per backend of 1,000.
        #expect(downs == 2_860)
    }

    @Test func collapsingAllLeavesOneRowPerBackend() throws {
        var model = try Self.model()
        ConsoleFixtures.press([.char("C")], &model)
        #expect(model.rows.count == 10)
    }
}
