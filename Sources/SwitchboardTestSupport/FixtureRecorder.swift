import Foundation
import HAProxyDriver
import SwitchboardCore
import SwitchboardLab

/// Records the parser fixtures from a real haproxy started by the lab, with every odd row shape:
/// backup, DOWN with L4CON, config `disabled`, MAINT via a tracked server, no check, agent checks
/// (`DOWN (agent)`, `DRAIN (agent)`), a running check (`* L7OK`), a transition (`UP 2/3`), DRAIN.
public enum FixtureRecorder {
    /// Records into `directory`, printing what it writes.
    public static func record(into directory: URL) async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await Lab.with(.fixtures) { lab in
            try await recordAll(lab: lab, directory: directory)
        }
    }

    private static func recordAll(lab: Lab, directory: URL) async throws {
        let admin = HAProxyDriver(address: .unix(path: lab.adminSocket))
        let raw = RawSocket(path: lab.adminSocket)
        func save(_ name: String, _ text: String) throws {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            print("recorded \(name) (\(text.utf8.count) bytes)")
        }
        // Settle: app3 DOWN (closed port), everything else checked once.
        try await Deadline.waitUntil("every checked server has passed its first checks", timeout: .seconds(20)) {
            let snapshot = try await admin.snapshot()
            return snapshot.server("be_app", "app3")?.status.text == "DOWN"
                && ["be_app/app-bk", "be_app/app2", "be_track/t2", "be_static/s1", "be_static/s2"].allSatisfy { key in
                    let parts = key.split(separator: "/").map(String.init)
                    return snapshot.server(parts[0], parts[1])?.status.text == "UP"
                }
        }
        _ = try await admin.execute(.setState(try ServerRef(parsing: "be_app/app2"), .drain))
        _ = try await admin.execute(.setAgent(try ServerRef(parsing: "be_app/app1"), up: false))
        _ = try await admin.execute(.setState(try ServerRef(parsing: "be_app/app6"), .drain))
        _ = try await admin.execute(.setWeight(try ServerRef(parsing: "be_app/app5"), .absolute(20)))
        _ = await TrafficGenerator.send(count: 30, to: "/be_static/x", port: lab.frontendPort)
        _ = await TrafficGenerator.send(count: 5, to: "/be_static/err", port: lab.frontendPort)

        try save("show-info.txt", try raw.oneShot("show info"))
        try save("show-stat.csv", try raw.oneShot("show stat"))
        try save("show-servers-state.txt", try raw.oneShot("show servers state"))
        try save("show-stat-backends.csv", try raw.oneShot("show stat -1 2 -1"))
        try save("show-cli-level-user.txt", try RawSocket(path: lab.userSocket).oneShot("show cli level"))
        try save("show-stat-user.csv", try RawSocket(path: lab.userSocket).oneShot("show stat"))

        // A check caught in progress: health answers take 300 ms in a second lab.
        try await recordRunningCheck(directory: directory)

        // A transition: t2's origin fails; with fall 3 it shows UP 2/3, then UP 1/3, then DOWN.
        lab.origin("be_track", "t2")?.setBehavior(.failing)
        var transition = ""
        try await Deadline.waitUntil("be_track/t2 shows UP n/3", timeout: .seconds(10), interval: .milliseconds(20)) {
            transition = try raw.oneShot("show stat")
            return transition.contains(",t2,")
                && transition.split(separator: "\n").contains {
                    $0.hasPrefix("be_track,t2,") && $0.contains(",UP 2/3,")
                }
        }
        try save("show-stat-transition.csv", transition)

        // Replies, raw, in prompt mode with severity tags, and without.
        var replies = ""
        for line in [
            "set server be_app/nosuch state drain", "set server nosuch/x state drain",
            "set server be_app/app1 weight abc",
            "set server be_app/app1 weight 300", "get weight be_app/app2", "show foo",
            "set server be_app/app1 state bogus",
            "set server be_static/s1 weight 50%", "set server be_static/s1 weight 0%", "get weight be_static/s1",
        ] {
            replies += "=== \(line)\n" + (try raw.oneShot("set severity-output number;\(line)")) + "\n"
        }
        replies +=
            "=== (user) set server be_app/app1 state drain\n"
            + (try RawSocket(path: lab.userSocket).oneShot(
                "set severity-output number;set server be_app/app1 state drain")) + "\n"
        replies +=
            "=== (operator) set server be_app/app1 weight 10\n"
            + (try RawSocket(path: lab.operatorSocket).oneShot("set server be_app/app1 weight 10")) + "\n"
        try save("replies.txt", replies)
        await admin.close()
    }

    private static func recordRunningCheck(directory: URL) async throws {
        let lab = try await Lab.start(.fixtures, healthLatency: .milliseconds(300))
        do {
            let raw = RawSocket(path: lab.adminSocket)
            var dump = ""
            try await Deadline.waitUntil(
                "a check in progress shows '* L7OK'", timeout: .seconds(15), interval: .milliseconds(30)
            ) {
                dump = try raw.oneShot("show stat")
                return dump.contains(",* L7OK,")
            }
            try dump.write(
                to: directory.appendingPathComponent("show-stat-running-check.csv"), atomically: true, encoding: .utf8)
            print("recorded show-stat-running-check.csv")
        } catch {
            await lab.stop()
            throw error
        }
        await lab.stop()
    }
}

/// A blocking one-shot unix socket client, used only to record raw bytes exactly as HAProxy sends them.
struct RawSocket {
    let path: String

    func oneShot(_ line: String) throws -> String {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SwitchboardError(.other, "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { throw SwitchboardError(.connectionRefused, "connect(\(path)) failed") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = Array((line + "\n").utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            data += chunk[0..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }
}
