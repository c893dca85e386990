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
        try fleet(iterations: iterations, balancers: 20, servers: 500, checksum: &checksum)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "peak memory (max RSS): %.1f MB", Double(usage.ru_maxrss) / 1024) + "  [\(checksum % 7)]")
    }

    /// The fleet view: `balancers` balancers of `servers` servers each. Per refresh of one balancer the console
    /// folds its snapshot in, merges every balancer's pools by name (drift included) and rebuilds the rows; then
    /// one 200×60 render. Per interval every balancer refreshes once, so the per-second cost is `balancers` ×
    /// (fold + merge + rows) plus the renders.
    static func fleet(iterations: Int, balancers: Int, servers: Int, checksum: inout Int) throws {
        let statBytes = Array(try SyntheticStat.showStat(servers: servers).utf8)
        let stateText = try SyntheticStat.serversState(servers: servers)
        let info = BalancerInfo(version: "2.6.12", pid: 1, uptimeSeconds: 1)
        let snapshot = SnapshotBuilder.build(
            info: info, stat: try StatTable(bytes: statBytes), states: try ServersState(parsing: stateText))
        let ids = (1...balancers).map { BalancerID("lb\($0)") }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var model = ConsoleModel(
            width: 200, height: 60, now: start, balancers: ids.map { ($0, BalancerProfile(label: $0.rawValue)) })
        for id in ids { _ = ConsoleUpdate.update(&model, .refreshed(.success(snapshot), at: start, from: id)) }
        var drifted = snapshot
        drifted.backends[0].servers[0].weight = 1
        let clock = ContinuousClock()
        var fold: [Duration] = []
        var merge: [Duration] = []
        var render: [Duration] = []
        for round in 0..<iterations {
            let now = start.addingTimeInterval(Double(round + 1))
            let id = ids[round % ids.count]
            let next = round % 2 == 0 ? drifted : snapshot
            fold.append(
                clock.measure { _ = ConsoleUpdate.update(&model, .refreshed(.success(next), at: now, from: id)) })
            merge.append(clock.measure { _ = ConsoleUpdate.update(&model, .tick(now.addingTimeInterval(0.01))) })
            render.append(clock.measure { checksum &+= ConsoleRender.render(model).cells.count })
        }
        precondition(model.isFleetView && model.fleet.backends.first?.servers.count ?? 0 > 0 && !model.fleetNeedsMerge)
        let perFold = ms(median(fold)), perMerge = ms(median(merge)), perRender = ms(median(render))
        // Per 1 s interval: every balancer's result folded in once, one merge (at most once per interval), a draw
        // after the merge and one more for the ages on screen.
        let perSecond = Double(balancers) * perFold + perMerge + 2 * perRender
        print(
            "fleet \(balancers) × \(servers) servers: fold one refresh "
                + String(format: "%.2f ms, merge + rows %.2f ms, render 200x60 %.2f ms", perFold, perMerge, perRender)
                + String(
                    format: "; per 1 s: %d folds + 1 merge + 2 draws ≈ %.1f ms (%.1f%% of a core)",
                    balancers, perSecond, perSecond / 10))
    }

    static func median(_ values: [Duration]) -> Duration { values.sorted()[values.count / 2] }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - text.count)) + text
    }

    static func ms(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
