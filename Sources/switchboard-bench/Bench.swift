import ConsoleApp
import Foundation
import SwitchboardCore
import SwitchboardTestSupport

/// `swift run -c release switchboard-bench [RUNS]`: the per-refresh cost at 10, 1,000 and 10,000 servers,
/// from recorded HAProxy 2.6 rows (no socket): parse `show stat` and `show servers state`, build the
/// snapshot, fold it into the console (diff against the previous one for rates and history, rebuild
/// the rows), and render a 200×60 screen into a Buffer; then the peak memory.
@main
enum Bench {
    static func main() throws {
        let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 30
        print("switchboard-bench: median of \(iterations) runs per size (build with -c release)")
        let titles = ["parse stat", "parse state", "build model", "parse+model", "diff+rows", "render 200x60"]
        print("servers   stat bytes  " + titles.map { pad($0, 13) }.joined(separator: " "))
        var checksum = 0
        for size in [10, 1_000, 10_000] {
            let statBytes = Array(try SyntheticStat.showStat(servers: size).utf8)
            let stateText = try SyntheticStat.serversState(servers: size)
            let info = BalancerInfo(version: "2.6.12", pid: 1, uptimeSeconds: 1)
            var samples = Array(repeating: [Duration](), count: 5)
            var model = ConsoleModel(width: 200, height: 60, now: Date(timeIntervalSince1970: 1_800_000_000))
            let clock = ContinuousClock()
            for _ in 0..<iterations {
                var table: StatTable?
                var states: ServersState?
                var snapshot: BalancerSnapshot?
                samples[0].append(clock.measure { table = try? StatTable(bytes: statBytes) })
                samples[1].append(clock.measure { states = try? ServersState(parsing: stateText) })
                samples[2].append(
                    clock.measure { snapshot = SnapshotBuilder.build(info: info, stat: table!, states: states) })
                precondition(snapshot!.allServers.count == size, "expected \(size) servers")
                let now = model.now.addingTimeInterval(1)
                samples[3].append(
                    clock.measure { _ = ConsoleUpdate.update(&model, .refreshed(.success(snapshot!), at: now)) })
                _ = ConsoleUpdate.update(&model, .key(.pageDown))  // a page into the list
                samples[4].append(clock.measure { checksum &+= ConsoleRender.render(model).cells.count })
            }
            let medians = samples.map(median)
            let figures = [
                medians[0], medians[1], medians[2], medians[0] + medians[1] + medians[2], medians[3], medians[4],
            ]
            print(
                pad("\(size)", 7) + pad("\(statBytes.count)", 13) + "  "
                    + figures.map { pad(String(format: "%.2f ms", ms($0)), 13) }.joined(separator: " "))
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "peak memory (max RSS): %.1f MB", Double(usage.ru_maxrss) / 1024) + "  [\(checksum % 7)]")
    }

    static func median(_ values: [Duration]) -> Duration { values.sorted()[values.count / 2] }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func ms(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
