import NIOCore
import NIOPosix
import Synchronization

/// A HAProxy agent-check responder on 127.0.0.1: answers each connection with one line
/// (`up`, `drain`, `ready`, `50%`…) and closes it.
public final class AgentServer: Sendable {
    /// Its port.
    public let port: Int
    private let box: ReplyBox
    private let channel: Mutex<(any Channel)?>

    private init(port: Int, box: ReplyBox, channel: any Channel) {
        self.port = port
        self.box = box
        self.channel = Mutex(channel)
    }

    /// Starts an agent answering `reply`.
    public static func start(reply initial: String, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
        async throws -> AgentServer
    {
        let box = ReplyBox(initial)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                var buffer = channel.allocator.buffer(capacity: 16)
                buffer.writeString(box.current + "\n")
                return channel.writeAndFlush(buffer).flatMap { channel.close() }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return AgentServer(port: channel.localAddress?.port ?? 0, box: box, channel: channel)
    }

    /// Changes what the agent answers from the next check on.
    public func setReply(_ text: String) { box.reply.withLock { $0 = text } }

    /// Stops listening.
    public func stop() async {
        let current = channel.withLock { value -> (any Channel)? in
            defer { value = nil }
            return value
        }
        try? await current?.close()
    }
}

private final class ReplyBox: Sendable {
    let reply: Mutex<String>
    init(_ initial: String) { reply = Mutex(initial) }
    var current: String { reply.withLock { $0 } }
}
