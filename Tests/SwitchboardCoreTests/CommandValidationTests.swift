import SwitchboardCore
import Testing

@Suite("Validated commands")
struct CommandValidationTests {
    @Test(arguments: ["web;1", "web 1", "web\n1", "web\t1", "", "we/b", "wéb", "a\\;b", "x'", "show info;"])
    func refusesNamesOutsideHAProxysAlphabet(name: String) {
        #expect {
            try ObjectName(name, kind: "server")
        } throws: { error in
            (error as? SwitchboardError)?.code == .invalidName
        }
    }

    @Test(arguments: ["web1", "be_app", "s:1", "be-x.y:z_1", "A9"])
    func acceptsHAProxyNames(name: String) throws {
        #expect(try ObjectName(name).value == name)
    }

    @Test func errorSaysWhichCharacter() {
        do {
            _ = try ServerRef(parsing: "be_app/web;reload")
            Issue.record("accepted a ';'")
        } catch let error as SwitchboardError {
            #expect(error.message.contains("';'"))
            #expect(error.message.contains("nothing was sent"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func serverRefParsing() throws {
        #expect(try ServerRef(parsing: "be_app/web1").description == "be_app/web1")
        #expect(throws: SwitchboardError.self) { try ServerRef(parsing: "web1") }
        #expect(throws: SwitchboardError.self) { try ServerRef(parsing: "be/a/b") }
    }

    @Test func weights() throws {
        #expect(try WeightValue(parsing: "0") == .absolute(0))
        #expect(try WeightValue(parsing: "256") == .absolute(256))
        #expect(try WeightValue(parsing: "50%") == .percent(50))
        #expect(try WeightValue(parsing: "100%") == .percent(100))
        for bad in ["257", "-1", "300%", "101%", "abc", "10abc", "", "%", "1e3", "5.5"] {
            #expect(throws: SwitchboardError.self, "\(bad)") { try WeightValue(parsing: bad) }
        }
        #expect(WeightValue.percent(50).resolved(initialWeight: 30) == 15)
        #expect(WeightValue.percent(100).resolved(initialWeight: 256) == 256)
    }

    @Test func commandLines() throws {
        let ref = try ServerRef(parsing: "be_app/web1")
        #expect(RuntimeCommand.setState(ref, .drain).line == "set server be_app/web1 state drain")
        #expect(RuntimeCommand.setWeight(ref, .percent(50)).line == "set server be_app/web1 weight 50%")
        #expect(RuntimeCommand.setHealth(ref, .down).line == "set server be_app/web1 health down")
        #expect(RuntimeCommand.healthChecks(ref, enabled: false).line == "disable health be_app/web1")
        #expect(RuntimeCommand.shutdownSessions(ref).line == "shutdown sessions server be_app/web1")
        #expect(RuntimeCommand.showStat(.backendsOnly).line == "show stat -1 2 -1")
        #expect(RuntimeCommand.showStat(.servers(ofProxy: 5)).line == "show stat 5 4 -1")
        #expect(RuntimeCommand.showStat().line == "show stat")
        #expect(RuntimeCommand.setState(ref, .maint).isWrite)
        #expect(!RuntimeCommand.showInfo.isWrite)
    }

    @Test func rangeChecks() throws {
        let ref = try ServerRef(parsing: "be/s")
        #expect(throws: SwitchboardError.self) { try RuntimeCommand.setMaxConnections(ref, -5) }
        #expect(try RuntimeCommand.setMaxConnections(ref, 0).line == "set maxconn server be/s 0")
        #expect(throws: SwitchboardError.self) { try RuntimeCommand.setAddress(ref, ip: "127.0.0.1", port: 99999) }
        #expect(throws: SwitchboardError.self) { try RuntimeCommand.setAddress(ref, ip: "127.0.0.1", port: 0) }
        #expect(throws: SwitchboardError.self) { try RuntimeCommand.setAddress(ref, ip: "localhost", port: 80) }
        #expect(
            try RuntimeCommand.setAddress(ref, ip: "10.0.0.1", port: 8080).line
                == "set server be/s addr 10.0.0.1 port 8080")
    }

    @Test func rawCommands() throws {
        #expect(try !RuntimeCommand.raw("show stat").isWrite)
        #expect(try RuntimeCommand.raw("set server a/b state drain").isWrite)
        #expect(throws: SwitchboardError.self) { try RuntimeCommand.raw("show info;disable frontend fe") }
        #expect(throws: SwitchboardError.self) { try RuntimeCommand.raw("show info\nshow stat") }
        #expect(throws: SwitchboardError.self) { try RuntimeCommand.raw("   ") }
    }

    @Test func socketAddresses() throws {
        #expect(try ControlSocketAddress(parsing: "/run/haproxy/admin.sock") == .unix(path: "/run/haproxy/admin.sock"))
        #expect(try ControlSocketAddress(parsing: "unix:///x.sock") == .unix(path: "/x.sock"))
        #expect(try ControlSocketAddress(parsing: "tcp://127.0.0.1:9999") == .tcp(host: "127.0.0.1", port: 9999))
        #expect(try ControlSocketAddress(parsing: "tcp://[::1]:9999") == .tcp(host: "::1", port: 9999))
        #expect(try ControlSocketAddress(parsing: "tcp://[::1]:9999").description == "tcp://[::1]:9999")
        for bad in ["tcp://127.0.0.1", "tcp://:80", "tcp://h:99999", "tcp://h:x", ""] {
            #expect(throws: SwitchboardError.self, "\(bad)") { try ControlSocketAddress(parsing: bad) }
        }
    }
}
