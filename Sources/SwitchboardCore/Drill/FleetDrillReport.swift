/// A drill on several balancers, run one balancer at a time: each balancer's report, the ones not drilled (after
/// an abort or an unfinished restore the fleet drill stops), and the overall result — the worst exit status.
public struct FleetDrillReport: Sendable, Hashable, Codable {
    /// One balancer's drill.
    public struct Node: Sendable, Hashable, Codable {
        /// The balancer's name (targets file) or socket.
        public var name: String
        /// Its report.
        public var report: DrillReport

        /// Makes a node's entry.
        public init(name: String, report: DrillReport) {
            self.name = name
            self.report = report
        }
    }

    /// The backend drilled.
    public var backend: String
    /// The balancers drilled, in order.
    public var balancers: [Node]
    /// The balancers not drilled, with the reason.
    public var notDrilled: [String]
    /// The JSON form's version.
    public var schema = 1

    /// Makes a report.
    public init(backend: String, balancers: [Node], notDrilled: [String]) {
        self.backend = backend
        self.balancers = balancers
        self.notDrilled = notDrilled
    }

    /// The worst exit status of the balancers drilled (0 pass · 1 a hypothesis failed · 2 aborted · 3 restore not
    /// verified); 2 when some balancer was not drilled although none aborted (a signal between two balancers).
    public var exitCode: Int32 {
        let worst = balancers.map(\.report.exitCode).max() ?? 2
        return notDrilled.isEmpty ? worst : max(worst, 2)
    }

    /// `pass`, `fail`, `aborted` or `not restored`.
    public var result: String {
        switch exitCode {
        case 0: "pass"
        case 1: "fail"
        case 2: "aborted"
        default: "not restored"
        }
    }

    /// A summary table, then each balancer's report.
    public func markdown() -> String {
        var lines = [
            "# Fleet failover drill: \(backend) on \(balancers.count + notDrilled.count) balancers — "
                + result.uppercased(), "",
            "| balancer | result | traffic shifted | 5xx served | restored |", "| --- | --- | --- | --- | --- |",
        ]
        for node in balancers {
            let report = node.report
            lines.append(
                "| \(node.name) | \(report.result.rawValue) | \(DrillReport.seconds(report.shiftedSeconds)) | "
                    + "\(report.errorsServed) | \(report.restored ? "yes" : "**no**") |")
        }
        for skipped in notDrilled { lines.append("| \(skipped) | not drilled | | | |") }
        var text = lines.joined(separator: "\n") + "\n"
        for node in balancers {
            let report = node.report.markdown()
            text += "\n" + report.replacing("# Failover drill:", with: "## \(node.name):")
        }
        return text
    }
}
