import FoundationEssentials
import SwitchboardCore
import Synchronization

/// One deadline for a whole command (`--timeout`), not per request: a peer that trickles bytes, or a
/// command of several requests, still ends on time.
enum CommandDeadline {
    /// Runs `body`; when `limit` passes first, throws a timeout (the work is abandoned, and the process
    /// exits after reporting it).
    static func within<T: Sendable>(
        _ limit: Duration, what: String, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let once = Once()
        return try await withCheckedThrowingContinuation { continuation in
            let work = Task {
                do {
                    let value = try await body()
                    if once.claim() { continuation.resume(returning: value) }
                } catch {
                    if once.claim() { continuation.resume(throwing: error) }
                }
            }
            Task {
                try? await Task.sleep(for: limit)
                guard once.claim() else { return }
                work.cancel()
                continuation.resume(
                    throwing: SwitchboardError(
                        .timeout,
                        "\(what): the balancer did not answer in full within \(limit) (one deadline for the whole "
                            + "command) — it is slow, overloaded or not HAProxy; retry, or raise --timeout"))
            }
        }
    }
}

/// True for the first caller only.
private final class Once: Sendable {
    private let done = Mutex(false)
    func claim() -> Bool {
        done.withLock { done in
            defer { done = true }; return !done
        }
    }
}
