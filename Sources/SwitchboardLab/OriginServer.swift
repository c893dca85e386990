import NIOCore
import NIOHTTP1
import NIOPosix
import SwitchboardCore
import Synchronization

/// A demo origin: a small SwiftNIO HTTP server on 127.0.0.1 that answers health checks (`/health`)
/// and requests, with a little latency, and counts the requests it served.
///
/// Tests make it misbehave: ``Behavior/failing`` answers 503 (checks fail at L7), ``stop()`` closes the
/// listener (checks fail at L4), ``start()`` listens again on the same port.
public final class OriginServer: Sendable {
    /// How the origin answers.
    public enum Behavior: Sendable, Hashable {
        /// 200 to everything.
        case healthy
        /// 503 to everything, health checks included.
        case failing
        /// Overloaded but still passing its health checks (so HAProxy keeps it UP): requests wait `delay`
        /// more, and `errorPercent` of them (evenly spread) get a 503.
        case overloaded(delay: Duration, errorPercent: Int)
    }

    /// The `backend/server` this origin stands behind.
    public let name: String
    /// Its port on 127.0.0.1.
    public let port: Int
    /// Delay before answering a request (not health checks).
    public let latency: Duration

    private let core: OriginCore
    private let listener: Mutex<(any Channel)?>
    private let group: any EventLoopGroup

    private init(core: OriginCore, port: Int, channel: any Channel, group: any EventLoopGroup) {
        self.core = core
        self.name = core.name
        self.latency = core.latency
        self.port = port
        self.listener = Mutex(channel)
        self.group = group
    }

    /// Starts an origin on a free port of 127.0.0.1.
    public static func start(
        name: String, latency: Duration = .milliseconds(5), healthLatency: Duration = .zero,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> OriginServer {
        let core = OriginCore(name: name, latency: latency, healthLatency: healthLatency)
        let channel = try await bind(core: core, port: 0, group: group)
        return OriginServer(core: core, port: channel.localAddress?.port ?? 0, channel: channel, group: group)
    }

    /// Requests served (health checks excluded).
    public var served: Int { core.state.withLock { $0.served } }
    /// Current behaviour.
    public var behavior: Behavior { core.state.withLock { $0.behavior } }
    /// True while listening.
    public var isListening: Bool { listener.withLock { $0 != nil } }

    /// Changes how the origin answers.
    public func setBehavior(_ behavior: Behavior) { core.state.withLock { $0.behavior = behavior } }

    /// Resets the request counter.
    public func resetCount() { core.state.withLock { $0.served = 0 } }

    /// Stops listening: new connections (and health checks) are refused.
    public func stop() async {
        let channel = listener.withLock { value -> (any Channel)? in
            defer { value = nil }
            return value
        }
        try? await channel?.close()
    }

    /// Listens again on the same port.
    public func start() async throws {
        guard !isListening else { return }
        let channel = try await Self.bind(core: core, port: port, group: group)
        listener.withLock { $0 = channel }
    }

    private static func bind(core: OriginCore, port: Int, group: any EventLoopGroup) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(OriginHandler(origin: core))
                }
            }
            .bind(host: "127.0.0.1", port: port)
            .get()
    }
}

/// The shared, lock-protected state of an origin, referenced by its connection handlers.
final class OriginCore: Sendable {
    struct State {
        var behavior: OriginServer.Behavior = .healthy
        var served = 0
        /// Error share accumulated under ``OriginServer/Behavior/overloaded(delay:errorPercent:)``, in percent.
        var errorCarry = 0
    }

    let name: String
    let latency: Duration
    let healthLatency: Duration
    let state = Mutex(State())

    init(name: String, latency: Duration, healthLatency: Duration) {
        self.name = name
        self.latency = latency
        self.healthLatency = healthLatency
    }

    func record(path: String) -> (status: HTTPResponseStatus, delay: Duration) {
        state.withLock { state in
            let isHealth = path.hasPrefix("/health")
            if !isHealth { state.served += 1 }
            if state.behavior == .failing { return (.serviceUnavailable, .zero) }
            var extra = Duration.zero
            if case .overloaded(let delay, let errorPercent) = state.behavior, !isHealth {
                state.errorCarry += min(100, max(0, errorPercent))
                if state.errorCarry >= 100 {
                    state.errorCarry -= 100
                    return (.serviceUnavailable, delay)
                }
                extra = delay
            }
            if path.hasSuffix("/err") { return (.internalServerError, extra) }
            if let marker = path.firstRange(of: "/slow-"),
                let milliseconds = Int(path[marker.upperBound...].prefix { $0.isNumber }), !isHealth
            {
                return (.ok, .milliseconds(min(milliseconds, 30_000)) + extra)  // `/…/slow-5000`: holds 5 s
            }
            return (.ok, isHealth ? healthLatency : latency + extra)
        }
    }
}

/// Answers one request at a time on a connection.
private final class OriginHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let origin: OriginCore
    var path = "/"
    var keepAlive = true

    init(origin: OriginCore) { self.origin = origin }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            path = head.uri
            keepAlive = head.isKeepAlive
        case .body:
            break
        case .end:
            let (status, delay) = origin.record(path: path)
            let body = "\(origin.name) \(status.code)\n"
            let keepAlive = self.keepAlive
            let respond = {
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: "text/plain")
                headers.add(name: "Content-Length", value: "\(body.utf8.count)")
                headers.add(name: "X-Origin", value: self.origin.name)
                if !keepAlive { headers.add(name: "Connection", value: "close") }
                context.write(
                    self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                    promise: nil)
                var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
                buffer.writeString(body)
                context.write(self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
                let done = context.writeAndFlush(self.wrapOutboundOut(.end(nil)))
                if !keepAlive { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
            }
            if delay == .zero {
                respond()
            } else {
                let (seconds, attoseconds) = delay.components
                context.eventLoop.assumeIsolated().scheduleTask(
                    in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
                ) { respond() }
            }
        }
    }
}
