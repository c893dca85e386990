import ArgumentParser
import Foundation
import SwitchboardTestSupport

/// Developer tool: records the parser fixtures from a real haproxy.
@main
struct SwitchboardLabTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard-lab",
        abstract: "Developer tools around the lab balancer.",
        subcommands: [RecordFixtures.self, MeasurePolling.self, MeasureFleet.self, Compare.self])
}

/// `switchboard-lab record-fixtures`: writes Tests/Fixtures/haproxy-2.6/ from a real haproxy.
struct RecordFixtures: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record-fixtures", abstract: "Record show info / show stat / show servers state fixtures.")

    @Option(name: .long, help: "Target directory.")
    var directory: String = Fixtures.directory.path

    func run() async throws {
        try await FixtureRecorder.record(into: URL(fileURLWithPath: directory))
    }
}
