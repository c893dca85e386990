import Logging
import NIOCore
import SwitchboardCore

/// A forced health state against a health check still in flight.
extension HAProxyDriver {
    /// Waits (up to ``Options/inFlightCheckWait``) while a check of `server` that was running when checks were
    /// disabled has not finished: HAProxy 2.6 and 3.4 still apply its result when it does, which would undo a
    /// health state forced meanwhile.
    func waitForDisabledCheckToFinish(_ server: ServerRef) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + options.inFlightCheckWait
        let key = ServersState.Key(backend: server.backend.value, server: server.server.value)
        while clock.now < deadline {
            // Best effort: when the state cannot be read, the command itself reports what is wrong.
            guard let reply = try? await read(.showServersState(backend: server.backend)),
                let state = try? ServersState(parsing: String(buffer: reply)),
                state.rows[key]?.disabledCheckStillRunning == true
            else { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        logger.notice(
            "a disabled health check was still running; forcing the health anyway", metadata: ["server": "\(server)"])
    }
}
