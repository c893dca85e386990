import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardOps
import SwitchboardTestSupport
import Testing

/// Issue 11: `switchboard drill` on a real haproxy with real health checks and real traffic — pass, fail, abort,
/// signals, SIGKILL finished by `failback`, dry run — with the pre-drill states restored and verified every time.
@Suite("drill (command line)", .serialized, .timeLimit(.minutes(5)))
struct DrillCommandTests {
    /// Traffic through the frontend to be_web for the whole test (bounded in count and time).
    static func traffic(_ lab: Lab) -> Task<TrafficGenerator.Report, Never> {
        Task {
            await TrafficGenerator(
                plan: .init(
                    port: lab.frontendPort, paths: ["/be_web/"], requestsPerSecond: 40, concurrency: 8,
                    maxRequests: 4_000, duration: .seconds(90))
            ).run()
        }
    }

    static func states(_ lab: Lab) async throws -> [ServerID: ActionPlan.ServerState] {
        let snapshot = try await ActionCommandTests.admin(lab)
        return Dictionary(
            uniqueKeysWithValues: snapshot.backend(named: "be_web")!.servers.map { ($0.id, ActionPlan.ServerState($0)) }
        )
    }

    /// Admin, weight, checks, agent and health as they were (sessions and status text move with traffic).
    static func same(_ a: [ServerID: ActionPlan.ServerState], _ b: [ServerID: ActionPlan.ServerState]) -> Bool {
        a.keys == b.keys
            && a.allSatisfy { id, state in
                guard let other = b[id] else { return false }
                return state.admin == other.admin && state.weight == other.weight && state.health == other.health
                    && state.checksEnabled == other.checksEnabled && state.agentEnabled == other.agentEnabled
            }
    }

    static func waitUntilAllUp(_ lab: Lab) async throws {
        try await Deadline.waitUntil("every be_web server UP", timeout: .seconds(20)) {
            try await ActionCommandTests.admin(lab).backend(named: "be_web")!.servers.allSatisfy { $0.health == .up }
        }
    }

    static func drill(_ lab: Lab, _ extra: [String]) async throws -> BuiltProgram.Result {
        try await BuiltProgram.run(
            ["drill", "be_web", "--socket", lab.adminSocket, "--yes", "--json"] + extra,
            environment: ActionCommandTests.environment(lab), timeout: .seconds(90))
    }

    static func report(_ result: BuiltProgram.Result) throws -> DrillReport {
        try JSONDecoder().decode(DrillReport.self, from: Data(result.standardOutput.utf8))
    }

