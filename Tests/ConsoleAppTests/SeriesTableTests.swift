import ConsoleApp
import SwitchboardCore
import Testing

/// The compact history behind sparklines and graphs (issue 12): order, wrap-around, keys that come and go, and
/// 5xx per second from counters.
@Suite("Series table")
struct SeriesTableTests {
    static func sample(_ key: Metrics.Key, rate: Int, errors: Int = 0, sessions: Int = 0) -> SeriesTable.Sample {
        SeriesTable.Sample(key: key, errors: errors, values: (rate, sessions, 0, 0))
    }

    static let web1 = Metrics.Key.server(ServerID(backend: "be_web", name: "web1"))
    static let web2 = Metrics.Key.server(ServerID(backend: "be_web", name: "web2"))
    static let web3 = Metrics.Key.server(ServerID(backend: "be_web", name: "web3"))

    @Test func historyIsOldestFirstAndKeepsTheLastCapacitySteps() {
        var table = SeriesTable(capacity: 4, series: 2)
        for step in 1...6 {
            table.record(
                [Self.sample(Self.web1, rate: step, sessions: step * 10), Self.sample(Self.web2, rate: -step)],
                elapsed: 1)
        }
        #expect(table.history(Self.web1) == [3, 4, 5, 6])
        #expect(table.history(Self.web1, series: 1) == [30, 40, 50, 60])
        #expect(table.history(Self.web2) == [-3, -4, -5, -6])
        #expect(table.history(Self.web3).isEmpty)
        #expect(table.history(Self.web1, series: 3).isEmpty, "only the table's series are kept")
    }

    @Test func aKeyThatAppearsStartsEmptyAndOneThatLeavesIsForgottenWhileTheOthersKeepTheirs() {
        var table = SeriesTable(capacity: 10, series: 1)
        table.record([Self.sample(Self.web1, rate: 1), Self.sample(Self.web2, rate: 2)], elapsed: 0)
        table.record([Self.sample(Self.web1, rate: 11), Self.sample(Self.web2, rate: 12)], elapsed: 1)
        // web2 leaves, web3 arrives before web1 (a reload that reordered the servers).
        table.record([Self.sample(Self.web3, rate: 33), Self.sample(Self.web1, rate: 21)], elapsed: 1)
        #expect(table.history(Self.web1) == [1, 11, 21])
        #expect(table.history(Self.web3) == [33])
        #expect(table.history(Self.web2).isEmpty)
        #expect(table.layout == [Self.web3, Self.web1])
        table.record([Self.sample(Self.web3, rate: 34), Self.sample(Self.web1, rate: 22)], elapsed: 1)
        #expect(table.history(Self.web3) == [33, 34])
    }

    @Test func errorRatesComeFromTheCounterOverTheElapsedTimeAndNeverFromAFirstSample() {
        var table = SeriesTable(capacity: 5, series: 4)
        table.record([Self.sample(Self.web1, rate: 0, errors: 100)], elapsed: 0)
        #expect(table.errorRate(Self.web1) == 0)
        table.record([Self.sample(Self.web1, rate: 0, errors: 130)], elapsed: 2)
        #expect(table.errorRate(Self.web1) == 15)
        table.storeErrorRates(inSeries: 2)
        #expect(table.history(Self.web1, series: 2) == [0, 15])
        // A counter reset (reload) is not a negative rate; a newcomer with a large counter is not a burst.
        table.record(
            [Self.sample(Self.web1, rate: 0, errors: 5), Self.sample(Self.web2, rate: 0, errors: 900)], elapsed: 1)
        #expect(table.errorRate(Self.web1) == 0)
        #expect(table.errorRate(Self.web2) == 0)
    }

    @Test func metricsKeepEverySeriesForSmallBalancersAndOnlyServerRatesAboveTheLargeSize() throws {
        func snapshot(servers: Int, rate: Int) -> BalancerSnapshot {
            let backend = Backend(
                name: "be_big", status: "UP", activeUp: servers, rate: rate,
                servers: (0..<servers).map {
                    Server(
                        name: "s\($0)", backend: "be_big", status: ServerStatus("UP"), admin: AdminState(mode: .ready),
                        health: .up,
                        weight: 1, rate: rate + $0)
                })
            return BalancerSnapshot(
                info: BalancerInfo(version: "2.6", pid: 1, uptimeSeconds: 1, socket: "/s", level: .admin),
                backends: [backend])
        }
        var small = Metrics()
        small.record(snapshot(servers: 10, rate: 1), at: .init(timeIntervalSince1970: 0))
        small.record(snapshot(servers: 10, rate: 2), at: .init(timeIntervalSince1970: 1))
        let s3 = Metrics.Key.server(ServerID(backend: "be_big", name: "s3"))
        #expect(small.rateHistory(s3) == [4, 5])
        #expect(small.series(s3)?.sessions == [0, 0])
        var large = Metrics()
        let count = Metrics.largeBalancer + 1
        for second in 0..<(Metrics.largeHistoryLength + 5) {
            large.record(snapshot(servers: count, rate: second), at: .init(timeIntervalSince1970: Double(second)))
        }
        #expect(large.rateHistory(s3).count == Metrics.largeHistoryLength)
        #expect(large.rateHistory(s3).last == Metrics.largeHistoryLength + 4 + 3)
        #expect(large.series(s3) == nil)
        #expect(large.rateHistory(.backend("be_big")).count == Metrics.largeHistoryLength + 5)
    }
}
