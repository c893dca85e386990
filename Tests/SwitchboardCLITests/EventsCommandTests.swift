import Foundation
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// Issue 11, the event stream: `switchboard events --follow --json` on a real haproxy with real health checks.
@Suite("events --follow (command line)", .serialized, .timeLimit(.minutes(3)))
struct EventsCommandTests {
    /// The JSON lines printed so far, decoded.
    static func lines(_ program: RunningProgram) -> [[String: String]] {
        program.output.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("{"),
                let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            else { return nil }
            return object.compactMapValues { $0 as? String }
        }
    }

    /// The demo's legacy2 (a closed port) goes DOWN after its first checks: wait for that, so the lab is quiet.
    static func settled(_ lab: Lab) async throws {
        try await Deadline.waitUntil("the demo lab settled (legacy2 DOWN)", timeout: .seconds(15)) {
            try await ActionCommandTests.admin(lab).server("be_legacy", "legacy2")?.health == .down
        }
    }

    @Test func aStoppedOriginGivesADownLineWithinTheCheckIntervalAndSIGTERMEndsTheRunCleanly() async throws {
        try await Lab.with(.demo) { lab in
            try await Self.settled(lab)
            let program = try RunningProgram(
                ["events", "--follow", "--json", "--interval", "0.5", "--socket", lab.adminSocket],
                environment: ActionCommandTests.environment(lab), mergeErrors: true)
            defer { program.kill(SIGKILL) }
            try await Deadline.waitUntil("the follower read its baseline", timeout: .seconds(10)) {
                program.output.contains("baseline read; events follow")
            }
            #expect(Self.lines(program).isEmpty, "no event on a quiet balancer: \(program.output)")
            let clock = ContinuousClock()
            let stopped = clock.now
            await lab.origin("be_web", "web2")?.stop()
            // fall 2 × inter 1 s, plus one read every 0.5 s, plus slack for a loaded machine.
            try await Deadline.waitUntil("a server-down line for be_web/web2", timeout: .seconds(8)) {
                Self.lines(program).contains { $0["kind"] == "server-down" && $0["server"] == "web2" }
            }
            let delay = clock.now - stopped
            let down = try #require(Self.lines(program).first { $0["kind"] == "server-down" })
            #expect(Self.lines(program).count == 1, "only web2 changed: \(program.output)")
            #expect(down["backend"] == "be_web")
            #expect(down["severity"] == "critical")
            #expect(down["message"]?.hasPrefix("be_web/web2 DOWN") == true, "\(down)")
            #expect(down["time"].flatMap(AuditRecord.date(fromTimestamp:)) != nil, "\(down)")
            #expect(down["balancer"] == nil, "one balancer: no label")
            #expect(delay < .seconds(6), "DOWN line after \(delay)")

            // The balancer going away and coming back are events too.
            await lab.stopBalancer()
            try await Deadline.waitUntil("balancer-unreachable", timeout: .seconds(8)) {
                Self.lines(program).contains { $0["kind"] == "balancer-unreachable" }
            }
            try await lab.startBalancer()
            try await Deadline.waitUntil("balancer-reachable", timeout: .seconds(10)) {
                Self.lines(program).contains { $0["kind"] == "balancer-reachable" }
            }
            #expect(Self.lines(program).filter { $0["kind"] == "balancer-unreachable" }.count == 1)

            program.kill(SIGTERM)
            try await program.waitForExit(timeout: .seconds(5))
            #expect(program.status == 0, "SIGTERM ends the run with 0: \(program.output)")
            // Recorded beside the audit log, for `switchboard timeline`.
            let timeline = try String(
                contentsOfFile: lab.directory + "/state/switchboard/timeline.jsonl", encoding: .utf8)
            #expect(timeline.contains("\"kind\":\"server-down\""))
            #expect(timeline.contains("\"kind\":\"balancer-unreachable\""))
        }
    }

    @Test func aReaderThatGoesAwayEndsTheRunWithoutAnError() async throws {
        try await Lab.with(.demo) { lab in
            try await Self.settled(lab)
            let switchboard = BuiltProgram.switchboard.path
            let program = try RunningProgram(
                [
                    "-c",
                    "'\(switchboard)' events --follow --interval 0.5 --no-record --socket '\(lab.adminSocket)' "
                        + "| head -n 1; echo \"status ${PIPESTATUS[0]}\"",
                ], executable: URL(fileURLWithPath: "/bin/bash"), mergeErrors: true)
            defer { program.kill(SIGKILL) }
            try await Deadline.waitUntil("the follower read its baseline", timeout: .seconds(10)) {
                program.output.contains("baseline read; events follow")
            }
            await lab.origin("be_web", "web3")?.stop()
            try await Deadline.waitUntil("the DOWN line through head", timeout: .seconds(8)) {
                program.output.contains("be_web/web3 DOWN")
            }
            // head has exited; the next event's write finds the pipe closed.
            try await lab.origin("be_web", "web3")?.start()
            try await program.waitForExit(timeout: .seconds(15))
            #expect(program.output.contains("status 0"), "\(program.output)")
            #expect(!program.output.contains("Broken pipe") && !program.output.contains("Fatal"))
        }
    }

    @Test func followIsRequiredAndTheIntervalIsRangeChecked() async throws {
        let missing = try await BuiltProgram.run(["events", "--socket", "/nonexistent.sock"])
        #expect(missing.status == 64)
        #expect(missing.standardError.contains("events needs --follow"))
        let fast = try await BuiltProgram.run(["events", "--follow", "--interval", "0.01", "--socket", "/x.sock"])
        #expect(fast.status == 64)
        #expect(fast.standardError.contains("--interval takes 0.2–60 seconds"))
    }
}
