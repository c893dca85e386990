import SwitchboardCore
import Testing

/// When a training scenario's service counts as hurt and as recovered, second by second.
@Suite("Recovery rule")
struct RecoveryRuleTests {
    static let good = ServiceSecond(requests: 20, failed: 0, totalMilliseconds: 20 * 90)
    static let failing = ServiceSecond(requests: 20, failed: 5, totalMilliseconds: 20 * 90)
    static let slow = ServiceSecond(requests: 20, failed: 0, totalMilliseconds: 20 * 1_500)

    @Test func aHealthySecondHasRequestsFewFailuresAndQuickAnswers() {
        let rule = RecoveryRule(maxFailedShare: 0.01, maxMeanMilliseconds: 500, windowSeconds: 3)
        #expect(rule.isHealthy(Self.good))
        #expect(!rule.isHealthy(Self.failing))
        #expect(!rule.isHealthy(Self.slow))
        #expect(!rule.isHealthy(ServiceSecond()))  // no request answered at all is not health
    }

    @Test func recoveryIsTheFirstSecondOfAWholeHealthyWindow() {
        let rule = RecoveryRule(windowSeconds: 3)
        let seconds =
            [Self.good, Self.good, Self.failing, Self.slow, Self.good, Self.good, Self.failing, Self.good]
            + [Self.good, Self.good, Self.good]
        #expect(rule.firstUnhealthy(seconds, from: 0) == 2)
        #expect(rule.recoveredAt(seconds, from: 3) == 7)  // 4–5 is two seconds only; 7–9 is the window
        #expect(rule.recoveredAt(Array(seconds.prefix(9)), from: 3) == nil)
        #expect(rule.firstUnhealthy([Self.good, ServiceSecond()], from: 0) == nil)
    }

    @Test func aSecondCountsFailuresAndNoAnswers() {
        var second = ServiceSecond()
        second.add(status: 200, milliseconds: 10)
        second.add(status: 503, milliseconds: 30)
        second.add(status: 0, milliseconds: 5_000)
        second.add(status: 404, milliseconds: 20)
        #expect(second.requests == 4 && second.failed == 2)
        #expect(second.meanMilliseconds == 5_060.0 / 4)
    }
}
