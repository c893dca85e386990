import Foundation
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// `ssh://` targets through a real sshd on 127.0.0.1 with throwaway keys (issue 9): the system ssh client,
/// a socat bridge on the "remote" side, the same protocol, and one clear line per ssh failure.
@Suite("ssh:// targets", .serialized, .timeLimit(.minutes(3)))
struct SSHTargetTests {
    static func address(_ lab: Lab, host: String = "switchboard-test") -> String { "ssh://\(host)\(lab.adminSocket)" }

    @Test func statusReachesALabThroughSSH() async throws {
        let server = try await SSHServer.start()
        defer { server.stop() }
        try await Lab.with(.demo) { lab in
            let json = try await BuiltProgram.run(
                ["status", "--json", "--socket", Self.address(lab)],
                environment: ["SWITCHBOARD_SSH_COMMAND": server.sshCommand])
            #expect(json.status == 0, "\(json.standardError)")
            let document = try JSONDecoder().decode(StatusDocument.self, from: Data(json.standardOutput.utf8))
            #expect(document.backends.map(\.name) == ["be_web", "be_api", "be_legacy"])
            #expect(document.balancer.socket == Self.address(lab))
            #expect(document.balancer.level == "admin")

            // The same lab over ssh and locally, side by side: the same servers.
            let both = try await BuiltProgram.run(
                ["status", "--json", "--socket", Self.address(lab), "--socket", lab.adminSocket],
                environment: ["SWITCHBOARD_SSH_COMMAND": server.sshCommand])
            #expect(both.status == 0, "\(both.standardError)")
            let fleet = try JSONDecoder().decode(FleetStatusDocument.self, from: Data(both.standardOutput.utf8))
            #expect(fleet.balancers[0].balancer?.pid == fleet.balancers[1].balancer?.pid)
        }
    }

    /// Each failure: its documented exit code and a line that says what to do.
    @Test(arguments: [
        Failure(name: "wrong key", config: .key("wrong_key"), status: 77, says: "Permission denied (publickey"),
        Failure(
            name: "unknown host key", config: .knownHosts("empty_known_hosts"), status: 77, says: "not in known_hosts"),
        Failure(name: "changed host key", config: .knownHosts("changed_known_hosts"), status: 77, says: "CHANGED"),
        Failure(name: "no socat or nc", config: .bareHost, status: 69, says: "neither socat nor nc"),
        Failure(name: "missing remote socket", config: .missingSocket, status: 66, says: "no socket /"),
    ])
    func sshFailuresAreOneClearLine(_ failure: Failure) async throws {
        let server = try await SSHServer.start()
        defer { server.stop() }
        try await Lab.with(.demo) { lab in
            let command: String
            var address = Self.address(lab)
            switch failure.config {
            case .key(let key): command = try server.writeVariant(named: "c-\(key)", key: key)
            case .knownHosts(let file): command = try server.writeVariant(named: "c-\(file)", knownHosts: file)
            case .bareHost: command = try server.writeVariant(named: "c-bare", bareHost: true)
            case .missingSocket:
                command = server.sshCommand
                address = "ssh://switchboard-test\(lab.directory)/no-such.sock"
            }
            let started = ContinuousClock.now
            let result = try await BuiltProgram.run(
                ["status", "--socket", address], environment: ["SWITCHBOARD_SSH_COMMAND": command])
            #expect(result.status == failure.status, "\(failure.name): \(result.standardError)")
            #expect(result.standardError.contains(failure.says), "\(failure.name): \(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    /// One failure case of the table above.
    struct Failure: Sendable, CustomTestStringConvertible {
        enum Config: Sendable { case key(String), knownHosts(String), bareHost, missingSocket }
        var name: String
        var config: Config
        var status: Int32
        var says: String
        var testDescription: String { name }
    }
}
