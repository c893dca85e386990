import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Takes a balancer's CLI slots: opens `count` connections to a unix control socket and holds them idle, so
/// HAProxy (10 CLI connections in all by default) accepts the next at the kernel and never answers it.
public final class CLISlotHog: @unchecked Sendable {
    private var descriptors: [Int32] = []
    private let lock = NSLock()

    /// Opens `count` connections to `path`.
    public init(path: String, count: Int = 10) throws {
        for _ in 0..<count {
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw SSHServerError("socket() failed") }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                let bytes = Array(path.utf8.prefix(raw.count - 1))
                raw.copyBytes(from: bytes + [0])
            }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard connected == 0 else {
                close(fd)
                throw SSHServerError("connect(\(path)) failed: \(String(cString: strerror(errno)))")
            }
            descriptors.append(fd)
        }
    }

    /// Gives the slots back.
    public func release() {
        lock.withLock {
            for fd in descriptors { close(fd) }
            descriptors = []
        }
    }

    deinit { release() }
}
