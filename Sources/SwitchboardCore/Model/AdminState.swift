/// The administrative mode an operator (or the config, or a tracked server) put a server in.
public enum AdminMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// In service.
    case ready
    /// Takes no new sessions (except persistent ones); current sessions finish.
    case drain
    /// Out of service: no traffic, no checks.
    case maint
}

/// A server's administrative state: the mode, and where it comes from.
///
/// Built from `show servers state`'s `srv_admin_state` bit mask when available (the only source that
/// tells MAINT from the CLI, the config, a tracked server or DNS apart), otherwise from the status text.
public struct AdminState: Sendable, Hashable, Codable {
    /// The effective mode (MAINT wins over DRAIN).
    public var mode: AdminMode
    /// True when the mode comes from a tracked server (`MAINT (via be/srv)`), not this server itself.
    public var inherited: Bool
    /// True when the config declares the server `disabled`.
    public var fromConfig: Bool
    /// The raw `srv_admin_state` bit mask, when known.
    public var mask: Int?

    /// Makes an admin state.
    public init(mode: AdminMode, inherited: Bool = false, fromConfig: Bool = false, mask: Int? = nil) {
        self.mode = mode
        self.inherited = inherited
        self.fromConfig = fromConfig
        self.mask = mask
    }

    /// Decodes HAProxy 2.6's `srv_admin_state` mask: 0x01 forced MAINT, 0x02 inherited MAINT,
    /// 0x04 config `disabled`, 0x08 forced DRAIN, 0x10 inherited DRAIN, 0x20 MAINT from DNS.
    public init(mask: Int) {
        let ownMaint = mask & (0x01 | 0x04 | 0x20) != 0
        let inheritedMaint = mask & 0x02 != 0
        let ownDrain = mask & 0x08 != 0
        let inheritedDrain = mask & 0x10 != 0
        if ownMaint || inheritedMaint {
            self.init(mode: .maint, inherited: !ownMaint, fromConfig: mask & 0x04 != 0, mask: mask)
        } else if ownDrain || inheritedDrain {
            self.init(mode: .drain, inherited: !ownDrain, fromConfig: false, mask: mask)
        } else {
            self.init(mode: .ready, mask: mask)
        }
    }
}
