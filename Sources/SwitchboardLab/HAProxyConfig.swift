/// Renders a ``LabSpec`` into a haproxy.cfg where everything listens on 127.0.0.1.
public struct HAProxyConfig: Sendable {
    /// Ports and paths the config refers to.
    public struct Endpoints: Sendable, Hashable {
        /// The lab's private directory (sockets live here).
        public var directory: String
        /// The HTTP frontend port; `/BACKEND/...` routes to BACKEND.
        public var frontendPort: Int
        /// The TCP admin socket port.
        public var adminTCPPort: Int
        /// Origin port of each server that has one, by `backend/server`.
        public var originPorts: [String: Int]
        /// Agent port of each server with an agent check, by `backend/server`.
        public var agentPorts: [String: Int]
        /// A port where nothing listens.
        public var closedPort: Int
    }

    /// The rendered configuration text.
    public let text: String

    /// The host map's file text for `spec` (empty without routes).
    public static func hostMap(_ spec: LabSpec) -> String {
        spec.routes.map { "\($0.host) \($0.backend)\n" }.joined()
    }

    /// Renders `spec` with `endpoints`.
    public init(spec: LabSpec, endpoints: Endpoints) {
        let dir = endpoints.directory
        var lines: [String] = [
            "global",
            "    stats socket \(dir)/admin.sock mode 600 level admin",
            "    stats socket \(dir)/operator.sock mode 600 level operator",
            "    stats socket \(dir)/user.sock mode 600 level user",
            "    stats socket ipv4@127.0.0.1:\(endpoints.adminTCPPort) level admin",
            "    stats timeout 2m",
            "    hard-stop-after \(spec.hardStopAfterSeconds)s",
        ]
        if spec.serverStateFile { lines.append("    server-state-file \(dir)/server-state") }
        lines += spec.globalLines.map { "    " + $0 }
        lines +=
            [
                "",
                "defaults",
                "    mode http",
                "    timeout connect 1s",
                "    timeout client 10s",
                "    timeout server 10s",
                "    timeout queue 2s",
                "    retries 1",
                "    option redispatch",
                "    default-server inter \(spec.checkIntervalMilliseconds) fall \(spec.fall) rise \(spec.rise)",
            ] + (spec.serverStateFile ? ["    load-server-state-from-file global"] : []) + [
                "",
                "frontend fe_main",
                "    bind 127.0.0.1:\(endpoints.frontendPort)",
            ]
        if !spec.routes.isEmpty {
            let lookup = "req.hdr(host),lower,word(1,:),map(\(dir)/hosts.map)"
            lines.append("    use_backend %[\(lookup)] if { \(lookup) -m found }")
        }
        for backend in spec.backends {
            lines.append("    use_backend \(backend.name) if { path_beg /\(backend.name)/ }")
        }
        if let first = spec.backends.first { lines.append("    default_backend \(first.name)") }
        for backend in spec.backends {
            lines += [
                "", "backend \(backend.name)", "    balance \(backend.balance)", "    option httpchk GET /health",
            ]
            if backend.allBackups { lines.append("    option allbackups") }
            if backend.servers.contains(where: { $0.cookie != nil }) {
                lines.append("    cookie SRV insert indirect nocache")
            }
            for server in backend.servers {
                let key = "\(backend.name)/\(server.name)"
                let port: Int
                switch server.target {
                case .origin: port = endpoints.originPorts[key] ?? endpoints.closedPort
                case .closedPort: port = endpoints.closedPort
                case .sharedOrigin(let index): port = endpoints.originPorts["shared/\(index)"] ?? endpoints.closedPort
                }
                var words = ["    server \(server.name) 127.0.0.1:\(port)", "weight \(server.weight)"]
                if let track = server.track {
                    words.append("track \(track)")
                } else if server.check {
                    words.append("check")
                }
                if server.backup { words.append("backup") }
                if server.disabled { words.append("disabled") }
                if let maxConnections = server.maxConnections { words.append("maxconn \(maxConnections)") }
                if let cookie = server.cookie {
                    // haproxy.cfg: inside double quotes, a backslash escapes `"` and `\\`.
                    let escaped = cookie.replacing("\\", with: "\\\\")
                        .replacing("\"", with: "\\\"")
                    words.append("cookie \"\(escaped)\"")
                }
                if server.agentReply != nil, let agentPort = endpoints.agentPorts[key] {
                    words.append("agent-check agent-port \(agentPort) agent-inter \(spec.checkIntervalMilliseconds)")
                }
                lines.append(words.joined(separator: " "))
            }
        }
        text = lines.joined(separator: "\n") + "\n"
    }
}
