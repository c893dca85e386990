import SwitchboardCore

/// Waits for a condition with a deadline instead of sleeping a fixed time.
public enum Deadline {
    /// Polls `condition` every `interval` until it returns true; throws a timeout error naming
    /// `what` (and the last error the condition threw, if any) when `timeout` passes first.
    /// The condition runs on the caller's actor (the main actor for a test driving the console runtime).
    public static func waitUntil(
        _ what: String, timeout: Duration = .seconds(10), interval: Duration = .milliseconds(50),
        isolation: isolated (any Actor)? = #isolation, _ condition: () async throws -> Bool
    ) async throws {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        var lastError: (any Error)?
        while true {
            do {
                if try await condition() { return }
            } catch {
                lastError = error
            }
            if clock.now >= end { break }
            try await Task.sleep(for: interval)
        }
        throw SwitchboardError(
            .timeout, "timed out after \(timeout) waiting until \(what)", cause: lastError.map { "\($0)" })
    }

    /// Polls `produce` until it returns a value, or throws on timeout.
    public static func value<T>(
        _ what: String, timeout: Duration = .seconds(10), interval: Duration = .milliseconds(50),
        isolation: isolated (any Actor)? = #isolation, _ produce: () async throws -> T?
    ) async throws -> T {
        var result: T?
        try await waitUntil(what, timeout: timeout, interval: interval, isolation: isolation) {
            result = try await produce()
            return result != nil
        }
        return result!
    }
}
