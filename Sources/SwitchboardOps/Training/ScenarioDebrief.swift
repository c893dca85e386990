import FoundationEssentials
import SwitchboardCore

/// What a training scenario adds up to for the trainee: time to first action, time to mitigation, requests failed,
/// the actions taken (from the audit log, one per intent), the reference solution and a score. Pure: built from
/// what the scenario observed and what was read from the audit log.
public struct ScenarioDebrief: Sendable, Hashable, Codable {
    /// The scenario's name.
    public var scenario: String
    /// Its title.
    public var title: String
    /// `recovered`, `time-up` or `stopped`.
    public var ending: String
    /// When the scenario started and when the incident (the faults) began, UTC.
    public var started: String
    /// When the faults were injected (nil: the demo stopped before).
    public var incidentStart: String?
    /// When it ended.
    public var ended: String
    /// Seconds from the faults to the trainee's first action (nil: none taken).
    public var firstActionSeconds: Int?
    /// Seconds from the faults to the start of the healthy window that made the recovery (nil: not recovered).
    public var mitigationSeconds: Int?
    /// The users' requests from the faults to the mitigation (or the end).
    public var requestsDuring: Int
    /// Of those, the ones that failed (5xx or no answer).
    public var requestsFailed: Int
    /// The trainee's actions, as the timeline writes them: `+0:42  ops@host drained be_web/web2 (verified)`.
    public var actions: [Action]
    /// What the users saw, in 5-second steps from the start of the scenario.
    public var service: [Step]
    /// The reference solution.
    public var reference: [String]
    /// The par time to mitigation, in seconds.
    public var parSeconds: Int
    /// The recovery rule the scenario used.
    public var rule: RecoveryRule
    /// 0–100 (see ``score(mitigationSeconds:parSeconds:failedShare:)``).
    public var score: Int

    /// Five seconds of the users' service.
    public struct Step: Sendable, Hashable, Codable {
        /// Seconds from the faults at the step's start (negative: before them).
        public var seconds: Int
        /// Requests finished.
        public var requests: Int
        /// Of those, failed (5xx or no answer).
        public var failed: Int
        /// Mean response time, in milliseconds.
        public var meanMilliseconds: Int
    }

    /// One action the trainee took.
    public struct Action: Sendable, Hashable, Codable {
        /// Seconds from the faults (negative: before them).
        public var seconds: Int
        /// Who.
        public var actor: String
        /// What, in the timeline's words.
        public var summary: String
    }

    /// The score: 0 when the service did not recover; otherwise 100, less one point per 2 s beyond par (at most
    /// 60) and one point per 2 % of the users' requests that failed until mitigation (at most 40).
    public static func score(mitigationSeconds: Int?, parSeconds: Int, failedShare: Double) -> Int {
        guard let mitigationSeconds else { return 0 }
        let late = min(60, max(0, mitigationSeconds - parSeconds) / 2)
        let errors = min(40, Int((min(1, max(0, failedShare)) * 50).rounded()))
        return max(0, 100 - late - errors)
    }

