import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// The driver against a real haproxy started by the lab, with real health checks and real origins.
@Suite("HAProxy driver on a real haproxy", .timeLimit(.minutes(2)))
struct DriverIntegrationTests {
    @Test func snapshotListsEveryServerWithItsState() async throws {
        try await Lab.with(.demo) { lab in
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket))
            // The server on a closed port goes DOWN at its first check (inter 1 s).
            try await Deadline.waitUntil("be_legacy/legacy2 is DOWN and every other server UP", timeout: .seconds(6)) {
                let snapshot = try await driver.snapshot()
                return snapshot.server("be_legacy", "legacy2")?.health == .down
                    && snapshot.allServers.filter { $0.name != "legacy2" }.allSatisfy { $0.status.text == "UP" }
            }
            let snapshot = try await driver.snapshot()
            for backend in LabSpec.demo.backends {
                #expect(snapshot.backend(named: backend.name)?.servers.map(\.name) == backend.servers.map(\.name))
            }
            #expect(snapshot.server("be_legacy", "legacy2")?.check?.status == "L4CON")
            #expect(snapshot.server("be_web", "web-bk1")?.isBackup == true)
            #expect(snapshot.backend(named: "be_api")?.algorithm == "leastconn")
            #expect(snapshot.info.level == .admin)
            #expect(snapshot.info.version.first?.isNumber == true)  // any version: the suites run on 2.6 and 3.4
            // web1's cookie holds `,` and `"`: HAProxy quotes the field, and no column shifts.
            #expect(snapshot.server("be_web", "web1")?.fields?["cookie"] == "eu,west \"1\"")
            #expect(snapshot.server("be_web", "web1")?.fields?["mode"] == "http")
            #expect(snapshot.droppedRecords == 0)
            #expect(snapshot.backend(named: "be_web")?.algorithm == "roundrobin")
            #expect(await driver.connectionsOpened == 1)
            await driver.close()
        }
    }

    @Test func weightsAndStatesReadBack() async throws {
        try await Lab.with(.demo) { lab in
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket))
            let initial = try await driver.snapshot()
            #expect(initial.backend(named: "be_api")?.servers.map(\.weight) == [100, 50, 10])
            let api2 = try ServerRef(parsing: "be_api/api2")
            _ = try await driver.perform(.setWeight(api2, .absolute(7)))
            let reply = try await driver.execute(.getWeight(api2))
            #expect(reply.reply == "7 (initial 50)")
            _ = try await driver.perform(.setAdmin(try ServerRef(parsing: "be_web/web2"), .drain))
            _ = try await driver.perform(.setAdmin(try ServerRef(parsing: "be_web/web3"), .maint))
            _ = try await driver.perform(.setWeight(try ServerRef(parsing: "be_web/web3"), .percent(20)))
            let after = try await driver.snapshot()
            #expect(after.server("be_api", "api2")?.weight == 7)
            #expect(after.server("be_api", "api2")?.initialWeight == 50)
            #expect(after.server("be_web", "web2")?.admin.mode == .drain)
            #expect(after.server("be_web", "web3")?.admin.mode == .maint)
            #expect(after.server("be_web", "web3")?.status.text == "MAINT")
            #expect(after.server("be_web", "web3")?.weight == 20)  // uweight, not the stale show-stat weight
            await driver.close()
        }
    }

    @Test func unixAndTCPSocketsAgree() async throws {
        try await Lab.with(.demo) { lab in
            let unix = HAProxyDriver(address: try ControlSocketAddress(parsing: lab.adminSocket))
            let tcp = HAProxyDriver(address: try ControlSocketAddress(parsing: lab.adminTCPAddress))
            let a = try await unix.snapshot(), b = try await tcp.snapshot()
            #expect(a.backends.map(\.name) == b.backends.map(\.name))
            #expect(a.allServers.map(\.id) == b.allServers.map(\.id))
            #expect(a.info.pid == b.info.pid)
            #expect(b.info.level == .admin)
            #expect(b.info.socket == lab.adminTCPAddress)
            await unix.close()
            await tcp.close()
        }
    }

    @Test func userAndOperatorSocketsReadAndAreRefusedWrites() async throws {
        try await Lab.with(.demo) { lab in
            let user = HAProxyDriver(address: .unix(path: lab.userSocket))
            let snapshot = try await user.snapshot()
            #expect(snapshot.info.level == .user)
            #expect(snapshot.allServers.count == 11)
            #expect(snapshot.allServers.allSatisfy { $0.address.isEmpty })
            let ref = try ServerRef(parsing: "be_web/web1")
            await #expect {
                _ = try await user.perform(.setAdmin(ref, .drain))
            } throws: { error in
                let error = error as? SwitchboardError
                return error?.code == .accessDenied && error?.cause == "Permission denied"
            }
            let operatorDriver = HAProxyDriver(address: .unix(path: lab.operatorSocket))
            let value1 = try await operatorDriver.connect().level
            #expect(value1 == .operator)
            await #expect {
                _ = try await operatorDriver.perform(.setWeight(ref, .absolute(1)))
            } throws: { ($0 as? SwitchboardError)?.code == .accessDenied }
            // Nothing changed on the balancer.
            let admin = HAProxyDriver(address: .unix(path: lab.adminSocket))
            let state = try await admin.snapshot().server("be_web", "web1")
            #expect(state?.admin.mode == .ready)
            #expect(state?.weight == 100)
            for driver in [user, operatorDriver, admin] { await driver.close() }
        }
    }

    @Test func unknownBackendAndServer() async throws {
        try await Lab.with(.demo) { lab in
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket))
            await #expect {
                _ = try await driver.perform(.setAdmin(try ServerRef(parsing: "be_nosuch/web1"), .drain))
            } throws: { ($0 as? SwitchboardError)?.code == .noSuchBackend }
            await #expect {
                _ = try await driver.perform(.setAdmin(try ServerRef(parsing: "be_web/nosuch"), .drain))
            } throws: { ($0 as? SwitchboardError)?.code == .noSuchServer }
            // The session is still usable afterwards, on the same connection.
            let value2 = try await driver.snapshot().backends.count
            #expect(value2 == 3)
            #expect(await driver.connectionsOpened == 1)
            await driver.close()
        }
    }

    @Test func namesWithSeparatorsNeverReachTheSocket() async throws {
        try await Lab.with(.demo) { lab in
            for text in ["be_web/web1;disable frontend fe_main", "be_web/web1 state maint", "be_web;x/web1"] {
                #expect(throws: SwitchboardError.self) { try ServerRef(parsing: text) }
            }
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket))
            let snapshot = try await driver.snapshot()
            #expect(snapshot.frontends.first?.status == "OPEN")
            #expect(snapshot.server("be_web", "web1")?.admin.mode == .ready)
            await driver.close()
        }
    }

    @Test func followsANewWorkerAfterAReload() async throws {
        try await Lab.with(.demo) { lab in
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket))
            let before = try await driver.connect().pid
            try await lab.reload()
            // The open session is still on the old worker; the driver must notice and move.
            let after = try await driver.snapshot()
            #expect(after.info.pid != before)
            let worker = try await lab.workerPid()
            #expect(after.info.pid == worker)
            #expect(!after.info.stopping)
            #expect(await driver.reloadsFollowed == 1)
            // Writes land on the new worker.
            _ = try await driver.perform(.setAdmin(try ServerRef(parsing: "be_web/web4"), .drain))
            let check = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
            let value3 = try await check.snapshot().server("be_web", "web4")?.admin.mode
            #expect(value3 == .drain)
            await driver.close()
        }
    }

    @Test func writeOnTheOldWorkerIsRetriedOnTheNewOne() async throws {
        try await Lab.with(.demo) { lab in
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket))
            _ = try await driver.connect()
            try await lab.reload()
            // No read in between: the write reaches the stopping worker first ("Proxy is disabled.").
            _ = try await driver.perform(.setAdmin(try ServerRef(parsing: "be_web/web1"), .maint))
            let check = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
            let value4 = try await check.snapshot().server("be_web", "web1")?.admin.mode
            #expect(value4 == .maint)
            await driver.close()
        }
    }

    @Test func oneShotSessions() async throws {
        try await Lab.with(.demo) { lab in
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
            let snapshot = try await driver.snapshot()
            #expect(snapshot.allServers.count == 11)
            #expect(snapshot.info.level == .admin)
            await #expect {
                _ = try await driver.perform(.setAdmin(try ServerRef(parsing: "be_web/nosuch"), .drain))
            } throws: { ($0 as? SwitchboardError)?.code == .noSuchServer }
        }
    }

    @Test func serverTurnsDownWhenItsOriginStops() async throws {
        try await Lab.with(.demo) { lab in
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket))
            try await Deadline.waitUntil("be_web/web2 is UP", timeout: .seconds(6)) {
                try await driver.snapshot().server("be_web", "web2")?.status.text == "UP"
            }
            await lab.origin("be_web", "web2")?.stop()
            let clock = ContinuousClock()
            let start = clock.now
            // fall 2 × inter 1 s, plus the time to the next check.
            try await Deadline.waitUntil("be_web/web2 is DOWN", timeout: .seconds(5)) {
                try await driver.snapshot().server("be_web", "web2")?.health == .down
            }
            #expect(clock.now - start < .seconds(5))
            let value5 = try await driver.snapshot().server("be_web", "web2")?.check?.status
            #expect(value5 == "L4CON")
            await driver.close()
        }
    }

    @Test func drainedServerGetsNoTraffic() async throws {
        try await Lab.with(.demo) { lab in
            let driver = HAProxyDriver(address: .unix(path: lab.adminSocket))
            try await Deadline.waitUntil("be_web actives are UP", timeout: .seconds(6)) {
                try await driver.snapshot().backend(named: "be_web")?.activeUp == 4
            }
            _ = try await driver.perform(.setAdmin(try ServerRef(parsing: "be_web/web1"), .drain))
            lab.resetCounts()
            let report = await TrafficGenerator.send(count: 60, to: "/be_web/", port: lab.frontendPort)
            #expect(report.statuses[200] == 60)
            let counts = lab.servedCounts(backend: "be_web")
            #expect(counts["web1"] == 0)
            #expect((counts["web2"] ?? 0) + (counts["web3"] ?? 0) + (counts["web4"] ?? 0) == 60)
            await driver.close()
        }
    }
}
