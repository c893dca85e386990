import NIOCore
import NIOEmbedded
import Testing

@testable import HAProxyDriver

/// The framing, on the exact byte sequences measured on HAProxy 2.6 (reference §1).
@Suite("Reply framing")
struct ReplyFrameDecoderTests {
    func frames(_ chunks: [String], framing: ReplyFrameDecoder.Framing = .prompt, close: Bool = false) throws
        -> [String]
    {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(ReplyFrameDecoder(framing: framing)))
        for chunk in chunks {
            var buffer = channel.allocator.buffer(capacity: chunk.utf8.count)
            buffer.writeString(chunk)
            try channel.writeInbound(buffer)
        }
        if close { try? channel.close().wait() }
        var replies: [String] = []
        while let reply = try channel.readInbound(as: ByteBuffer.self) { replies.append(String(buffer: reply)) }
        _ = try? channel.finish()
        return replies
    }

    @Test func promptReplies() throws {
        #expect(try frames(["\n> "]) == ["\n"])
        #expect(try frames(["100 (initial 100)\n\n> "]) == ["100 (initial 100)\n\n"])
    }

    @Test func errorWithoutBlankLine() throws {
        #expect(
            try frames(["Empty weight string empty or preceded by garbage\n> "]) == [
                "Empty weight string empty or preceded by garbage\n"
            ])
    }

    @Test func splitAcrossReads() throws {
        #expect(try frames(["# pxname,svname\nbe,s1", ",UP\n", "\n", "> "]) == ["# pxname,svname\nbe,s1,UP\n\n"])
        #expect(try frames(["abc\n>", " "]) == ["abc\n"])
    }

    /// Commands are never pipelined, so bytes that end with a prompt are one reply.
    @Test func noPipelining() throws {
        #expect(try frames(["100 (initial 100)\n\n> 100 (initial 100)\n\n> "]).count == 1)
    }

    @Test func promptInsideALineIsNotAnEnd() throws {
        #expect(try frames(["a > b\n"]) == [])
        #expect(try frames(["x> "]) == [])
    }

    @Test func oneShotEndsAtEOF() throws {
        #expect(try frames(["admin\n", "\n"], framing: .endOfFile, close: true) == ["admin\n\n"])
    }

    @Test func promptModePartialReplyAtEOFIsDropped() throws {
        #expect(try frames(["partial"], framing: .prompt, close: true) == [])
    }
}
