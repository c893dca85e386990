import FoundationEssentials
import SwitchboardCore

extension Timeline {
    /// The timeline as a postmortem's section: a summary list, then one line per entry —
    /// `- **08:35 UTC** — be_web/web1 DOWN (L4CON: Connection refused)`. Times are UTC, to the second (with the
    /// date when the timeline spans more than one day).
    public func markdown() -> String {
        let days = Set(([summary.start] + entries.map(\.time) + [summary.end].compactMap { $0 }).map { $0.prefix(10) })
        func clock(_ timestamp: String) -> String {
            let hm = timestamp.dropFirst(11).prefix(8)
            return days.count > 1 ? "\(timestamp.prefix(10)) \(hm) UTC" : "\(hm) UTC"
        }
        func full(_ timestamp: String) -> String { "\(timestamp.prefix(10)) \(timestamp.dropFirst(11).prefix(8)) UTC" }
        var lines = ["# Incident timeline: \(summary.title)", ""]
        if let incident = summary.incident { lines.append("- **Incident:** \(incident)") }
        lines.append("- **Start:** \(full(summary.start))")
        lines.append("- **End:** " + (summary.end.map(full) ?? "still open"))
        if let seconds = summary.durationSeconds { lines.append("- **Duration:** \(Self.duration(seconds))") }
        lines.append("- **Backends affected:** " + Self.list(summary.backends))
        lines.append("- **Servers affected:** " + Self.list(summary.servers))
        lines.append(
            "- **Actions taken:** \(summary.actions)"
                + (summary.actions > 0 ? " (\(summary.actionsVerified) verified on every balancer concerned)" : ""))
        lines.append(
            "- **Events:** \(summary.events)" + (summary.errorAlarms > 0 ? " (5xx alarms: \(summary.errorAlarms))" : "")
        )
        lines.append("- **Requests failed:** " + Self.requestsFailed(summary))
        lines += ["", "## Timeline", ""]
        if entries.isEmpty { lines.append("Nothing was recorded in this window.") }
        for entry in entries { lines.append("- **\(clock(entry.time))** — \(entry.summary)") }
        return lines.joined(separator: "\n") + "\n"
    }

    static func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.joined(separator: ", ") }

    /// `1 h 17 min`, `4 min 10 s`, `42 s`.
    public static func duration(_ seconds: Int) -> String {
        let hours = seconds / 3600, minutes = seconds % 3600 / 60, rest = seconds % 60
        if hours > 0 { return "\(hours) h \(minutes) min" }
        if minutes > 0 { return "\(minutes) min \(rest) s" }
        return "\(rest) s"
    }

    /// `1,234 of 56,789 (2.2 %) — 5xx answered by the frontends, from the balancers' counters at the start and end`.
    static func requestsFailed(_ summary: Summary) -> String {
        guard let failed = summary.requestsFailed else {
            return "not known (\(summary.requestsFailedUnknown ?? "not counted"))"
        }
        var text = "\(failed)"
        if let requests = summary.requests, requests > 0 {
            text += " of \(requests) (" + String(printf: "%.1f", Double(failed) * 100 / Double(requests)) + " %)"
        }
        return text + " — 5xx answered by the frontends, from the balancers' counters at the incident's start and end"
    }
}
