import ConsoleApp
import Foundation
import SnapshotTesting
import SwitchboardCore
import SwitchboardTestSupport
import Testing

/// Models built from the recorded HAProxy 2.6 outputs, at a fixed time.
enum ConsoleFixtures {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    static func snapshot(level: AccessLevel = .admin) throws -> BalancerSnapshot {
        let info = try ShowInfo(parsing: try Fixtures.text("show-info.txt"))
        return SnapshotBuilder.build(
            info: info.balancerInfo(socket: "/run/haproxy/admin.sock", level: level),
            stat: try StatTable(parsing: try Fixtures.text("show-stat.csv")),
            states: try ServersState(parsing: try Fixtures.text("show-servers-state.txt")))
    }

    /// A model that has received the fixture snapshot once, 0.4 s before `start`.
    static func model(
        width: Int, height: Int, level: AccessLevel = .admin, keymap: Keymap = KeymapLibrary.builtInDefault
    )
        throws -> ConsoleModel
    {
        var model = ConsoleModel(width: width, height: height, now: start, keymap: keymap)
        _ = ConsoleUpdate.update(&model, .tick(start.addingTimeInterval(-0.5)))
        _ = ConsoleUpdate.update(
            &model, .refreshed(.success(try snapshot(level: level)), at: start.addingTimeInterval(-0.4)))
        _ = ConsoleUpdate.update(&model, .tick(start))
        return model
    }

    /// Sends keys through `update`, collecting the effects.
    @discardableResult
    static func press(_ keys: [Key], _ model: inout ConsoleModel) -> [ConsoleEffect] {
        keys.flatMap { ConsoleUpdate.update(&model, .key($0)) }
    }

    static func keys(_ text: String) -> [Key] { text.map { Key.char($0) } }
}

/// Compares a rendered screen with its golden file. Missing goldens are recorded locally (and the test
/// fails); under CI (`CI` set) or `SNAPSHOT_TESTING_RECORD=never` a missing golden just fails.
func assertScreen(
    _ model: ConsoleModel, named name: String, fileID: StaticString = #fileID, filePath: StaticString = #filePath,
    testName: String = #function, line: UInt = #line, column: UInt = #column
) {
    let record: SnapshotTestingConfiguration.Record =
        ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } == true ? .never : .missing
    withSnapshotTesting(record: record) {
        assertSnapshot(
            of: ConsoleRender.render(model).golden, as: .lines, named: name, fileID: fileID, file: filePath,
            testName: testName, line: line, column: column)
    }
}

/// Consoles on several balancers, each fed the recorded snapshot; `lb2` drifted (be_static/s1 at weight 50
/// and be_static/s2 drained), the last of five without be_track/t2, and `stale` nodes failing since `start`−11 s.
enum FleetFixtures {
    static func ids(_ count: Int) -> [BalancerID] { (1...count).map { BalancerID("lb\($0)") } }

    static func drifted(_ snapshot: BalancerSnapshot) -> BalancerSnapshot {
        var snapshot = snapshot
        guard let b = snapshot.backends.firstIndex(where: { $0.name == "be_static" }) else { return snapshot }
        snapshot.backends[b].servers[0].weight = 50
        snapshot.backends[b].servers[1].admin.mode = .drain
        snapshot.backends[b].servers[1].status = ServerStatus("DRAIN")
        return snapshot
    }

    static func model(width: Int, height: Int, balancers count: Int, stale: Set<Int> = []) throws -> ConsoleModel {
        let profiles = ids(count).enumerated().map { index, id in
            (id, BalancerProfile(label: id.rawValue, colour: index == 0 ? .red : nil))
        }
        var model = ConsoleModel(
            width: width, height: height, now: ConsoleFixtures.start.addingTimeInterval(-12), balancers: profiles)
        let base = try ConsoleFixtures.snapshot()
        func snapshot(_ index: Int) -> BalancerSnapshot {
            var snapshot = index == 1 ? drifted(base) : base
            if index == 4, let b = snapshot.backends.firstIndex(where: { $0.name == "be_track" }) {
                snapshot.backends[b].servers.removeAll { $0.name == "t2" }
            }
            return snapshot
        }
        for (index, id) in ids(count).enumerated() {
            let snapshot = snapshot(index)
            _ = ConsoleUpdate.update(
                &model, .refreshed(.success(snapshot), at: ConsoleFixtures.start.addingTimeInterval(-11.5), from: id))
        }
        for index in stale {
            _ = ConsoleUpdate.update(
                &model,
                .refreshed(
                    .failure(SwitchboardError(.connectionRefused, "socket refused")),
                    at: ConsoleFixtures.start.addingTimeInterval(-11), from: ids(count)[index]))
        }
        // Every live node answers again just before `start`.
        for (index, id) in ids(count).enumerated() where !stale.contains(index) {
            _ = ConsoleUpdate.update(
                &model,
                .refreshed(.success(snapshot(index)), at: ConsoleFixtures.start.addingTimeInterval(-0.4), from: id))
        }
        _ = ConsoleUpdate.update(&model, .tick(ConsoleFixtures.start))
        return model
    }
}
