import Foundation
import SwitchboardCore
import SwitchboardTestSupport

/// `swift run -c release switchboard-bench`: per-refresh cost of parsing and modelling HAProxy output
/// at 10, 1,000 and 10,000 servers, from recorded rows (no socket), and the peak memory.
@main
enum Bench {
    static func main() throws {
        let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 30
        print("switchboard-bench: median of \(iterations) runs per size (release build expected)")
        print("servers   stat bytes  parse stat  parse state  build model  total")
        for size in [10, 1_000, 10_000] {
            let statText = try SyntheticStat.showStat(servers: size)
            let stateText = try SyntheticStat.serversState(servers: size)
            let statBytes = Array(statText.utf8)
            let info = BalancerInfo(version: "2.6.12", pid: 1, uptimeSeconds: 1)
            var parseStat: [Duration] = [], parseState: [Duration] = [], build: [Duration] = []
            let clock = ContinuousClock()
            for _ in 0..<iterations {
                var table: StatTable?
                var states: ServersState?
                parseStat.append(clock.measure { table = try? StatTable(bytes: statBytes) })
                parseState.append(clock.measure { states = try? ServersState(parsing: stateText) })
                var snapshot: BalancerSnapshot?
                build.append(
                    clock.measure { snapshot = SnapshotBuilder.build(info: info, stat: table!, states: states) })
                precondition(snapshot!.allServers.count == size, "expected \(size) servers")
            }
            let a = median(parseStat), b = median(parseState), c = median(build)
            print(
                String(
                    format: "%7d  %11d  %8.2f ms  %9.2f ms  %9.2f ms  %6.2f ms", size, statBytes.count, ms(a), ms(b),
                    ms(c),
                    ms(a + b + c)))
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "peak memory (max RSS): %.1f MB", Double(usage.ru_maxrss) / 1024))
    }

    static func median(_ values: [Duration]) -> Duration { values.sorted()[values.count / 2] }
    static func ms(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
