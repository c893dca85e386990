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