    /// Builds the debrief. `seconds` are the users' service from the scenario's start; `faultSecond`,
    /// `recoveredSecond` index into them; `records` are the audit records of this lab's balancer (the scenario's
    /// own setup left out).
    public static func build(
        scenario name: String, title: String, ending: String, startedAt: Date, faultAt: Date?, endedAt: Date,
        seconds: [ServiceSecond], faultSecond: Int?, recoveredSecond: Int?, records: [AuditRecord],
        reference: [String], parSeconds: Int, rule: RecoveryRule
    ) -> ScenarioDebrief {
        let origin = faultAt ?? startedAt
        let timeline = Timeline.build(
            title: title, start: startedAt, end: endedAt, events: [], records: records)
        let actions = timeline.entries.filter { $0.kind == "action" }.map { entry in
            let actor = entry.actor ?? "?"
            return Action(
                seconds: Int(
                    ((AuditRecord.date(fromTimestamp: entry.time) ?? origin).timeIntervalSince(origin)).rounded(.down)),
                actor: actor,
                summary: entry.summary.hasPrefix(actor + " ")
                    ? String(entry.summary.dropFirst(actor.count + 1)) : entry.summary)
        }
        let offset = faultSecond ?? 0
        let service = stride(from: 0, to: seconds.count, by: 5).map { start in
            let slice = seconds[start..<min(seconds.count, start + 5)]
            let requests = slice.reduce(0) { $0 + $1.requests }
            let total = slice.reduce(0.0) { $0 + $1.totalMilliseconds }
            return Step(
                seconds: start - offset, requests: requests, failed: slice.reduce(0) { $0 + $1.failed },
                meanMilliseconds: requests == 0 ? 0 : Int((total / Double(requests)).rounded()))
        }
        let from = faultSecond ?? seconds.count
        let until = min(seconds.count, recoveredSecond ?? seconds.count)
        let window = from < until ? Array(seconds[from..<until]) : []
        let requests = window.reduce(0) { $0 + $1.requests }
        let failed = window.reduce(0) { $0 + $1.failed }
        let mitigation = recoveredSecond.flatMap { recovered in faultSecond.map { recovered - $0 } }
        return ScenarioDebrief(
            scenario: name, title: title, ending: ending, started: AuditRecord.timestamp(startedAt),
            incidentStart: faultAt.map(AuditRecord.timestamp), ended: AuditRecord.timestamp(endedAt),
            firstActionSeconds: actions.first { $0.seconds >= 0 }?.seconds, mitigationSeconds: mitigation,
            requestsDuring: requests, requestsFailed: failed, actions: actions, service: service, reference: reference,
            parSeconds: parSeconds, rule: rule,
            score: score(
                mitigationSeconds: mitigation, parSeconds: parSeconds,
                failedShare: requests == 0 ? 0 : Double(failed) / Double(requests)))
    }

    /// `1:05` for 65 seconds; `-0:03` before the faults.
    public static func clock(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : ""
        let value = abs(seconds)
        return "\(sign)\(value / 60):" + String(printf: "%02ld", value % 60)
    }

    /// The debrief as Markdown (also what the terminal shows).
    public var markdown: String {
        var lines = ["# Debrief: \(scenario) — \(title)", ""]
        let result =
            switch ending {
            case "recovered": "recovered"
            case "time-up": "not recovered before time ran out"
            default: "stopped before the service recovered"
            }
        lines.append("- **Result:** \(result) · **score \(score)/100**")
        lines.append("- **Incident began:** \(incidentStart ?? "never (stopped during the lead)")")
        lines.append(
            "- **Time to first action:** "
                + (firstActionSeconds.map { Self.clock($0) } ?? "no action taken"))
        lines.append(
            "- **Time to mitigation:** "
                + (mitigationSeconds.map { "\(Self.clock($0)) (par \(Self.clock(parSeconds)))" } ?? "not mitigated"))
        let share = requestsDuring == 0 ? 0 : Double(requestsFailed) * 100 / Double(requestsDuring)
        lines.append(
            "- **Requests failed during:** \(requestsFailed) of \(requestsDuring) (\(String(printf: "%.1f", share)) %)")
        lines.append(
            "- **Recovered means:** ≤ \(String(printf: "%g", rule.maxFailedShare * 100)) % failed and mean response "
                + "≤ \(Int(rule.maxMeanMilliseconds)) ms, every second for \(rule.windowSeconds) s")
        lines += ["", "## Actions taken", ""]
        if actions.isEmpty { lines.append("- none") }
        for action in actions {
            lines.append("- **+\(Self.clock(action.seconds))** — \(action.actor) \(action.summary)")
        }
        lines += [
            "", "## What the users saw", "", "| from | requests | failed | mean response |",
            "| ---: | ---: | ---: | ---: |",
        ]
        for step in service {
            let share = step.requests == 0 ? 0 : Double(step.failed) * 100 / Double(step.requests)
            lines.append(
                "| \(step.seconds < 0 ? "" : "+")\(Self.clock(step.seconds)) | \(step.requests) | \(step.failed) "
                    + "(\(String(printf: "%.0f", share)) %) | \(step.meanMilliseconds) ms |")
        }
        lines += ["", "## Reference solution", ""]
        lines += reference.enumerated().map { "\($0.offset + 1). \($0.element)" }
        lines += [
            "",
            "Score: 100, less 1 point per 2 s beyond par (at most 60) and 1 per 2 % of requests failed "
                + "until mitigation (at most 40); 0 when not recovered.", "",
        ]
        return lines.joined(separator: "\n")
    }
}
