import ConsoleApp
import Foundation
import SwitchboardCore
import Testing

/// Golden screens at 80×24, 120×40 and 40×12 (text plus colour layer).
@Suite("Golden screens")
struct GoldenScreenTests {
    static let sizes = [(80, 24), (120, 40), (40, 12)]

    @Test func overview() throws {
        for (width, height) in Self.sizes {
            assertScreen(try ConsoleFixtures.model(width: width, height: height), named: "\(width)x\(height)")
        }
    }

    @Test func filtered() throws {
        for (width, height) in Self.sizes {
            var model = try ConsoleFixtures.model(width: width, height: height)
            ConsoleFixtures.press([.char("/")] + ConsoleFixtures.keys("state:down") + [.enter], &model)
            assertScreen(model, named: "\(width)x\(height)")
        }
    }

    @Test func filterPromptWhileTyping() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24)
        ConsoleFixtures.press([.char("/")] + ConsoleFixtures.keys("be:track"), &model)
        assertScreen(model, named: "80x24")
    }

    @Test func detailPane() throws {
        for (width, height) in Self.sizes {
            var model = try ConsoleFixtures.model(width: width, height: height)
            ConsoleFixtures.press([.down, .down, .enter], &model)  // be_app/app2
            assertScreen(model, named: "\(width)x\(height)")
        }
    }

    @Test func help() throws {
        for (width, height) in Self.sizes {
            var model = try ConsoleFixtures.model(width: width, height: height)
            ConsoleFixtures.press([.char("?")], &model)
            assertScreen(model, named: "\(width)x\(height)")
        }
    }

    @Test func frontends() throws {
        for (width, height) in Self.sizes {
            var model = try ConsoleFixtures.model(width: width, height: height)
            ConsoleFixtures.press([.tab], &model)
            assertScreen(model, named: "\(width)x\(height)")
        }
    }

    @Test func staleAndDisconnected() throws {
        for (width, height) in Self.sizes {
            var model = try ConsoleFixtures.model(width: width, height: height)
            let failure = SwitchboardError(.connectionRefused, "socket /run/haproxy/admin.sock refused the connection")
            _ = ConsoleUpdate.update(
                &model, .refreshed(.failure(failure), at: ConsoleFixtures.start.addingTimeInterval(1)))
            _ = ConsoleUpdate.update(&model, .tick(ConsoleFixtures.start.addingTimeInterval(12)))
            assertScreen(model, named: "\(width)x\(height)")
        }
    }

    @Test func neverConnected() throws {
        var model = ConsoleModel(width: 80, height: 24, now: ConsoleFixtures.start)
        let failure = SwitchboardError(.timeout, "socket tcp://10.0.0.5:9999 did not answer `prompt` within 2.0 s")
        _ = ConsoleUpdate.update(&model, .refreshed(.failure(failure), at: ConsoleFixtures.start))
        assertScreen(model, named: "80x24")
    }

    @Test func terminalTooSmall() throws {
        for (width, height) in [(39, 12), (30, 8), (10, 3)] {
            assertScreen(try ConsoleFixtures.model(width: width, height: height), named: "\(width)x\(height)")
        }
    }

    @Test func readOnlyBadgeAndASCII() throws {
        var model = try ConsoleFixtures.model(width: 80, height: 24, level: .user)
        model.glyphs = .ascii
        model.useColor = false
        assertScreen(model, named: "80x24")
    }
}
