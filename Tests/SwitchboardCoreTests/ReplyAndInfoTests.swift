import SwitchboardCore
import SwitchboardTestSupport
import Testing

@Suite("show info, servers state and command replies")
struct ReplyAndInfoTests {
    @Test func showInfo() throws {
        let info = try ShowInfo(parsing: try Fixtures.text("show-info.txt"))
        #expect(info.pid > 0)
        #expect(!info.stopping)
        let balancer = info.balancerInfo(socket: "/x.sock", level: .operator)
        #expect(balancer.product == "HAProxy")
        #expect(balancer.version.hasPrefix("2.6."))
        #expect(balancer.level == .operator)
        #expect(balancer.maxConnections > 0)
    }

    @Test func showInfoStopping() throws {
        let text = try Fixtures.text("show-info.txt").replacingOccurrences(of: "Stopping: 0", with: "Stopping: 1")
        #expect(try ShowInfo(parsing: text).stopping)
    }

    @Test func showInfoRejectsOtherText() {
        #expect(throws: SwitchboardError.self) { try ShowInfo(parsing: "HTTP/1.1 400 Bad Request\r\n\r\n") }
    }

    @Test func serversState() throws {
        let state = try ServersState(parsing: try Fixtures.text("show-servers-state.txt"))
        #expect(state.rows.count == 11)
        let app2 = try #require(state["be_app", "app2"])
        #expect(app2.adminMask == 8 && app2.operationalState == 2 && app2.userWeight == 50 && app2.initialWeight == 50)
        #expect(state["be_app", "app5"]?.checksEnabled == false)
        #expect(state["be_app", "app1"]?.agentEnabled == true)
        #expect(state["be_app", "app2"]?.agentEnabled == false)
        #expect(state["be_app", "app3"]?.port != nil)
    }

    /// Every recorded refusal maps to its error code; successes do not throw.
    @Test func recordedRepliesMapToErrors() throws {
        let replies = try Fixtures.text("replies.txt")
        var sections: [String: String] = [:]
        var current = ""
        for line in replies.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("=== ") {
                current = String(line.dropFirst(4))
                sections[current] = ""
            } else {
                sections[current, default: ""] += line + "\n"
            }
        }
        func code(_ command: String) throws -> SwitchboardError.Code? {
            let raw = try #require(sections[command]).drop { $0 == "\n" }
            do {
                _ = try HAProxyReply.check(String(raw), command: command)
                return nil
            } catch let error as SwitchboardError {
                return error.code
            }
        }
        #expect(try code("set server be_app/nosuch state drain") == .noSuchServer)
        #expect(try code("set server nosuch/x state drain") == .noSuchBackend)
        #expect(try code("set server be_app/app1 weight abc") == .refused)
        #expect(try code("set server be_app/app1 weight 300") == .refused)
        #expect(try code("show foo") == .unknownCommand)
        #expect(try code("set server be_app/app1 state bogus") == .refused)
        #expect(try code("set server be_static/s1 weight 50%") == .refused)
        #expect(try code("(user) set server be_app/app1 state drain") == .accessDenied)
        #expect(try code("(operator) set server be_app/app1 weight 10") == .accessDenied)
        #expect(try code("get weight be_app/app2") == nil)
        #expect(try code("set server be_static/s1 weight 0%") == nil)
    }

    @Test func severityTags() {
        #expect(HAProxyReply.message("[3]: No such server.\n\n") == .init(severity: 3, text: "No such server."))
        #expect(HAProxyReply.message("[err]: No such backend.\n") == .init(severity: 3, text: "No such backend."))
        #expect(HAProxyReply.message("[6]: admin\n") == .init(severity: 6, text: "admin"))
        #expect(HAProxyReply.message("100 (initial 100)\n\n") == .init(severity: nil, text: "100 (initial 100)"))
        #expect(HAProxyReply.message("\n") == .init(severity: nil, text: ""))
    }

    @Test func reloadingWorkerRefusal() {
        let error = HAProxyReply.refusal(
            .init(severity: 3, text: "Proxy is disabled."), command: "set server a/b state maint")
        #expect(error?.code == .balancerReloading)
        #expect(error?.message.contains("nothing was changed") == true)
    }

    @Test func untaggedErrorsAreStillErrors() {
        let error = HAProxyReply.refusal(
            .init(severity: nil, text: "Empty weight string empty or preceded by garbage"), command: "x")
        #expect(error?.code == .refused)
        #expect(HAProxyReply.refusal(.init(severity: nil, text: "50 (initial 100)"), command: "x") == nil)
    }
}
