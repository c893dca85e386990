import FoundationEssentials
import NIOCore
import NIOExtras
import NIOPosix
import SwitchboardCore

/// Turns socket-level failures into ``SwitchboardError``s that say what to do.
enum SocketErrors {
    /// Checks a unix socket path before connecting, for precise messages.
    static func checkPath(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == EACCES { throw permission(path) }
            throw SwitchboardError(
                .socketNotFound,
                "socket \(path) does not exist — is haproxy running? Pass --socket PATH or set SWITCHBOARD_SOCKET")
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw SwitchboardError(
                .notHAProxy, "\(path) is not a socket — pass the path of HAProxy's `stats socket`")
        }
    }

    static func permission(_ path: String) -> SwitchboardError {
        SwitchboardError(
            .socketPermission,
            "socket \(path) refused access: permission denied — run as a member of the socket's group "
                + "(often haproxy) or pass --socket", cause: "EACCES")
    }

    static func timeout(address: ControlSocketAddress, timeout: TimeAmount, during line: String) -> SwitchboardError {
        let seconds = Double(timeout.nanoseconds) / 1e9
        return SwitchboardError(
            .timeout,
            "socket \(address) did not answer `\(line)` within \(String(printf: "%.1f", seconds)) s — haproxy may be "
                + "overloaded, or all CLI slots (stats maxconn, 10 by default) are taken")
    }

    static func map(_ error: any Error, address: ControlSocketAddress, timeout: TimeAmount) -> any Error {
        if error is SwitchboardError { return error }
        if let channelError = error as? ChannelError {
            switch channelError {
            case .connectTimeout:
                let seconds = Double(timeout.nanoseconds) / 1e9
                return SwitchboardError(
                    .timeout,
                    "socket \(address) did not accept a connection within \(String(printf: "%.1f", seconds)) s")
            case .ioOnClosedChannel, .alreadyClosed, .outputClosed, .eof:
                return lost(address)
            default:
                break
            }
        }
        if error is NIOExtrasErrors.ClosedBeforeReceivingResponse { return lost(address) }
        if let connectionError = error as? NIOConnectionError {
            if let first = connectionError.connectionErrors.first {
                return map(first.error, address: address, timeout: timeout)
            }
            if let dnsError = connectionError.dnsAAAAError ?? connectionError.dnsAError {
                return SwitchboardError(.connectionRefused, "cannot resolve \(address)", cause: "\(dnsError)")
            }
        }
        if let ioError = error as? IOError {
            switch ioError.errnoCode {
            case ENOENT:
                return SwitchboardError(.socketNotFound, "socket \(address) does not exist — is haproxy running?")
            case EACCES, EPERM:
                if case .unix(let path) = address { return permission(path) }
                return SwitchboardError(.socketPermission, "connecting to \(address): permission denied")
            case ECONNREFUSED:
                return SwitchboardError(
                    .connectionRefused,
                    "socket \(address) refused the connection — haproxy is not running there (a stopped haproxy "
                        + "leaves its socket file behind) or is restarting", cause: "ECONNREFUSED")
            case ECONNRESET, EPIPE:
                return lost(address)
            default:
                return SwitchboardError(
                    .connectionRefused,
                    "cannot talk to socket \(address): \(String(cString: strerror(ioError.errnoCode)))")
            }
        }
        if error is ByteToMessageDecoderError.PayloadTooLargeError {
            return SwitchboardError(.malformedOutput, "the reply from \(address) exceeded 256 MB and was dropped")
        }
        return SwitchboardError(.other, "socket \(address): \(error)")
    }

    static func lost(_ address: ControlSocketAddress) -> SwitchboardError {
        SwitchboardError(
            .connectionLost,
            "socket \(address) closed the connection before answering — "
                + "haproxy stopped, reloaded or timed the session out"
        )
    }
}
