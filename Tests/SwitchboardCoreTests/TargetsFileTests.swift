import SwitchboardCore
import SwitchboardTargets
import Testing

/// The targets file (issue 9): what it accepts, and exact file/line errors for what it refuses.
@Suite("targets file")
struct TargetsFileTests {
    static let valid = """
        # Two balancers in Frankfurt and one over ssh.
        [balancers.lb1]
        address = "/run/haproxy/admin.sock"
        label = "lb1 fra"
        colour = "red"

        [balancers.lb2]
        address = "tcp://10.1.2.3:9999"
        read_only = true
        timeout = 3

        [balancers.lb3]
        address = "ssh://ops@lb3.example.net:2222/run/haproxy/admin.sock"
        ssh_command = "ssh -F /etc/switchboard/ssh_config"
        sudo = true

        [groups]
        default = ["lb1", "lb3"]
        all = ["lb3", "lb2", "lb1"]

        """

    @Test func aValidFileKeepsItsOrderAndEveryField() throws {
        let file = try TargetsFile(toml: Self.valid, file: "t.toml")
        #expect(file.balancers.map(\.name) == ["lb1", "lb2", "lb3"])
        #expect(file.balancers[0].label == "lb1 fra" && file.balancers[0].colour == .red)
        #expect(file.balancers[0].address == .unix(path: "/run/haproxy/admin.sock"))
        #expect(file.balancers[1].readOnly && file.balancers[1].timeout == 3)
        #expect(file.balancers[1].safety == .exposedTCP)
        #expect(file.balancers[1].label == "lb2")
        let ssh = file.balancers[2]
        #expect(
            ssh.address
                == .ssh(.init(user: "ops", host: "lb3.example.net", port: 2222, path: "/run/haproxy/admin.sock")))
        #expect(ssh.sshCommand == "ssh -F /etc/switchboard/ssh_config" && ssh.sudo && ssh.safety == .ssh)
        #expect(file.groups.map(\.name) == ["default", "all"])
        #expect(try file.select(targets: [], group: nil).map(\.name) == ["lb1", "lb3"])
        #expect(try file.select(targets: [], group: "all").map(\.name) == ["lb3", "lb2", "lb1"])
        #expect(try file.select(targets: ["lb2"], group: nil).map(\.name) == ["lb2"])
        #expect(throws: SwitchboardError.self) { try file.select(targets: ["lb9"], group: nil) }
        #expect(throws: SwitchboardError.self) { try file.select(targets: [], group: "eu") }
    }

    @Test func withoutADefaultGroupEveryBalancerIsPicked() throws {
        let file = try TargetsFile(
            toml: "[balancers.a]\naddress = \"/a.sock\"\n[balancers.b]\naddress = \"tcp://127.0.0.1:9\"\n", file: "t")
        #expect(try file.select(targets: [], group: nil).map(\.name) == ["a", "b"])
        #expect(file.balancers[1].safety == .loopbackTCP)
    }

    @Test(arguments: [
        ("[balancers.lb1]\naddress = \"/a.sock\"\nlabel = \"x\n", 3, "while parsing string"),
        ("[balancers.lb1]\naddress = \"/a.sock\"\ncolor = \"pink\"\n", 3, "unknown colour 'pink'"),
        (
            "[balancers.lb1]\naddress = \"/a\"\n\n[balancers.lb2]\naddress = \"tcp://300.1.1.1:9\"\n", 5,
            "not an IPv4 address"
        ),
        ("[balancers.lb1]\naddress = \"/a.sock\"\nreadonly = true\n", 3, "unknown field 'readonly'"),
        ("[balancers.lb1]\naddress = \"/a.sock\"\n\n[groups]\ndefault = [\"lb1\", \"lb2\"]\n", 5, "names 'lb2'"),
        ("[balancers.lb1]\naddress = \"/a.sock\"\ntimeout = 600\n", 3, "timeout must be"),
        ("[balancers.lb1]\naddress = \"ssh://h/x y.sock\"\n", 2, "may not contain spaces"),
        ("[balancers.lb1]\naddress = \"/a.sock\"\nsudo = true\n", 3, "applies only to an ssh:// address"),
        (
            "[balancers.lb1]\naddress = \"/a.sock\"\nmaster_socket = \"tcp://300.1.1.1:9\"\n", 3,
            "master_socket: 'tcp://300.1.1.1:9': 300.1.1.1 is not"
        ),
    ])
    func aBadFileNamesTheFileTheLineAndTheProblem(text: String, line: Int, problem: String) throws {
        let error = try #require(throws: TargetsFileError.self) { try TargetsFile(toml: text, file: "/etc/t.toml") }
        #expect(error.file == "/etc/t.toml")
        #expect(error.line == line, "\(error)")
        #expect(error.problem.contains(problem), "\(error)")
        #expect(error.description.hasPrefix("targets /etc/t.toml, line \(line): "))
    }

    /// `master_socket` (for `drain --wait` across a reload): a local path, or a bare path on an ssh:// balancer's
    /// own host through the same ssh.
    @Test func aMasterSocketIsOnTheBalancersOwnHost() throws {
        let file = try TargetsFile(
            toml: """
                [balancers.lb1]
                address = "/run/haproxy/admin.sock"
                master_socket = "/run/haproxy-master.sock"
                [balancers.lb2]
                address = "ssh://ops@lb2:2222/run/haproxy/admin.sock"
                master_socket = "/run/haproxy-master.sock"
                [balancers.lb3]
                address = "/a.sock"
                """, file: "t")
        #expect(file.balancers[0].masterSocket == .unix(path: "/run/haproxy-master.sock"))
        #expect(
            file.balancers[1].masterSocket
                == .ssh(.init(user: "ops", host: "lb2", port: 2222, path: "/run/haproxy-master.sock")))
        #expect(file.balancers[2].masterSocket == nil)
    }

    @Test func aFileWithoutBalancersOrWithAMissingAddressIsRefused() {
        #expect(throws: TargetsFileError.self) { try TargetsFile(toml: "[groups]\n", file: "t") }
        let missing = #expect(throws: TargetsFileError.self) {
            try TargetsFile(toml: "[balancers.lb1]\nlabel = \"x\"\n", file: "t")
        }
        #expect(missing?.problem == "balancers.lb1 has no address")
        #expect(missing?.line == 1)
    }

    @Test func sshAddressesAreParsedAndChecked() throws {
        #expect(
            try SSHSocketAddress(parsing: "ssh://lb2/run/haproxy/admin.sock")
                == .init(user: nil, host: "lb2", port: nil, path: "/run/haproxy/admin.sock"))
        #expect(try SSHSocketAddress(parsing: "ssh://ops@[::1]:22/x.sock").port == 22)
        for bad in [
            "ssh://lb2", "ssh:///x.sock", "ssh://-oProxyCommand=x/a.sock", "ssh://a;b/x.sock", "ssh://h/x'y",
            "ssh://h:0/x.sock", "ssh://bad user@h/x.sock",
        ] {
            #expect(throws: SwitchboardError.self, "\(bad)") { try ControlSocketAddress(parsing: bad) }
        }
        #expect(
            try ControlSocketAddress(parsing: "ssh://ops@lb2:2222/a.sock").description == "ssh://ops@lb2:2222/a.sock")
        #expect(try ControlSocketAddress(parsing: "tcp://10.0.0.1:9").isExposedTCP)
        #expect(!(try ControlSocketAddress(parsing: "tcp://127.0.0.1:9").isExposedTCP))
    }
}
