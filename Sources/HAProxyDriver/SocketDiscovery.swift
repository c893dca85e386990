import FoundationEssentials
import SwitchboardCore

/// Finds a control socket when the operator gave none: `$SWITCHBOARD_SOCKET`, then the usual places.
public enum SocketDiscovery {
    /// Where distributions and common configs put HAProxy's admin socket.
    public static let usualPaths = [
        "/run/haproxy/admin.sock", "/var/run/haproxy.sock", "/var/run/haproxy/admin.sock", "/var/lib/haproxy/stats",
    ]

    /// The candidates in the order they are tried.
    public static func candidates(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        if let explicit = environment["SWITCHBOARD_SOCKET"], !explicit.isEmpty { return [explicit] }
        return usualPaths
    }

    /// The first candidate whose HAProxy answers `show info`; otherwise an error naming every place tried
    /// and why each failed.
    public static func find(
        environment: [String: String] = ProcessInfo.processInfo.environment, timeout: Duration = .seconds(2)
    ) async throws -> ControlSocketAddress {
        var tried: [String] = []
        for candidate in candidates(environment: environment) {
            do {
                let address = try ControlSocketAddress(parsing: candidate)
                let driver = HAProxyDriver(address: address, options: .init(timeout: timeout, session: .oneShot))
                _ = try await driver.connect()
                return address
            } catch let error as SwitchboardError {
                tried.append("\(candidate) (\(error.code))")
            }
        }
        let source = environment["SWITCHBOARD_SOCKET"].map { $0.isEmpty ? "" : " (from SWITCHBOARD_SOCKET)" } ?? ""
        throw SwitchboardError(
            .noSocketFound,
            "no HAProxy control socket answered\(source); tried \(tried.joined(separator: ", "))"
                + " — pass --socket PATH or tcp://HOST:PORT"
        )
    }
}
