import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab
import SwitchboardTestSupport
import Testing

/// Missing, wrong, refused and hung sockets give the documented errors within the timeout.
@Suite("Socket failures", .timeLimit(.minutes(1)))
struct SocketFailureTests {
    func failure(of address: ControlSocketAddress, timeout: Duration = .milliseconds(500)) async -> SwitchboardError? {
        let driver = HAProxyDriver(address: address, options: .init(timeout: timeout))
        defer { Task { await driver.close() } }
        do {
            _ = try await driver.snapshot()
            return SwitchboardError(.other, "no error")
        } catch {
            return error as? SwitchboardError
        }
    }

    @Test func missingSocket() async {
        let error = await failure(of: .unix(path: "/nonexistent/switchboard-test.sock"))
        #expect(error?.code == .socketNotFound, "\(String(describing: error))")
    }

    @Test func pathThatIsNotASocket() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-not-a-socket-\(getpid())")
            .path
        _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = await failure(of: .unix(path: path))
        #expect(error?.code == .notHAProxy, "\(String(describing: error))")
    }

    @Test func refusedTCP() async throws {
        let port = try FreePortForTests.closed()
        let error = await failure(of: .tcp(host: "127.0.0.1", port: port))
        #expect(error?.code == .connectionRefused, "\(String(describing: error))")
    }

    @Test func hungPeerTimesOutWithinTheTimeout() async throws {
        let peer = try await FakePeer.start(.silent)
        let clock = ContinuousClock()
        let start = clock.now
        let error = await failure(of: try ControlSocketAddress(parsing: peer.address), timeout: .milliseconds(400))
        #expect(error?.code == .timeout, "\(String(describing: error))")
        let elapsed = clock.now - start
        #expect(elapsed < .seconds(2))
        #expect(elapsed >= .milliseconds(350))
        await peer.stop()
    }

    @Test func peerThatIsNotHAProxy() async throws {
        let peer = try await FakePeer.start(.reply("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"))
        let error = await failure(of: try ControlSocketAddress(parsing: peer.address))
        #expect(error?.code == .notHAProxy, "\(String(describing: error))")
        await peer.stop()
    }
}

enum FreePortForTests {
    /// A port nothing listens on.
    static func closed() throws -> Int { try FreePort.next() }
}
