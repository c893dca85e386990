/// Who the balancer is: product, version, process, and how we are connected to it.
public struct BalancerInfo: Sendable, Hashable, Codable {
    /// The product, e.g. `HAProxy`.
    public var product: String
    /// The version string, e.g. `2.6.12-1+deb12u4`.
    public var version: String
    /// The worker process id answering on the socket.
    public var pid: Int
    /// Seconds since that worker started.
    public var uptimeSeconds: Int
    /// The node name (`node`), often the host name.
    public var node: String
    /// True on an old worker that is shutting down after a reload.
    public var stopping: Bool
    /// Current connections.
    public var currentConnections: Int
    /// The process' connection limit.
    public var maxConnections: Int
    /// The control socket, as the user would type it.
    public var socket: String
    /// The socket's access level.
    public var level: AccessLevel

    /// Makes balancer information.
    public init(
        product: String = "HAProxy", version: String, pid: Int, uptimeSeconds: Int, node: String = "",
        stopping: Bool = false, currentConnections: Int = 0, maxConnections: Int = 0, socket: String = "",
        level: AccessLevel = .user
    ) {
        self.product = product
        self.version = version
        self.pid = pid
        self.uptimeSeconds = uptimeSeconds
        self.node = node
        self.stopping = stopping
        self.currentConnections = currentConnections
        self.maxConnections = maxConnections
        self.socket = socket
        self.level = level
    }
}
