import NIOCore
import Synchronization

/// Bounded HTTP traffic through the balancer's frontend, on loopback only.
///
/// It stops by itself after `maxRequests` or `duration`, whichever comes first, or when cancelled.
public struct TrafficGenerator: Sendable {
    /// What to send.
    public struct Plan: Sendable, Hashable {
        /// The frontend port on 127.0.0.1.
        public var port: Int
        /// Paths to cycle through (e.g. `/be_web/`, `/be_api/x`).
        public var paths: [String]
        /// Requests started per second, spread evenly.
        public var requestsPerSecond: Int
        /// Requests in flight at most.
        public var concurrency: Int
        /// Hard cap on the number of requests.
        public var maxRequests: Int
        /// Hard cap on the running time.
        public var duration: Duration
        /// The Host header sent (nil: `127.0.0.1:PORT`), for a frontend that routes by host.
        public var host: String?

        /// Makes a plan.
        public init(
            port: Int, paths: [String], requestsPerSecond: Int = 30, concurrency: Int = 8,
            maxRequests: Int = 100_000, duration: Duration = .seconds(3600), host: String? = nil
        ) {
            self.host = host
            self.port = port
            self.paths = paths
            self.requestsPerSecond = max(1, requestsPerSecond)
            self.concurrency = max(1, concurrency)
            self.maxRequests = maxRequests
            self.duration = duration
        }
    }

    /// What happened.
    public struct Report: Sendable, Hashable {
        /// Requests sent.
        public var sent = 0
        /// Responses by status code (0 = no response).
        public var statuses: [Int: Int] = [:]
        /// Responses by origin.
        public var origins: [String: Int] = [:]
    }

    /// The plan.
    public let plan: Plan
    /// Where each finished request's status and response time go, if anywhere.
    public let meter: TrafficMeter?

    /// Makes a generator.
    public init(plan: Plan, meter: TrafficMeter? = nil) {
        self.plan = plan
        self.meter = meter
    }

    /// Runs until a bound is reached or the task is cancelled.
    public func run() async -> Report {
        let report = Tally()
        let clock = ContinuousClock()
        let start = clock.now
        let interval = Duration.seconds(1) / plan.requestsPerSecond
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for index in 0..<plan.maxRequests {
                if Task.isCancelled || clock.now - start >= plan.duration { break }
                if inFlight >= plan.concurrency {
                    await group.next()
                    inFlight -= 1
                }
                let path = plan.paths[index % plan.paths.count]
                let port = plan.port
                let host = plan.host
                let meter = self.meter
                group.addTask {
                    let sentAt = ContinuousClock.now
                    let response = try? await HTTPProbe.get(port: port, path: path, host: host, timeout: .seconds(5))
                    let took = ContinuousClock.now - sentAt
                    meter?.record(
                        status: response?.status ?? 0,
                        milliseconds: Double(took.components.seconds) * 1000
                            + Double(took.components.attoseconds) / 1e15)
                    report.state.withLock { report in
                        report.sent += 1
                        report.statuses[response?.status ?? 0, default: 0] += 1
                        if let origin = response?.origin { report.origins[origin, default: 0] += 1 }
                    }
                }
                inFlight += 1
                try? await Task.sleep(until: start + interval * (index + 1), clock: clock)
            }
            await group.waitForAll()
        }
        return report.state.withLock { $0 }
    }

    /// Sends exactly `count` requests to `path` (a few at a time) and reports who answered.
    public static func send(count: Int, to path: String, port: Int, concurrency: Int = 4, host: String? = nil)
        async -> Report
    {
        await TrafficGenerator(
            plan: Plan(
                port: port, paths: [path], requestsPerSecond: 1000, concurrency: concurrency, maxRequests: count,
                duration: .seconds(120), host: host)
        ).run()
    }
}

/// The report under a lock, shared by the request tasks.
private final class Tally: Sendable {
    let state = Mutex(TrafficGenerator.Report())
}
