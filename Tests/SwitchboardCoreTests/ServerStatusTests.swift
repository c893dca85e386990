import SwitchboardCore
import Testing

@Suite("Status texts")
struct ServerStatusTests {
    @Test(arguments: [
        ("UP", ServerStatus.Kind.up, nil as ServerStatus.Progress?, false, nil as String?),
        ("UP 1/3", .up, ServerStatus.Progress(current: 1, needed: 3), false, nil),
        ("DOWN 2/2", .down, ServerStatus.Progress(current: 2, needed: 2), false, nil),
        ("DOWN (agent)", .down, nil, true, nil),
        ("DRAIN (agent)", .drain, nil, true, nil),
        ("DRAIN 1/3", .drain, ServerStatus.Progress(current: 1, needed: 3), false, nil),
        ("MAINT (via be_002/s01)", .maint, nil, false, "be_002/s01"),
        ("MAINT", .maint, nil, false, nil),
        ("NOLB", .nolb, nil, false, nil),
        ("no check", .noCheck, nil, false, nil),
        ("WEIRD 9", .other, nil, false, nil),
        ("", .other, nil, false, nil),
    ])
    func parses(text: String, kind: ServerStatus.Kind, progress: ServerStatus.Progress?, agent: Bool, via: String?) {
        let status = ServerStatus(text)
        #expect(status.text == text)
        #expect(status.kind == kind)
        #expect(status.progress == progress)
        #expect(status.byAgent == agent)
        #expect(status.via == via)
    }

    @Test func adminMaskDecoding() {
        #expect(AdminState(mask: 0).mode == .ready)
        #expect(AdminState(mask: 1) == AdminState(mode: .maint, mask: 1))
        #expect(AdminState(mask: 2) == AdminState(mode: .maint, inherited: true, mask: 2))
        #expect(AdminState(mask: 5) == AdminState(mode: .maint, fromConfig: true, mask: 5))
        #expect(AdminState(mask: 8) == AdminState(mode: .drain, mask: 8))
        #expect(AdminState(mask: 0x10) == AdminState(mode: .drain, inherited: true, mask: 0x10))
        #expect(AdminState(mask: 9).mode == .maint)
    }

    @Test func checkResultStripsRunningMarker() {
        let running = CheckResult(statusText: "* L7OK")
        #expect(running.inProgress && running.status == "L7OK" && running.passed)
        let failed = CheckResult(statusText: "L4CON")
        #expect(!failed.inProgress && !failed.passed)
    }

    @Test func healthFromOperationalState() {
        #expect(Health(operationalState: 0) == .down)
        #expect(Health(operationalState: 1) == .starting)
        #expect(Health(operationalState: 2) == .up)
        #expect(Health(operationalState: 3) == .stopping)
        #expect(Health(operationalState: 9) == .unknown)
    }
}
