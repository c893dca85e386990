import NIOCore

/// Frames HAProxy Runtime API replies.
///
/// In prompt mode every reply ends with the prompt `"\n> "` (the first reply, to `prompt` itself, is
/// just `"\n> "`). The blank line the manual promises is not relied on: several errors lack it. A reply
/// is complete when the bytes received so far end with the prompt; a content line starting with `"> "`
/// that happens to end a TCP segment would cut a reply short, but names, CSV rows and numbers never
/// start that way, and a desynchronised session is closed and reopened by the driver.
///
/// In one-shot mode (``Framing/endOfFile``) the reply is everything until the peer closes.
struct ReplyFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    enum Framing: Sendable {
        /// Replies end with `"\n> "`.
        case prompt
        /// The reply ends when the peer closes.
        case endOfFile
    }

    let framing: Framing

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard framing == .prompt else { return .needMoreData }
        let count = buffer.readableBytes
        guard count >= 2 else { return .needMoreData }
        let start = buffer.readerIndex
        guard buffer.getInteger(at: start + count - 2, as: UInt8.self) == UInt8(ascii: ">"),
            buffer.getInteger(at: start + count - 1, as: UInt8.self) == UInt8(ascii: " "),
            count == 2 || buffer.getInteger(at: start + count - 3, as: UInt8.self) == UInt8(ascii: "\n")
        else { return .needMoreData }
        let body = buffer.readSlice(length: count - 2)!
        buffer.moveReaderIndex(forwardBy: 2)
        context.fireChannelRead(wrapInboundOut(body))
        return .continue
    }

    mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        if framing == .endOfFile, seenEOF, buffer.readableBytes > 0 {
            let body = buffer.readSlice(length: buffer.readableBytes)!
            context.fireChannelRead(wrapInboundOut(body))
        }
        // In prompt mode a partial reply at EOF is not a reply: the pending request fails as "connection lost".
        return .needMoreData
    }
}
