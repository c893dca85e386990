import SwitchboardCore

/// One balancer the operator named: where its control socket is and how to show and treat it.
public struct BalancerTarget: Sendable, Hashable {
    /// The name in the targets file (`[balancers.NAME]`), or the address when given with `--socket`.
    public var name: String
    /// Where the control socket is.
    public var address: ControlSocketAddress
    /// What the console's balancer strip and `status` call it.
    public var label: String
    /// A production cue: the header and frame take this colour.
    public var colour: TargetColour?
    /// Never send changes to this balancer, whatever its socket's level.
    public var readOnly: Bool
    /// Seconds to wait for a connect or a reply (overrides `--timeout`).
    public var timeout: Double?
    /// Replaces `ssh` for an `ssh://` address (as `GIT_SSH_COMMAND` does).
    public var sshCommand: String?
    /// Run the remote bridge under `sudo -n`.
    public var sudo: Bool
    /// The balancer's master CLI (`haproxy -S`), where `drain --wait` counts an old worker's sessions after a
    /// reload; on the same host as an `ssh://` address when given as a bare path.
    public var masterSocket: ControlSocketAddress?

    /// Makes a target.
    public init(
        name: String, address: ControlSocketAddress, label: String? = nil, colour: TargetColour? = nil,
        readOnly: Bool = false, timeout: Double? = nil, sshCommand: String? = nil, sudo: Bool = false,
        masterSocket: ControlSocketAddress? = nil
    ) {
        self.name = name
        self.address = address
        self.label = label ?? name
        self.colour = colour
        self.readOnly = readOnly
        self.timeout = timeout
        self.sshCommand = sshCommand
        self.sudo = sudo
        self.masterSocket = masterSocket
    }

    /// The master socket written as `text` for this balancer: a bare path on an `ssh://` balancer is on that host.
    public func masterAddress(parsing text: String) throws -> ControlSocketAddress {
        if text.hasPrefix("/"), case .ssh(let ssh) = address {
            return .ssh(SSHSocketAddress(user: ssh.user, host: ssh.host, port: ssh.port, path: text))
        }
        return try ControlSocketAddress(parsing: text)
    }

    /// A target for an address typed with `--socket`: its label is the address' last path component or host.
    public static func adHoc(_ address: ControlSocketAddress) -> BalancerTarget {
        BalancerTarget(name: address.description, address: address)
    }

    /// How safe the address is to use: a local socket, ssh, or a TCP socket without authentication or encryption.
    public var safety: AddressSafety {
        switch address {
        case .unix: .localSocket
        case .ssh: .ssh
        case .tcp: address.isExposedTCP ? .exposedTCP : .loopbackTCP
        }
    }
}

/// How an address is protected.
public enum AddressSafety: String, Sendable, Hashable, Codable {
    /// A unix socket on this host: file permissions guard it.
    case localSocket = "local"
    /// Through ssh: authenticated and encrypted.
    case ssh
    /// TCP on loopback: reachable by every local user.
    case loopbackTCP = "tcp-loopback"
    /// TCP to another host: no authentication and no encryption — anyone on the path can read and send commands.
    case exposedTCP = "tcp-exposed"

    /// One line for the operator.
    public var explanation: String {
        switch self {
        case .localSocket: "local socket (file permissions)"
        case .ssh: "ssh (authenticated, encrypted)"
        case .loopbackTCP: "TCP on loopback (any local user)"
        case .exposedTCP: "UNSAFE: TCP without auth or encryption — prefer ssh://"
        }
    }
}

/// The colours a target can take (the terminal's basic eight, minus black).
public enum TargetColour: String, Sendable, Hashable, CaseIterable, Codable {
    case red, green, yellow, blue, magenta, cyan, white
}
