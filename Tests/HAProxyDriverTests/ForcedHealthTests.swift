import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// A forced health state on a real haproxy whose health checks are slow: a check already running when checks
/// are disabled still lands its result when it finishes (HAProxy 2.6 and 3.4 alike), and must not undo the
/// forced DOWN a moment after it was set — a drill's injection or an operator's `health down` would silently
/// put the server back in rotation.
@Suite("Forced health against a check in flight", .timeLimit(.minutes(1)))
struct ForcedHealthTests {
    static let spec = LabSpec(
        backends: [.init(name: "be_slow", servers: [.init("s1"), .init("s2", backup: true)])],
        checkIntervalMilliseconds: 300, fall: 2, rise: 1)

    @Test func aForcedDownSticksWhenACheckWasRunningAsChecksWereDisabled() async throws {
        try await Lab.with(Self.spec, healthLatency: .milliseconds(200)) { lab in
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket))
            let server = try ServerRef(parsing: "be_slow/s1")
            let key = ServersState.Key(backend: "be_slow", server: "s1")
            func row() async throws -> ServerStateRow {
                try #require(try await driver.serversState().rows[key])
            }
            for round in 1...5 {
                _ = try await driver.perform(.healthChecks(server, enabled: true))
                _ = try await driver.perform(.forceHealth(server, .up))
                // The moment the race needs: a check of s1 is running (it takes 200 ms of every 300).
                try await Deadline.waitUntil("a check of s1 in flight (round \(round))", timeout: .seconds(5)) {
                    let state = try await row()
                    return state.operationalState == 2 && state.checkState & 0x01 != 0
                }
                _ = try await driver.perform(.healthChecks(server, enabled: false))
                _ = try await driver.perform(.forceHealth(server, .down))
                try await Deadline.waitUntil("no check of s1 running any more (round \(round))", timeout: .seconds(5)) {
                    try await row().checkState & 0x01 == 0
                }
                let after = try await row()
                #expect(after.operationalState == 0, "round \(round): the check in flight put s1 back UP")
                #expect(!after.checksEnabled)
            }
            await driver.close()
        }
    }
}
