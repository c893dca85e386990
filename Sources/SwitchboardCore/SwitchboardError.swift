/// The one error type of Switchboard's domain: a stable code, a message that says what went wrong
/// and what to do, and an optional underlying cause.
///
/// Codes are an open set (like SwiftNIO's `FileSystemError`): new ones can be added without breaking
/// callers that switch over the ones they know.
///
/// ```swift
/// throw SwitchboardError(.socketNotFound, "socket /run/haproxy/admin.sock does not exist — pass --socket")
/// ```
public struct SwitchboardError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; stable across releases, used for exit codes and JSON output.
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name, e.g. `socket-not-found`.
        public let rawValue: String
        /// Makes a code from its stable name.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The text shown to people.
        public var description: String { rawValue }

        /// ssh refused the host: its key is unknown or changed (`known_hosts`).
        public static let sshHostKey = Code(rawValue: "ssh-host-key")
        /// ssh could not log in (`Permission denied (publickey)`, `sudo -n` wanting a password).
        public static let sshAuthentication = Code(rawValue: "ssh-authentication")
        /// ssh could not reach the host (refused, timed out, name not resolved).
        public static let sshUnreachable = Code(rawValue: "ssh-unreachable")
        /// The control socket path does not exist.
        public static let socketNotFound = Code(rawValue: "socket-not-found")
        /// The OS refused access to the socket (file permissions).
        public static let socketPermission = Code(rawValue: "socket-permission")
        /// Nothing listens on the socket (balancer stopped, socket file left behind).
        public static let connectionRefused = Code(rawValue: "connection-refused")
        /// The peer did not answer within the timeout.
        public static let timeout = Code(rawValue: "timeout")
        /// The peer answered, but not like HAProxy's Runtime API.
        public static let notHAProxy = Code(rawValue: "not-haproxy")
        /// The connection closed while a reply was expected.
        public static let connectionLost = Code(rawValue: "connection-lost")
        /// No socket was given and none of the usual places answered.
        public static let noSocketFound = Code(rawValue: "no-socket-found")
        /// The socket's access level does not allow this command (HAProxy said `Permission denied`).
        public static let accessDenied = Code(rawValue: "access-denied")
        /// HAProxy does not know this backend (`No such backend.`).
        public static let noSuchBackend = Code(rawValue: "no-such-backend")
        /// HAProxy does not know this server (`No such server.`).
        public static let noSuchServer = Code(rawValue: "no-such-server")
        /// HAProxy does not know this command (`Unknown command`).
        public static let unknownCommand = Code(rawValue: "unknown-command")
        /// The session reached an old worker that is shutting down after a reload (`Proxy is disabled.`).
        public static let balancerReloading = Code(rawValue: "balancer-reloading")
        /// HAProxy refused the command for another reason; the message carries HAProxy's own words.
        public static let refused = Code(rawValue: "refused")
        /// A backend or server name contains characters HAProxy does not allow; nothing was sent.
        public static let invalidName = Code(rawValue: "invalid-name")
        /// A value is out of range or malformed; nothing was sent.
        public static let invalidValue = Code(rawValue: "invalid-value")
        /// The balancer is already as the plan would leave it; nothing to send.
        public static let alreadyAsAsked = Code(rawValue: "already-as-asked")
        /// HAProxy's output could not be understood.
        public static let malformedOutput = Code(rawValue: "malformed-output")
        /// The balancer or driver cannot do this.
        public static let unsupported = Code(rawValue: "unsupported")
        /// A program Switchboard needs (e.g. `haproxy` for the demo) is missing.
        public static let missingProgram = Code(rawValue: "missing-program")
        /// The audit log cannot be written (a full disk, a directory, a missing parent); nothing was sent.
        public static let auditLogUnwritable = Code(rawValue: "audit-log-unwritable")
        /// The balancer changed since the plan was shown; it was re-planned and must be confirmed again.
        public static let planChanged = Code(rawValue: "plan-changed")
        /// The terminal cannot run the console (no terminal, `TERM` unset, unknown or without cursor movement).
        public static let unusableTerminal = Code(rawValue: "unusable-terminal")
        /// Any other failure.
        public static let other = Code(rawValue: "other")
    }

    /// What kind of failure this is.
    public var code: Code
    /// One sentence: what went wrong and what to do.
    public var message: String
    /// The underlying cause, when there is one (an errno text, HAProxy's reply…).
    public var cause: String?

    /// Makes an error from a code, a message and an optional cause.
    public init(_ code: Code, _ message: String, cause: String? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The text shown to people.
    public var description: String {
        if let cause, !cause.isEmpty, !message.contains(cause) { return "\(message) (\(cause))" }
        return message
    }
}

extension Result where Failure == SwitchboardError {
    /// Runs `body`, keeping a ``SwitchboardError`` as it is and wrapping any other error as `.other`.
    public static func capturing(_ body: () async throws -> Success) async -> Result<Success, SwitchboardError> {
        do {
            return .success(try await body())
        } catch let error as SwitchboardError {
            return .failure(error)
        } catch {
            return .failure(SwitchboardError(.other, "\(error)"))
        }
    }
}

extension Result where Failure == SwitchboardError {
    /// The synchronous form of ``capturing(_:)-async``.
    public static func capturing(_ body: () throws -> Success) -> Result<Success, SwitchboardError> {
        do {
            return .success(try body())
        } catch let error as SwitchboardError {
            return .failure(error)
        } catch {
            return .failure(SwitchboardError(.other, "\(error)"))
        }
    }
}