    @Test func healthyBackupsPassAndEveryStateIncludingADrainIsRestored() async throws {
        try await Lab.with(.demo) { lab in
            try await Self.waitUntilAllUp(lab)
            #expect(
                try await Self.run(lab, ["drain", "be_web/web3", "--yes", "--socket", lab.adminSocket]).status == 0)
            let traffic = Self.traffic(lab)
            defer { traffic.cancel() }
            let before = try await Self.states(lab)
            let result = try await Self.drill(lab, ["--inject", "health-down", "--within", "5s", "--duration", "6s"])
            #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
            let report = try Self.report(result)
            #expect(report.result == .pass && report.restored)
            #expect(report.injected == ["be_web/web1", "be_web/web2", "be_web/web4"], "web3 drains: not serving")
            #expect((report.shiftedSeconds ?? 99) <= 5)
            #expect(report.expectedSessions > 0 && report.expectedSessions * 100 >= report.totalSessions * 95)
            #expect(report.hypotheses.map(\.phase) == ["before", "before", "during", "during", "during", "after"])
            #expect(Self.same(try await Self.states(lab), before), "pre-drill states back, web3 still DRAIN")
            #expect(try await Self.states(lab)[ServerID(backend: "be_web", name: "web3")]?.admin == .drain)
            let store = FailoverStore(besides: AuditLog(path: lab.directory + "/state/switchboard/audit.jsonl"))
            #expect(
                try store.record(socket: lab.adminSocket, backend: "be_web") == nil, "a finished drill leaves no record"
            )
            let intents = try ActionCommandTests.records(lab).map(\.intent)
            #expect(intents.suffix(2) == ["drill be_web (health-down)", "drill be_web: restore"], "\(intents)")
        }
    }

    @Test func backupsDownFailTheHypothesisAndA5xxLimitAbortsBothRestoring() async throws {
        try await Lab.with(.demo) { lab in
            try await Self.waitUntilAllUp(lab)
            await lab.origin("be_web", "web-bk1")?.stop()
            await lab.origin("be_web", "web-bk2")?.stop()
            try await Deadline.waitUntil("the backups DOWN", timeout: .seconds(15)) {
                try await ActionCommandTests.admin(lab).backend(named: "be_web")!.backupUp == 0
            }
            let traffic = Self.traffic(lab)
            defer { traffic.cancel() }
            let before = try await Self.states(lab)
            let failed = try await Self.drill(
                lab, ["--within", "3s", "--duration", "10s", "--abort-no-server", "60s", "--min-serving", "0"])
            #expect(failed.status == 1, "\(failed.standardOutput)\(failed.standardError)")
            let failure = try Self.report(failed)
            #expect(failure.result == .fail && failure.restored && failure.shiftedSeconds == nil)
            #expect(failure.hypotheses.first { $0.phase == "during" }?.held == false)
            #expect(Self.same(try await Self.states(lab), before))

            let aborted = try await Self.drill(
                lab, ["--within", "20s", "--abort-5xx", "1", "--abort-no-server", "60s", "--min-serving", "0"])
            #expect(aborted.status == 2, "\(aborted.standardOutput)\(aborted.standardError)")
            let abort = try Self.report(aborted)
            #expect(abort.result == .aborted && abort.restored)
            #expect(abort.abortReason?.contains("above the abort limit of 1.0/s") == true, "\(abort.abortReason ?? "")")
            #expect(abort.errorsServed > 0)
            #expect(Self.same(try await Self.states(lab), before))
        }
    }

    @Test func sigtermRestoresAndSigkillIsFinishedByFailback() async throws {
        try await Lab.with(.demo) { lab in
            try await Self.waitUntilAllUp(lab)
            let traffic = Self.traffic(lab)
            defer { traffic.cancel() }
            let before = try await Self.states(lab)
            let arguments = [
                "drill", "be_web", "--socket", lab.adminSocket, "--yes", "--json", "--within", "5s", "--duration",
                "60s",
            ]
            let stopped = try RunningProgram(
                arguments, environment: ActionCommandTests.environment(lab), mergeErrors: true)
            defer { stopped.kill(SIGKILL) }
            do {
                try await Deadline.waitUntil("the injection verified", timeout: .seconds(20)) {
                    try await ActionCommandTests.admin(lab).backend(named: "be_web")!.activeUp == 0
                }
            } catch {
                Issue.record("the drill said:\n\(stopped.output)")
                throw error
            }
            stopped.kill(SIGTERM)
            try await stopped.waitForExit(timeout: .seconds(30))
            #expect(stopped.status == 2, "\(stopped.output)")
            #expect(stopped.output.contains("stopped by a signal"))
            #expect(Self.same(try await Self.states(lab), before))

            try await Self.waitUntilAllUp(lab)
            let killed = try RunningProgram(arguments, environment: ActionCommandTests.environment(lab))
            defer { killed.kill(SIGKILL) }
            try await Deadline.waitUntil("the injection applied", timeout: .seconds(20)) {
                try await ActionCommandTests.admin(lab).backend(named: "be_web")!.activeUp == 0
            }
            killed.kill(SIGKILL)
            try await killed.waitForExit()
            #expect(!Self.same(try await Self.states(lab), before), "the drill was killed with its failure injected")
            let failback = try await Self.run(lab, ["failback", "be_web", "--yes", "--socket", lab.adminSocket])
            #expect(failback.status == 0, "\(failback.standardOutput)\(failback.standardError)")
            try await Deadline.waitUntil("failback restored the pre-drill states", timeout: .seconds(10)) {
                Self.same(try await Self.states(lab), before)
            }
        }
    }

    @Test func aDryRunSendsNothingAndBadValuesAreRefusedBeforeConnecting() async throws {
        try await Lab.with(.demo) { lab in
            try await Self.waitUntilAllUp(lab)
            let before = try await Self.states(lab)
            let dry = try await Self.run(lab, ["drill", "be_web", "--dry-run", "--socket", lab.adminSocket])
            #expect(dry.status == 0, "\(dry.standardError)")
            #expect(dry.standardError.contains("send      set server be_web/web1 health down"))
            #expect(dry.standardError.contains("dry run: nothing was sent"))
            #expect(Self.same(try await Self.states(lab), before))
            #expect((try? ActionCommandTests.records(lab))?.isEmpty ?? true)
        }
        let bad = try await BuiltProgram.run(["drill", "be_web", "--inject", "explode", "--socket", "/none.sock"])
        #expect(
            bad.status == 64 && bad.standardError.contains("--inject takes health-down, agent-down, maint, weight-0"))
        let remaining = try await BuiltProgram.run(["drill", "be;x", "--socket", "/none.sock"])
        #expect(remaining.status == 64 && remaining.standardError.contains("not a valid backend name"))
    }

    @Test func aDrillFileGivesTheSameSettingsAndABadOneNamesItsLine() async throws {
        try await Lab.with(.demo) { lab in
            try await Self.waitUntilAllUp(lab)
            let file = lab.directory + "/drill.toml"
            try """
            # two of be_web's four actives down: the other two must take the traffic
            backend = "be_web"
            inject = "maint"
            count = 2
            expect = "remaining"
            within = "5s"
            """.write(toFile: file, atomically: true, encoding: .utf8)
            let dry = try await Self.run(lab, ["drill", "--file", file, "--dry-run", "--socket", lab.adminSocket])
            #expect(dry.status == 0, "\(dry.standardError)")
            #expect(dry.standardError.contains("maint on be_web/web1, be_web/web2; the remaining must take"))
            #expect(dry.standardError.contains("lasts 15 s at most"))
            let mixed = try await Self.run(
                lab, ["drill", "--file", file, "--inject", "weight-0", "--socket", lab.adminSocket])
            #expect(mixed.status == 64 && mixed.standardError.contains("remove --inject"), "\(mixed.standardError)")
            try "backend = \"be_web\"\ninject = \"maint\"\nwithin = \"5s\"\nblast = 3\n".write(
                toFile: file, atomically: true, encoding: .utf8)
            let unknown = try await Self.run(lab, ["drill", "--file", file, "--socket", lab.adminSocket])
            #expect(unknown.status == 64, "\(unknown.standardError)")
            #expect(unknown.standardError.contains("drill file \(file), line 4: unknown key 'blast'"))
            try "backend = \"be_web\"\ninject = \"explode\"\n".write(toFile: file, atomically: true, encoding: .utf8)
            let injection = try await Self.run(lab, ["drill", "--file", file, "--socket", lab.adminSocket])
            #expect(injection.standardError.contains("line 2: inject 'explode' is not one of health-down"))
            #expect(try ActionCommandTests.records(lab).isEmpty, "nothing was sent by any of them")
        }
    }

    static func run(_ lab: Lab, _ arguments: [String]) async throws -> BuiltProgram.Result {
        try await BuiltProgram.run(arguments, environment: ActionCommandTests.environment(lab))
    }
}
