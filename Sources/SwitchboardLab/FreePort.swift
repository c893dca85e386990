import SwitchboardCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds free TCP ports on 127.0.0.1 by binding port 0 and reading back what the kernel chose.
public enum FreePort {
    /// A port that was free a moment ago on 127.0.0.1.
    public static func next() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SwitchboardError(.other, "socket() failed while looking for a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw SwitchboardError(.other, "bind() failed while looking for a free port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw SwitchboardError(.other, "getsockname() failed while looking for a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `count` distinct free ports.
    public static func next(_ count: Int) throws -> [Int] {
        var ports: Set<Int> = []
        var ordered: [Int] = []
        while ordered.count < count {
            let port = try next()
            if ports.insert(port).inserted { ordered.append(port) }
        }
        return ordered
    }
}
