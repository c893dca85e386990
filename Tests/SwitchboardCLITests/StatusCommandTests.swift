import Foundation
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// The built `switchboard` executable, run as a script would run it, against a real haproxy.
@Suite("switchboard status and demo", .timeLimit(.minutes(2)))
struct StatusCommandTests {
    @Test func tableListsEveryServer() async throws {
        try await Lab.with(.demo) { lab in
            let result = try await BuiltProgram.run(["status", "--socket", lab.adminSocket])
            #expect(result.status == 0, "\(result.standardError)")
            for backend in LabSpec.demo.backends {
                #expect(result.standardOutput.contains(backend.name))
                for server in backend.servers { #expect(result.standardOutput.contains(server.name)) }
            }
            #expect(result.standardOutput.contains("ADMIN"))
            #expect(result.standardError.isEmpty)
        }
    }

    @Test func jsonParsesWithTheDocumentedShape() async throws {
        try await Lab.with(.demo) { lab in
            let result = try await BuiltProgram.run(["status", "--socket", lab.adminTCPAddress, "--json"])
            #expect(result.status == 0, "\(result.standardError)")
            let document = try JSONDecoder().decode(StatusDocument.self, from: Data(result.standardOutput.utf8))
            #expect(document.schema == 1)
            #expect(document.balancer.level == "admin")
            #expect(document.backends.map(\.name) == ["be_web", "be_api", "be_legacy"])
            let web = try #require(document.backends.first)
            #expect(web.servers.count == 6)
            #expect(web.servers.filter(\.backup).map(\.name) == ["web-bk1", "web-bk2"])
            let api = try #require(document.backends.first { $0.name == "be_api" })
            #expect(api.servers.map(\.weight) == [100, 50, 10])
            #expect(api.servers.allSatisfy { $0.admin == "ready" })
        }
    }

    @Test func oneBackendAndUnknownBackend() async throws {
        try await Lab.with(.demo) { lab in
            let one = try await BuiltProgram.run([
                "status", "--socket", lab.adminSocket, "--backend", "be_api", "--json",
            ])
            #expect(one.status == 0)
            let document = try JSONDecoder().decode(StatusDocument.self, from: Data(one.standardOutput.utf8))
            #expect(document.backends.map(\.name) == ["be_api"])
            let unknown = try await BuiltProgram.run(["status", "--socket", lab.adminSocket, "--backend", "be_nope"])
            #expect(unknown.status == 65)
            #expect(unknown.standardError.contains("be_nope"))
        }
    }

    @Test func userLevelSocketReportsItsLevel() async throws {
        try await Lab.with(.demo) { lab in
            let result = try await BuiltProgram.run(["status", "--socket", lab.userSocket, "--json"])
            #expect(result.status == 0, "\(result.standardError)")
            let document = try JSONDecoder().decode(StatusDocument.self, from: Data(result.standardOutput.utf8))
            #expect(document.balancer.level == "user")
            let table = try await BuiltProgram.run(["status", "--socket", lab.userSocket])
            #expect(table.standardOutput.contains("READ-ONLY"))
        }
    }

    @Test func socketFromTheEnvironment() async throws {
        try await Lab.with(.demo) { lab in
            let result = try await BuiltProgram.run(
                ["status", "--json"], environment: ["SWITCHBOARD_SOCKET": lab.adminSocket])
            #expect(result.status == 0, "\(result.standardError)")
        }
    }

    @Test func missingSocketExits66WithOneLine() async throws {
        let result = try await BuiltProgram.run(["status", "--socket", "/nonexistent/admin.sock"])
        #expect(result.status == 66)
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(result.standardError.contains("/nonexistent/admin.sock does not exist"))
        #expect(result.standardOutput.isEmpty)
    }

    @Test func noSocketFoundNamesWhatWasTried() async throws {
        let result = try await BuiltProgram.run(
            ["status"], environment: ["SWITCHBOARD_SOCKET": "/nonexistent/env.sock"])
        #expect(result.status == 69)
        #expect(result.standardError.contains("/nonexistent/env.sock"))
        #expect(result.standardError.contains("SWITCHBOARD_SOCKET"))
    }

    @Test func hungPeerExits75WithinTheTimeout() async throws {
        let peer = try await FakePeer.start(.silent)
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await BuiltProgram.run(["status", "--socket", peer.address, "--timeout", "0.5"])
        #expect(result.status == 75)
        #expect(result.standardError.contains("did not answer"))
        #expect(clock.now - start < .seconds(5))
        await peer.stop()
    }

    /// Point 9: `--timeout` is one deadline for the whole command, also against a peer that trickles bytes.
    @Test func aTricklingPeerCannotStretchTheTimeout() async throws {
        let peer = try await FakePeer.start(.trickle(interval: .milliseconds(50)))
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await BuiltProgram.run(["status", "--socket", peer.address, "--timeout", "1"])
        let elapsed = clock.now - start
        #expect(result.status == 75, "\(result.standardError)")
        #expect(result.standardError.contains("did not answer"))
        #expect(elapsed < .milliseconds(1_600), "took \(elapsed) (process start included)")
        await peer.stop()
    }

    @Test func badTCPAddressesAreRefusedBeforeConnecting() async throws {
        for address in ["tcp://256.1.1.1:80", "tcp://1.2.3:80", "tcp://bad_host:80", "tcp://127.0.0.1:70000"] {
            let result = try await BuiltProgram.run(["status", "--socket", address])
            #expect(result.status == 65, "\(address): \(result.standardError)")
            #expect(!result.standardError.contains("NIO"), "\(result.standardError)")
        }
    }

    @Test func notHAProxyExits76() async throws {
        let peer = try await FakePeer.start(.reply("SSH-2.0-OpenSSH_9.2\r\n"))
        let result = try await BuiltProgram.run(["status", "--socket", peer.address])
        #expect(result.status == 76, "\(result.standardError)")
        await peer.stop()
    }

    @Test func invalidBackendNameIsRefusedBeforeAnythingIsSent() async throws {
        let peer = try await FakePeer.start(.silent)
        for name in ["be;show info", "be web", "be\tx"] {
            let result = try await BuiltProgram.run(["status", "--socket", peer.address, "--backend", name])
            #expect(result.status == 65)
            #expect(result.standardError.contains("nothing was sent"))
        }
        #expect(peer.connections == 0)
        #expect(peer.receivedBytes == 0)
        await peer.stop()
    }

    /// Issue 11: the demo looks alive — its traffic's slow requests hold sessions on servers with limits, so load
    /// bars and sessions move without any scenario.
    @Test func theDemoLabsServersHoldSessionsAgainstTheirLimits() async throws {
        let lab = try await Lab.start(.liveDemo, originLatency: .milliseconds(15))
        do {
            let traffic = Task {
                await TrafficGenerator(
                    plan: .init(
                        port: lab.frontendPort, paths: LabSpec.demoTrafficPaths, requestsPerSecond: 40,
                        concurrency: 64, maxRequests: 1_000, duration: .seconds(25))
                ).run()
            }
            defer { traffic.cancel() }
            var busiest = 0
            try await Deadline.waitUntil("be_web and be_api servers holding sessions", timeout: .seconds(20)) {
                let snapshot = try await ActionCommandTests.admin(lab)
                let web = snapshot.backend(named: "be_web")?.activeServers ?? []
                let api = snapshot.backend(named: "be_api")?.servers ?? []
                busiest = max(busiest, web.map(\.maxSessions).max() ?? 0)
                return web.allSatisfy { $0.sessionLimit == 8 } && api.map(\.sessionLimit) == [4, 3, 2]
                    && web.contains { $0.sessions > 0 } && api.contains { $0.sessions > 0 }
            }
            #expect(busiest >= 1)
        } catch {
            await lab.stop()
            throw error
        }
        await lab.stop()
    }

    @Test func demoStartsAndStopsEverythingItStarted() async throws {
        let result = try await BuiltProgram.run(["demo", "--duration", "3", "--rate", "20"], timeout: .seconds(60))
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("be_web"))
        #expect(result.standardOutput.contains("web-bk1 (backup)"))
        let pidLine = try #require(
            result.standardOutput.split(separator: "\n").first { $0.hasPrefix("Demo balancer (haproxy pid ") })
        let pid = Int32(pidLine.dropFirst("Demo balancer (haproxy pid ".count).prefix { $0.isNumber })!
        #expect(kill(pid, 0) != 0, "haproxy pid \(pid) is still running after the demo exited")
        let directory = String(pidLine.split(separator: " ").last!)
        #expect(!FileManager.default.fileExists(atPath: directory))
    }
}

@Suite("Lab prerequisites")
struct LabPrerequisiteTests {
    @Test func missingHAProxySaysHowToInstallIt() {
        #expect {
            try HAProxyProcess.locate(searchPath: ["/nonexistent/bin"], environment: [:])
        } throws: { error in
            let error = error as? SwitchboardError
            return error?.code == .missingProgram && error?.message.contains("apt-get install haproxy") == true
        }
    }
}
