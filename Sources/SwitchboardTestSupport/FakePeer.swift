import NIOCore
import NIOPosix
import Synchronization

/// A TCP peer on 127.0.0.1 that is *not* HAProxy: it either never answers (a hung socket) or answers
/// with fixed bytes and closes. It records every byte it receives, so tests can prove nothing was sent.
public final class FakePeer: Sendable {
    /// How the peer behaves.
    public enum Mode: Sendable {
        /// Accepts and never answers.
        case silent
        /// Answers every connection with these bytes, then closes.
        case reply(String)
        /// Sends one newline every `interval` (at most 200), never a prompt: a peer that trickles.
        case trickle(interval: Duration)
    }

    /// Its port.
    public let port: Int
    private let channel: any Channel
    private let log: ReceivedLog

    private init(port: Int, channel: any Channel, log: ReceivedLog) {
        self.port = port
        self.channel = channel
        self.log = log
    }

    /// Starts a peer.
    public static func start(_ mode: Mode) async throws -> FakePeer {
        let log = ReceivedLog()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                log.connected()
                return child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Recorder(log: log, mode: mode))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return FakePeer(port: channel.localAddress?.port ?? 0, channel: channel, log: log)
    }

    /// `tcp://127.0.0.1:PORT`.
    public var address: String { "tcp://127.0.0.1:\(port)" }
    /// Bytes received so far, over every connection.
    public var receivedBytes: Int { log.state.withLock { $0.bytes } }
    /// Connections accepted so far.
    public var connections: Int { log.state.withLock { $0.connections } }

    /// Stops listening.
    public func stop() async { try? await channel.close() }
}

private final class ReceivedLog: Sendable {
    struct State {
        var bytes = 0
        var connections = 0
    }
    let state = Mutex(State())
    func connected() { state.withLock { $0.connections += 1 } }
}

private final class Recorder: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let log: ReceivedLog
    let mode: FakePeer.Mode

    init(log: ReceivedLog, mode: FakePeer.Mode) {
        self.log = log
        self.mode = mode
    }

    func channelActive(context: ChannelHandlerContext) {
        if case .reply(let text) = mode {
            var buffer = context.channel.allocator.buffer(capacity: text.utf8.count)
            buffer.writeString(text)
            context.writeAndFlush(NIOAny(buffer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
        if case .trickle(let interval) = mode {
            let (seconds, attoseconds) = interval.components
            let amount = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            let channel = context.channel
            for step in 1...200 {  // bounded: 200 bytes, then it stops by itself
                channel.eventLoop.scheduleTask(in: amount * Int64(step)) {
                    var buffer = channel.allocator.buffer(capacity: 1)
                    buffer.writeString("\n")
                    channel.writeAndFlush(buffer, promise: nil)
                }
            }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let count = unwrapInboundIn(data).readableBytes
        log.state.withLock { $0.bytes += count }
    }
}
