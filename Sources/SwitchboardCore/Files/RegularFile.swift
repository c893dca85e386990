#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads regular files with `open`/`pread`, for the logs' tails (what Foundation's `FileHandle` did here).
public enum RegularFile {
    /// The file's last `lastBytes` bytes (all of it when nil); nil when `path` is not a readable regular file
    /// (a device such as `/dev/full` reads forever; it holds no records).
    public static func tail(of path: String, lastBytes: Int? = nil) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let size = Int(info.st_size)
        let start = lastBytes.map { max(0, size - $0) } ?? 0
        var bytes = [UInt8](repeating: 0, count: size - start)
        var offset = 0
        while offset < bytes.count {
            let read = bytes.withUnsafeMutableBytes {
                pread(fd, $0.baseAddress! + offset, $0.count - offset, off_t(start + offset))
            }
            if read < 0 && errno == EINTR { continue }
            guard read > 0 else { break }
            offset += read
        }
        return Array(bytes.prefix(offset))
    }
}
