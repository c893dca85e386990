import Foundation
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// `switchboard targets` and target selection from a targets file (issue 9), on a real lab reached three ways.
@Suite("targets file on the command line", .serialized, .timeLimit(.minutes(3)))
struct TargetsCommandTests {
    static func write(_ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-targets-\(UUID())")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("switchboard"), withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("switchboard/targets.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The temp directory `write` made (two levels above the file).
    static func directory(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().deletingLastPathComponent().path
    }

    @Test func targetsChecksEachAndStatusFollowsTheGroups() async throws {
        let server = try await SSHServer.start()
        defer { server.stop() }
        try await Lab.with(.demo) { lab in
            let path = try Self.write(
                """
                [balancers.local]
                address = "\(lab.adminSocket)"
                colour = "green"

                [balancers.viatcp]
                address = "\(lab.adminTCPAddress)"
                label = "tcp one"
                read_only = true

                [balancers.remote]
                address = "ssh://switchboard-test\(lab.operatorSocket)"
                ssh_command = "\(server.sshCommand)"

                [balancers.gone]
                address = "\(lab.directory)/gone.sock"
                timeout = 0.5

                [groups]
                default = ["local", "remote"]
                broken = ["local", "gone"]

                """)
            defer { try? FileManager.default.removeItem(atPath: Self.directory(of: path)) }
            let environment = [
                "XDG_CONFIG_HOME": URL(fileURLWithPath: path).deletingLastPathComponent()
                    .deletingLastPathComponent().path, "SWITCHBOARD_SOCKET": "",
            ]
            let listed = try await BuiltProgram.run(["targets", "--json"], environment: environment)
            #expect(listed.status == 4, "\(listed.standardError)")
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [String: Any])
            let targets = try #require(json["targets"] as? [[String: Any]])
            #expect(targets.map { $0["name"] as? String } == ["local", "viatcp", "remote", "gone"])
            #expect(targets.map { $0["reachable"] as? Bool } == [true, true, true, false])
            #expect(targets.map { $0["level"] as? String } == ["admin", "admin", "operator", nil])
            #expect(targets.map { $0["safety"] as? String } == ["local", "tcp-loopback", "ssh", "local"])
            let version = try #require(targets[0]["version"] as? String)
            #expect(!version.isEmpty && targets[2]["version"] as? String == version)
            #expect((targets[2]["rtt_ms"] as? Double).map { $0 > 0 } == true)
            #expect(targets[1]["read_only"] as? Bool == true && targets[0]["colour"] as? String == "green")
            #expect(((targets[3]["error"] as? [String: Any])?["code"] as? String) == "socket-not-found")

            let table = try await BuiltProgram.run(["targets"], environment: environment)
            #expect(table.standardOutput.contains("NOT ANSWERING"))
            #expect(table.standardOutput.contains("groups: default = local, remote; broken = local, gone"))

            // No choice: the default group, schema 2 with the file's names.
            let status = try await BuiltProgram.run(["status", "--json"], environment: environment)
            #expect(status.status == 0, "\(status.standardError)")
            let fleet = try JSONDecoder().decode(FleetStatusDocument.self, from: Data(status.standardOutput.utf8))
            #expect(fleet.balancers.map(\.name) == ["local", "remote"])
            #expect(fleet.balancers[1].balancer?.level == "operator")

            let one = try await BuiltProgram.run(["status", "--json", "--target", "viatcp"], environment: environment)
            #expect(try JSONDecoder().decode(StatusDocument.self, from: Data(one.standardOutput.utf8)).schema == 1)

            let broken = try await BuiltProgram.run(["status", "--group", "broken"], environment: environment)
            #expect(broken.status == 4)
            #expect(broken.standardError.contains("gone: "))

            // A read_only target refuses actions before connecting; on the default group (local, remote) the
            // remote one is reached on an operator socket, so the fleet action is refused before anything is sent.
            let readOnly = try await BuiltProgram.run(
                ["drain", "be_web/web1", "--yes", "--target", "viatcp"], environment: environment)
            #expect(readOnly.status == 77, "\(readOnly.standardError)")
            #expect(readOnly.standardError.contains("read_only"))
            let several = try await BuiltProgram.run(["drain", "be_web/web1", "--yes"], environment: environment)
            #expect(several.status == 7, "\(several.standardError)")
            #expect(several.standardError.contains("remote: socket level operator: actions need admin"))
        }
    }

    @Test func aBadTargetsFileIsRefusedBeforeAnythingIsContacted() async throws {
        let path = try Self.write("[balancers.lb1]\naddress = \"/a.sock\"\n\n[groups]\ndefault = [\"lb1\", \"lb7\"]\n")
        defer { try? FileManager.default.removeItem(atPath: Self.directory(of: path)) }
        let result = try await BuiltProgram.run(["status", "--targets", path])
        #expect(result.status == 65)
        #expect(
            result.standardError.contains("targets \(path), line 5: group 'default' names 'lb7'"),
            "\(result.standardError)")
        let unknown = try await BuiltProgram.run(["status", "--targets", path, "--target", "nope"])
        #expect(unknown.status == 65)
        let missing = try await BuiltProgram.run(["status", "--targets", path + ".missing"])
        #expect(missing.status == 65 && missing.standardError.contains("cannot read the file"))
    }
}
