import Foundation

/// Large `show stat` / `show servers state` outputs made from the recorded rows of a real haproxy:
/// the recorded server rows are repeated under new names to reach N servers in backends of up to 1,000.
public enum SyntheticStat {
    /// `show stat` text with `servers` server rows.
    public static func showStat(servers: Int) throws -> String {
        let lines = try Fixtures.text("show-stat.csv").split(separator: "\n").map(String.init)
        let header = lines[0]
        let serverRows = lines.dropFirst().filter {
            !$0.contains(",FRONTEND,") && !$0.contains(",BACKEND,") && $0.hasPrefix("be_app,")
        }
        let backendRow = lines.first { $0.hasPrefix("be_app,BACKEND,") }!
        let frontendRow = lines.first { $0.contains(",FRONTEND,") }!
        var output = [header, frontendRow]
        output.reserveCapacity(servers + servers / 1000 + 4)
        var made = 0, backendIndex = 0
        while made < servers {
            backendIndex += 1
            let backend = String(format: "be_%03d", backendIndex)
            let count = min(1000, servers - made)
            for index in 0..<count {
                let template = serverRows[index % serverRows.count]
                let rest = template.drop { $0 != "," }.dropFirst().drop { $0 != "," }
                output.append("\(backend),s\(String(format: "%04d", index + 1))\(rest)")
            }
            output.append(backend + backendRow.dropFirst("be_app".count))
            made += count
        }
        return output.joined(separator: "\n") + "\n\n"
    }

    /// `show servers state` text matching ``showStat(servers:)``.
    public static func serversState(servers: Int) throws -> String {
        let lines = try Fixtures.text("show-servers-state.txt").split(separator: "\n").map(String.init)
        let rows = lines.filter { $0.hasPrefix("3 be_app ") }
        var output = [lines[0], lines[1]]
        var made = 0, backendIndex = 0
        while made < servers {
            backendIndex += 1
            let count = min(1000, servers - made)
            for index in 0..<count {
                var words = rows[index % rows.count].split(separator: " ").map(String.init)
                words[0] = "\(backendIndex + 2)"
                words[1] = String(format: "be_%03d", backendIndex)
                words[2] = "\(index + 1)"
                words[3] = "s\(String(format: "%04d", index + 1))"
                output.append(words.joined(separator: " "))
            }
            made += count
        }
        return output.joined(separator: "\n") + "\n\n"
    }
}
