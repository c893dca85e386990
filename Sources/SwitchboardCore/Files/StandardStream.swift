#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's standard output or error, written unbuffered with `write(2)` (what Foundation's
/// `FileHandle.standardOutput.write` did, without linking Foundation into the console binary).
public enum StandardStream: Sendable {
    /// File descriptor 1.
    case output
    /// File descriptor 2.
    case error

    /// Writes the text's UTF-8 bytes, all of them unless the stream is closed.
    public func write(_ text: String) {
        write(bytes: Array(text.utf8))
    }

    /// Writes the bytes, all of them unless the stream is closed.
    public func write(bytes: some Sequence<UInt8>) {
        let bytes = Array(bytes)
        FileDescriptorWrite.all(bytes, to: self == .output ? 1 : 2)
    }
}

/// Writes a whole buffer to a file descriptor, retrying on interruption and short writes.
public enum FileDescriptorWrite {
    /// Writes `bytes` to `fd`; returns false when a write failed (the descriptor closed, the disk full).
    @discardableResult
    public static func all(_ bytes: [UInt8], to fd: Int32) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }
}
