/// The readable table of `switchboard status`: one header line, then per backend a summary line and
/// one line per server. Plain text, no colour, fits 100 columns for typical names.
public enum StatusTable {
    /// Renders a snapshot, optionally one backend only.
    public static func render(_ snapshot: BalancerSnapshot, backend: String? = nil) -> String {
        let info = snapshot.info
        var lines: [String] = []
        lines.append(
            "\(info.product) \(info.version) · pid \(info.pid) · up \(formatDuration(info.uptimeSeconds)) · "
                + "\(info.socket) · \(info.level.badge)\(info.stopping ? " · STOPPING (old worker)" : "")")
        if snapshot.droppedRecords > 0 {
            lines.append(
                "PARTIAL: \(snapshot.droppedRecords) damaged record(s) of show stat were dropped; what follows may be incomplete"
            )
        }
        for item in snapshot.backends where backend == nil || item.name == backend {
            lines.append("")
            let actives = item.activeServers.count
            let backups = item.backupServers.count
            var summary =
                "\(item.name)  \(item.status)  \(item.algorithm ?? "-")  active \(item.activeUp)/\(actives) up"
            if backups > 0 { summary += "  backup \(item.backupUp)/\(backups) up" }
            summary += "  sessions \(item.sessions)  rate \(item.rate)/s  queue \(item.queue)"
            if item.runsOnBackups { summary += "  RUNNING ON BACKUPS" }
            lines.append(summary)
            var rows: [[String]] = [
                ["  SERVER", "ADDRESS", "STATUS", "ADMIN", "HEALTH", "CHECK", "WEIGHT", "SESS", "RATE", "QUEUE"]
            ]
            for server in item.servers {
                rows.append([
                    "  " + server.name + (server.isBackup ? " (backup)" : ""),
                    server.address.isEmpty ? "-" : server.address,
                    server.status.text.isEmpty ? "-" : server.status.text,
                    server.admin.mode.rawValue + (server.admin.inherited ? "*" : ""),
                    server.health.rawValue,
                    server.check.map { ($0.inProgress ? "* " : "") + ($0.status.isEmpty ? "-" : $0.status) } ?? "-",
                    "\(server.weight)/\(server.initialWeight.map(String.init) ?? "?")",
                    server.sessionLimit.map { "\(server.sessions)/\($0)" } ?? "\(server.sessions)",
                    "\(server.rate)",
                    "\(server.queue)",
                ])
            }
            lines += align(rows)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `3d04h`, `1h02m`, `4m05s`, `12s`.
    public static func formatDuration(_ seconds: Int) -> String {
        let days = seconds / 86_400, hours = seconds % 86_400 / 3600, minutes = seconds % 3600 / 60, secs = seconds % 60
        if days > 0 { return "\(days)d\(pad(hours))h" }
        if hours > 0 { return "\(hours)h\(pad(minutes))m" }
        if minutes > 0 { return "\(minutes)m\(pad(secs))s" }
        return "\(secs)s"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func align(_ rows: [[String]]) -> [String] {
        guard let columns = rows.first?.count else { return [] }
        let widths = (0..<columns).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == columns - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }
    }
}
