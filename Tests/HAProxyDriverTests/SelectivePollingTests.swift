import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// Selective polling on a real haproxy (the limit is lowered so the 11-server demo counts as "large").
@Suite("Selective polling", .timeLimit(.minutes(1)))
struct SelectivePollingTests {
    @Test func focusedBackendsInFullOthersByStateWithinTheInterval() async throws {
        try await Lab.with(.demo) { lab in
            var polling = HAProxyDriver.Polling()
            polling.fullPollLimit = 5
            polling.statesInterval = .milliseconds(400)
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket), polling: polling)
            let first = try await driver.snapshot(focusing: ["be_api"])
            #expect(first.allServers.count == 11)
            #expect(await driver.recentCommands.contains("show stat"))  // first refresh reads everything
            // …but keeps raw fields only for the backend on screen, so the whole first table is freed at once.
            #expect(first.backend(named: "be_api")?.servers.allSatisfy { $0.fields?["status"] != nil } == true)
            #expect(first.backend(named: "be_web")?.servers.allSatisfy { $0.fields == nil } == true)
            let configWeight = try #require(first.server("be_api", "api3")?.initialWeight)

            let other = HAProxyDriver(address: .unix(path: lab.adminSocket))
            _ = try await other.perform(.setAdmin(try ServerRef(parsing: "be_web/web1"), .maint))
            _ = try await other.perform(.setWeight(try ServerRef(parsing: "be_api/api3"), .absolute(3)))
            await other.close()

            let before = await driver.recentCommands.count
            let second = try await driver.snapshot(focusing: ["be_api"])
            let sent = await Array(driver.recentCommands.dropFirst(before))
            #expect(sent.contains("show stat -1 3 -1"))
            #expect(sent.contains { $0.hasPrefix("show stat ") && $0.hasSuffix(" 4 -1") })
            #expect(!sent.contains("show stat"))
            #expect(second.allServers.count == 11)
            #expect(second.server("be_api", "api3")?.weight == 3)  // focused: read in full
            // The config weight (from the last states read) is carried over to the focused backend's fresh read.
            #expect(second.server("be_api", "api3")?.initialWeight == configWeight)
            #expect(second.backend(named: "be_api")?.servers.allSatisfy { $0.initialWeight != nil } == true)

            // Off screen, web1's MAINT arrives with the next servers-state read, within the interval.
            try await Deadline.waitUntil("be_web/web1 shows MAINT through show servers state", timeout: .seconds(3)) {
                try await driver.snapshot(focusing: ["be_api"]).server("be_web", "web1")?.admin.mode == .maint
            }
            let latest = try await driver.snapshot(focusing: ["be_api"])
            #expect(latest.server("be_web", "web1")?.status.kind == .maint)
            #expect(latest.backend(named: "be_web")?.servers.count == 6)
            #expect(await driver.recentCommands.contains("show servers state"))
            // Raw fields only where the backend is on screen: an off-screen server keeps no earlier table alive.
            #expect(latest.backend(named: "be_api")?.servers.allSatisfy { $0.fields?["status"] != nil } == true)
            #expect(latest.backend(named: "be_web")?.servers.allSatisfy { $0.fields == nil } == true)
            await driver.close()
        }
    }

    @Test func smallBalancersAreReadInFullEveryTime() async throws {
        try await Lab.with(.demo) { lab in
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket))
            _ = try await driver.snapshot(focusing: ["be_api"])
            let before = await driver.recentCommands.count
            _ = try await driver.snapshot(focusing: ["be_api"])
            let sent = await Array(driver.recentCommands.dropFirst(before))
            #expect(sent == ["show info", "show stat", "show servers state"])
            await driver.close()
        }
    }
}
