import SwitchboardCore
import Testing

/// Requests failed during an incident, from the balancers' counters at its start and end.
@Suite("Request counters between an incident's start and end")
struct RequestCountersTests {
    @Test func theDifferencesAreSummedOverTheBalancers() throws {
        let start = [
            "lb1": RequestCounters(requests: 1_000, failed: 10), "lb2": RequestCounters(requests: 500, failed: 0),
        ]
        let end = [
            "lb1": RequestCounters(requests: 1_600, failed: 70), "lb2": RequestCounters(requests: 900, failed: 40),
        ]
        #expect(try RequestCounters.between(start, end).get() == RequestCounters(requests: 1_000, failed: 100))
        let noTotals = ["lb1": RequestCounters(requests: nil, failed: 80)]
        #expect(
            try RequestCounters.between(["lb1": RequestCounters(requests: nil, failed: 5)], noTotals).get()
                == RequestCounters(requests: nil, failed: 75))
    }

    @Test func aResetOrDifferentBalancersOrNothingReadIsNotKnownAndSaysWhy() {
        let start = ["lb1": RequestCounters(requests: 1_000, failed: 10)]
        #expect(throws: RequestCounters.Unknown.reset("lb1")) {
            try RequestCounters.between(start, ["lb1": RequestCounters(requests: 20, failed: 2)]).get()
        }
        #expect(throws: RequestCounters.Unknown.differentBalancers) {
            try RequestCounters.between(start, ["lb2": RequestCounters(requests: 2_000, failed: 20)]).get()
        }
        #expect(throws: RequestCounters.Unknown.notRead) { try RequestCounters.between([:], start).get() }
        #expect(RequestCounters.Unknown.reset("lb1").description.contains("reloaded or restarted"))
    }
}
