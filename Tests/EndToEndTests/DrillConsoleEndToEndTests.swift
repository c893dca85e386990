import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTestSupport
import Testing

/// The console's drill (T) as an operator uses it, in tmux on a real haproxy with traffic: the report comes back
/// with the traffic shifted and everything restored; quitting in the middle of a drill restores before leaving.
@Suite("Drill in the console end to end (tmux)", .serialized, .timeLimit(.minutes(2)))
struct DrillConsoleEndToEndTests {
    static func webStates(_ lab: Lab) async throws -> [String] {
        let snapshot = try await HAProxyDriver(address: .unix(path: lab.adminSocket), options: .init(session: .oneShot))
            .snapshot()
        return snapshot.backend(named: "be_web")!.servers.map {
            "\($0.name) \($0.admin.mode.rawValue) \($0.weight) \($0.health.rawValue) checks:\($0.checksEnabled)"
        }
    }

    static func traffic(_ lab: Lab) -> Task<TrafficGenerator.Report, Never> {
        Task {
            await TrafficGenerator(
                plan: .init(
                    port: lab.frontendPort, paths: ["/be_web/"], requestsPerSecond: 40, concurrency: 8,
                    maxRequests: 3_000, duration: .seconds(60))
            ).run()
        }
    }

    /// The console on `lab` in tmux, auditing beside the lab.
    static func console(on lab: Lab) throws -> TmuxSession {
        try TmuxSession.start(
            command: ConsoleEndToEndTests.command(
                "--socket \(lab.adminSocket) --interval 500ms --audit-log \(lab.directory)/audit.jsonl"),
            width: 140, height: 40)
    }

    @Test func aDrillFromTheConsoleReportsAndRestores() async throws {
        try await Lab.with(.demo) { lab in
            let traffic = Self.traffic(lab)
            defer { traffic.cancel() }
            let tmux = try Self.console(on: lab)
            defer { tmux.close() }
            try await tmux.waitForScreen("be_web and its servers UP") {
                $0.contains("web4") && $0.components(separatedBy: " UP ").count > 6
            }
            try await Deadline.waitUntil("every be_web server UP", timeout: .seconds(10)) {
                try await Self.webStates(lab).allSatisfy { $0.contains(" up ") }
            }
            let before = try await Self.webStates(lab)
            try tmux.send("T")  // the first row is be_web
            try await tmux.waitFor("Drill be_web's failover")
            try tmux.send("-")  // 5 s
            try tmux.type("be_web")
            try tmux.send("Enter")
            let report = try await tmux.waitFor("Drill be_web: pass", timeout: .seconds(40))
            #expect(report.contains("restored: every pre-drill state, verified"), "\(report)")
            #expect(report.contains("✓ during the backups take ≥ 95 % of new sessions within 5 s"))
            #expect(try await Self.webStates(lab) == before)
            try tmux.send("Escape")
            try tmux.send("q")
            #expect(try await tmux.waitFor("DONE").contains("EXIT=0"))
        }
    }

    @Test func quittingDuringADrillRestoresBeforeTheConsoleCloses() async throws {
        try await Lab.with(.demo) { lab in
            let traffic = Self.traffic(lab)
            defer { traffic.cancel() }
            let tmux = try Self.console(on: lab)
            defer { tmux.close() }
            try await Deadline.waitUntil("every be_web server UP", timeout: .seconds(10)) {
                try await Self.webStates(lab).allSatisfy { $0.contains(" up ") }
            }
            try await tmux.waitFor("web4")
            let before = try await Self.webStates(lab)
            try tmux.send("T")
            try await tmux.waitFor("Drill be_web's failover")
            try tmux.type("be_web")
            try tmux.send("Enter")
            try await Deadline.waitUntil("the injection on the balancer", timeout: .seconds(15)) {
                try await Self.webStates(lab).contains { $0.contains("checks:false") }
            }
            try tmux.send("q")
            #expect(try await tmux.waitFor("DONE", timeout: .seconds(40)).contains("EXIT=0"))
            #expect(try await Self.webStates(lab) == before, "the console restored before it closed")
            let audit = try AuditLog(path: lab.directory + "/audit.jsonl").records().records
            #expect(audit.contains { $0.intent == "drill be_web: restore" && $0.verified })
        }
    }
}
