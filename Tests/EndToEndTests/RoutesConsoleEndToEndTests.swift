import Foundation
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// The routes view as an operator uses it (issue 13), in tmux on a real haproxy that routes by Host through a map:
/// fail a host's route over to the standby pool and back, seen on screen and in real traffic.
@Suite("Routes view end to end (tmux)", .serialized, .timeLimit(.minutes(2)))
struct RoutesConsoleEndToEndTests {
    /// The backends that served a few requests for `host`.
    static func servedBy(_ lab: Lab, host: String) async -> Set<String> {
        let report = await TrafficGenerator.send(count: 8, to: "/", port: lab.frontendPort, host: host)
        return Set(report.origins.keys.compactMap { $0.split(separator: "/").first.map(String.init) })
    }

    static func entry(_ key: String, in screen: String) -> String? {
        screen.split(separator: "\n").map(String.init).first { $0.contains(" \(key) ") && $0.contains("→") }
    }

    @Test func aHostsRouteFailsOverToTheStandbyAndBack() async throws {
        try await Lab.with(.routed) { lab in
            let tmux = try TmuxSession.start(
                command: ConsoleEndToEndTests.command(
                    "--socket \(lab.adminSocket) --interval 500ms --audit-log \(lab.directory)/audit.jsonl"),
                width: 140, height: 40)
            defer { tmux.close() }
            try await tmux.waitForScreen("be_standby UP") { $0.contains("be_standby") && $0.contains("standby2") }
            try tmux.send("R")
            try await tmux.waitForScreen("the routes view with both entries") {
                Self.entry("www.example", in: $0)?.contains("be_web") == true && $0.contains("api.example")
            }
            // www.example is the first entry: fail every route of its backend (be_web) over to be_standby.
            try tmux.send("F")
            try await tmux.waitFor("Fail over every route of be_web to")
            try tmux.type("be_sta")
            try tmux.send("Tab")
            try await tmux.waitFor("backend: be_standby")
            try tmux.send("Enter")
            try await tmux.waitFor("route   www.example  be_web → be_standby")
            try tmux.send("y")
            try await tmux.waitForScreen("verified, and the view re-read", timeout: .seconds(10)) {
                $0.contains("verified by reading the map back")
                    && Self.entry("www.example", in: $0)?.contains("be_standby") == true
            }
            #expect(await Self.servedBy(lab, host: "www.example") == ["be_standby"])
            // Fail back from the record.
            try tmux.send("B")
            try await tmux.waitFor("route   www.example  be_standby → be_web")
            try tmux.send("y")
            try await tmux.waitForScreen("back on be_web", timeout: .seconds(10)) {
                $0.contains("✓ failback-routes be_web")
                    && Self.entry("www.example", in: $0)?.contains("be_web ") == true
            }
            #expect(await Self.servedBy(lab, host: "www.example") == ["be_web"])
            try tmux.send("Escape")
            try tmux.send("q")
            #expect(try await tmux.waitFor("DONE").contains("EXIT=0"))
        }
    }
}
