import FoundationEssentials
import NIOCore
import NIOExtras
import NIOPosix
import SwitchboardCore

/// One connection to a control socket: sends a line, returns the framed reply, with a deadline on
/// both the connect and every reply. On a timeout the connection is closed, because its framing can
/// no longer be trusted.
struct ControlConnection: Sendable {
    let channel: any Channel
    let address: ControlSocketAddress
    /// For an `ssh://` address: the ssh process carrying the bytes (killed when the channel closes).
    var ssh: SSHProcess? = nil

    /// The largest reply accepted (a `show stat json` of 10,000 servers is 134 MB; plain CSV is 2.6 MB).
    static let maximumReplyBytes = 256 * 1024 * 1024

    static func open(
        _ address: ControlSocketAddress, framing: ReplyFrameDecoder.Framing, timeout: TimeAmount,
        group: any EventLoopGroup, ssh: SSHOptions = SSHOptions()
    ) async throws -> ControlConnection {
        if case .unix(let path) = address { try SocketErrors.checkPath(path) }
        let initializer: @Sendable (any Channel) -> EventLoopFuture<Void> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers([
                    ByteToMessageHandler(
                        ReplyFrameDecoder(framing: framing), maximumBufferSize: maximumReplyBytes),
                    RequestResponseHandler<ByteBuffer, ByteBuffer>(),
                ])
            }
        }
        if case .ssh(let target) = address {
            let (channel, process) = try await SSHBridge.open(
                target, options: ssh, timeout: timeout, group: group, initializer: initializer)
            return ControlConnection(channel: channel, address: address, ssh: process)
        }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer(initializer)
        do {
            let channel: any Channel
            switch address {
            case .unix(let path): channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
            case .tcp(let host, let port): channel = try await bootstrap.connect(host: host, port: port).get()
            case .ssh: preconditionFailure("handled above")
            }
            return ControlConnection(channel: channel, address: address)
        } catch {
            throw SocketErrors.map(error, address: address, timeout: timeout)
        }
    }

    var isActive: Bool { channel.isActive }

    /// Sends one line and waits for its reply. With `halfClose`, the write side is shut after the line:
    /// HAProxy's master CLI answers a one-shot command only once the client has finished sending.
    func request(_ line: String, timeout: TimeAmount, halfClose: Bool = false) async throws -> ByteBuffer {
        let channel = self.channel
        let promise = channel.eventLoop.makePromise(of: ByteBuffer.self)
        var buffer = channel.allocator.buffer(capacity: line.utf8.count + 1)
        buffer.writeString(line)
        buffer.writeInteger(UInt8(ascii: "\n"))
        let address = self.address
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(SocketErrors.timeout(address: address, timeout: timeout, during: line))
            channel.close(promise: nil)
        }
        // A write to a channel the peer already closed never reaches the response handler: fail the reply too.
        let written: EventLoopFuture<Void> = channel.writeAndFlush((buffer, promise))
        written.whenFailure { promise.fail($0) }
        if halfClose { written.whenSuccess { channel.close(mode: .output, promise: nil) } }
        defer { deadline.cancel() }
        do {
            return try await promise.futureResult.get()
        } catch {
            let mapped = SocketErrors.map(error, address: address, timeout: timeout)
            if let ssh, case .ssh(let target) = address,
                (mapped as? SwitchboardError)?.code != .timeout
            {
                // ssh ended: what it (or the bridge) said is the real reason.
                let outcome = await ssh.outcome(waitingUpTo: 1.5)
                if let failure = SSHBridge.failure(stderr: outcome.stderr, status: outcome.status, target: target) {
                    throw failure
                }
            }
            throw mapped
        }
    }

    func close() async {
        try? await channel.close()
        ssh?.terminate()
    }
}
