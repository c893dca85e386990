/// One frontend (listener side of a proxy), as observed in one snapshot.
public struct Frontend: Sendable, Hashable, Identifiable {
    /// The frontend's name.
    public var id: String { name }
    /// The frontend's name.
    public var name: String
    /// HAProxy's numeric proxy id (`iid`).
    public var proxyID: Int?
    /// `OPEN`, `PAUSED`, `STOP`, `FULL`…
    public var status: String
    /// Current sessions.
    public var sessions: Int
    /// Session limit (`maxconn`), when reported.
    public var sessionLimit: Int?
    /// Sessions per second over the last second.
    public var rate: Int
    /// HTTP requests per second, when HTTP.
    public var requestRate: Int
    /// HTTP 5xx responses since start.
    public var http5xx: Int
    /// `http` or `tcp`, when reported.
    public var mode: String?
    /// Every field of the raw FRONTEND row.
    public var fields: StatRecord?

    /// Makes a frontend; most callers get frontends from ``SnapshotBuilder``.
    public init(
        name: String, proxyID: Int? = nil, status: String, sessions: Int = 0, sessionLimit: Int? = nil,
        rate: Int = 0, requestRate: Int = 0, http5xx: Int = 0, mode: String? = nil, fields: StatRecord? = nil
    ) {
        self.name = name
        self.proxyID = proxyID
        self.status = status
        self.sessions = sessions
        self.sessionLimit = sessionLimit
        self.rate = rate
        self.requestRate = requestRate
        self.http5xx = http5xx
        self.mode = mode
        self.fields = fields
    }
}
