import NIOCore
import NIOHTTP1
import NIOPosix
import SwitchboardCore

/// One HTTP/1.1 GET on loopback, the way a client of the balancer would send it; returns the status code
/// and the `X-Origin` header (which origin served it). Used by the traffic generator and the tests.
public enum HTTPProbe {
    /// The outcome of one request.
    public struct Response: Sendable, Hashable {
        /// HTTP status code.
        public var status: Int
        /// The origin that answered (`X-Origin`), when one did.
        public var origin: String?
    }

    /// Sends `GET path` to `address`:`port` (127.0.0.1 by default) on a new connection and waits for the whole
    /// response; `host` is the Host header (default `address:port`).
    public static func get(
        address: String = "127.0.0.1", port: Int, path: String, host: String? = nil,
        timeout: TimeAmount = .seconds(5), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> Response {
        let promise = group.next().makePromise(of: Response.self)
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                }
            }
            .connect(host: address, port: port).get()
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(SwitchboardError(.timeout, "GET \(path) on port \(port) timed out"))
            channel.close(promise: nil)
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: host ?? "\(address):\(port)")
        headers.add(name: "Connection", value: "close")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        defer {
            deadline.cancel()
            channel.close(promise: nil)
        }
        return try await promise.futureResult.get()
    }
}

private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    let promise: EventLoopPromise<HTTPProbe.Response>
    var response = HTTPProbe.Response(status: 0, origin: nil)

    init(promise: EventLoopPromise<HTTPProbe.Response>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            response.status = Int(head.status.code)
            response.origin = head.headers.first(name: "X-Origin")
        case .body:
            break
        case .end:
            promise.succeed(response)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(SwitchboardError(.connectionLost, "the balancer closed the connection before answering"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
