import SwitchboardCore
import Testing

@testable import HAProxyDriver

/// Counting a drained server's sessions on old workers when one of them exits between `show proc` and its
/// `show stat` (seen in CI on HAProxy 3.4: "show stat output has no header" ended a `drain --wait` with 76).
@Suite("Master CLI: old workers' sessions")
struct MasterCLISessionsTests {
    static let web1 = try! ServerRef(parsing: "be_web/web1")
    static let table = try! StatTable(
        parsing: "# pxname,svname,scur,\nbe_web,web1,2,\nbe_web,web2,5,\nbe_web,BACKEND,7,\n")

    struct Gone: Error {}

    @Test func aWorkerThatExitedMeanwhileIsLeftOutAndTheOthersAreCounted() async throws {
        let sessions = try await MasterCLI.sessions(
            of: Self.web1, workers: [101, 102],
            stat: { pid in
                if pid == 101 { throw Gone() }
                return Self.table
            },
            listedNow: { [102] })
        #expect(sessions == [102: 2])
    }

    @Test func aWorkerStillListedWhoseStatFailsIsAnError() async throws {
        await #expect(throws: Gone.self) {
            _ = try await MasterCLI.sessions(
                of: Self.web1, workers: [101], stat: { _ in throw Gone() }, listedNow: { [101] })
        }
    }
}
