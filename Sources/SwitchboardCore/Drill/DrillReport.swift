import FoundationEssentials

/// What a drill found: each hypothesis with its measured value, how fast the balancer moved the traffic, the
/// errors served, and whether every pre-drill state was restored and verified. JSON (`Codable`) or Markdown.
public struct DrillReport: Sendable, Hashable, Codable {
    /// How the drill ended.
    public enum Result: String, Sendable, Hashable, Codable {
        /// Every hypothesis held.
        case pass
        /// A hypothesis did not hold (or did not hold before the drill: nothing was injected).
        case fail
        /// An abort condition (or a signal) ended it early.
        case aborted
    }

    /// One checked statement.
    public struct Hypothesis: Sendable, Hashable, Codable {
        /// `before`, `during` or `after`.
        public var phase: String
        /// What must hold.
        public var statement: String
        /// What was measured.
        public var measured: String
        /// Whether it held.
        public var held: Bool

        /// Makes a hypothesis result.
        public init(phase: String, statement: String, measured: String, held: Bool) {
            self.phase = phase
            self.statement = statement
            self.measured = measured
            self.held = held
        }
    }

    /// The drill as run.
    public var spec: DrillSpec
    /// The balancer (its control socket) and its HAProxy version.
    public var balancer: String
    /// The version.
    public var version: String
    /// Start and end (UTC timestamps).
    public var started: String
    /// When it ended.
    public var ended: String
    /// The servers taken out.
    public var injected: [String]
    /// The result.
    public var result: Result = .pass
    /// Why it was aborted.
    public var abortReason: String?
    /// The hypotheses, in the order checked.
    public var hypotheses: [Hypothesis] = []
    /// Seconds from the injection to the first new session on an expected server, and to the shift.
    public var firstSessionSeconds: Double?
    /// Seconds from the injection until the expected servers took the minimum share of a read's new sessions.
    public var shiftedSeconds: Double?
    /// New sessions during the drill: on the expected servers, and in all.
    public var expectedSessions = 0
    /// New sessions in all during the drill.
    public var totalSessions = 0
    /// 5xx responses the backend served during the drill.
    public var errorsServed = 0
    /// True when every pre-drill state was restored and verified.
    public var restored = true
    /// What is not restored, and the command that finishes it (when `restored` is false).
    public var leftToRestore: [String] = []
    /// The command that finishes the restore.
    public var finishWith: String?

    /// Starts a report.
    public init(spec: DrillSpec, balancer: String, version: String, started: String, injected: [String]) {
        self.spec = spec
        self.balancer = balancer
        self.version = version
        self.started = started
        self.ended = started
        self.injected = injected
    }

    /// Exit status: 0 pass, 1 a hypothesis failed, 2 aborted; 3 when the restore was not verified.
    public var exitCode: Int32 {
        if !restored { return 3 }
        switch result {
        case .pass: return 0
        case .fail: return 1
        case .aborted: return 2
        }
    }

    /// The report as Markdown, for a runbook or a CI artefact.
    public func markdown() -> String {
        var lines = [
            "# Failover drill: \(spec.backend) — \(result.rawValue.uppercased())", "",
            "- **Balancer:** \(balancer) (HAProxy \(version))",
            "- **Started:** \(started)", "- **Ended:** \(ended)",
            "- **Injected:** \(spec.injection.rawValue) on \(injected.isEmpty ? "nothing" : injected.joined(separator: ", "))",
            "- **Expected:** the \(spec.expect.rawValue) take ≥ \(Self.number(spec.minimumShare)) % of new sessions within "
                + "\(Self.number(spec.within)) s",
        ]
        if let abortReason { lines.append("- **Aborted:** \(abortReason)") }
        lines.append("- **First session on the \(spec.expect.rawValue):** " + Self.seconds(firstSessionSeconds))
        lines.append("- **Traffic shifted (≥ \(Self.number(spec.minimumShare)) %):** " + Self.seconds(shiftedSeconds))
        lines.append(
            "- **New sessions during the drill:** \(totalSessions) (\(expectedSessions) on the \(spec.expect.rawValue))"
        )
        lines.append("- **5xx served during the drill:** \(errorsServed)")
        lines.append(
            "- **Restored:** "
                + (restored
                    ? "every pre-drill state, verified"
                    : "NOT COMPLETE — left: \(leftToRestore.joined(separator: "; "))"
                        + (finishWith.map { "; finish with `\($0)`" } ?? "")))
        lines += ["", "| phase | hypothesis | measured | held |", "| --- | --- | --- | --- |"]
        for hypothesis in hypotheses {
            lines.append(
                "| \(hypothesis.phase) | \(hypothesis.statement) | \(hypothesis.measured) | \(hypothesis.held ? "yes" : "**no**") |"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `2.5 s`, or `not observed`.
    public static func seconds(_ value: Double?) -> String {
        value.map { String(printf: "%.1f s", $0) } ?? "not observed"
    }

    /// `95`, `2.5`: a figure as the report writes it.
    public static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(printf: "%.1f", value)
    }
}
