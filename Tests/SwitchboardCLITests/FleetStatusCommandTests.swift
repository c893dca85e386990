import Foundation
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// `status` on several balancers (issue 9, point 3): two real labs and one gone.
@Suite("switchboard status on several balancers", .timeLimit(.minutes(2)))
struct FleetStatusCommandTests {
    @Test func everyBalancerInOrderAndTheOneGoneWithItsError() async throws {
        try await Lab.with(.demo) { first in
            try await Lab.with(.demo) { second in
                let gone = first.directory + "/no-such.sock"
                let arguments = [
                    "status", "--json", "--socket", second.adminSocket, "--socket", gone, "--socket",
                    first.adminTCPAddress,
                ]
                let result = try await BuiltProgram.run(arguments)
                #expect(result.status == 4, "\(result.standardError)")
                #expect(result.standardError.contains(gone))
                let document = try JSONDecoder().decode(
                    FleetStatusDocument.self, from: Data(result.standardOutput.utf8))
                #expect(document.schema == 2)
                #expect(document.balancers.map(\.address) == [second.adminSocket, gone, first.adminTCPAddress])
                #expect(document.balancers[0].backends.map(\.name) == ["be_web", "be_api", "be_legacy"])
                #expect(document.balancers[2].backends.first?.servers.count == 6)
                #expect(document.balancers[1].balancer == nil && document.balancers[1].backends.isEmpty)
                #expect(document.balancers[1].error?.code == "socket-not-found")
                #expect(document.balancers[0].balancer?.pid != document.balancers[2].balancer?.pid)

                let table = try await BuiltProgram.run([
                    "status", "--socket", first.adminSocket, "--socket", second.adminSocket,
                ])
                #expect(table.status == 0, "\(table.standardError)")
                #expect(table.standardOutput.contains("== \(first.adminSocket)\n"))
                #expect(table.standardOutput.contains("== \(second.adminSocket)\n"))
                #expect(table.standardOutput.components(separatedBy: "be_web  UP").count == 3)

                // One target keeps schema 1, so scripts do not break.
                let one = try await BuiltProgram.run(["status", "--json", "--socket", first.adminSocket])
                #expect(try JSONDecoder().decode(StatusDocument.self, from: Data(one.standardOutput.utf8)).schema == 1)
            }
        }
    }

    @Test func anActionOnTheSameBalancerTwiceIsRefusedBeforeSending() async throws {
        try await Lab.with(.demo) { lab in
            let result = try await BuiltProgram.run(
                ["drain", "be_web/web1", "--socket", lab.adminSocket, "--socket", lab.adminTCPAddress, "--yes"],
                environment: ActionCommandTests.environment(lab))
            #expect(result.status == 7, "\(result.standardError)")
            #expect(result.standardError.contains("the same balancer as \(lab.adminSocket)"))
            #expect(result.standardError.contains("Nothing was sent"))
            #expect(try await ActionCommandTests.admin(lab).server("be_web", "web1")?.admin.mode == .ready)
        }
    }
}
