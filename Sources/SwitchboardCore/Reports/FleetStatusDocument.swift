/// The JSON shape of `switchboard status` on several balancers (schema 2): one entry per balancer, in the
/// order the targets were given, each with the schema-1 shape inside; a balancer that did not answer is
/// present with its error and no backends. A single target keeps printing schema 1.
public struct FleetStatusDocument: Codable, Sendable, Hashable {
    /// The schema version.
    public var schema = 2
    /// The balancers, in the order given.
    public var balancers: [Entry]

    /// One balancer.
    public struct Entry: Codable, Sendable, Hashable {
        /// Its name (the address as given, until targets have names).
        public var name: String
        /// The control socket address.
        public var address: String
        /// The balancer object of schema 1, null when it did not answer.
        public var balancer: StatusDocument.Balancer?
        /// Frontends (empty when it did not answer).
        public var frontends: [StatusDocument.FrontendEntry]
        /// Backends with their servers (empty when it did not answer).
        public var backends: [StatusDocument.BackendEntry]
        /// Why it has no data, when it did not answer.
        public var error: ErrorEntry?
    }

    /// A balancer's error: the stable code and the message.
    public struct ErrorEntry: Codable, Sendable, Hashable {
        /// The stable code, e.g. `timeout`.
        public var code: String
        /// What went wrong and what to do.
        public var message: String
    }

    /// Builds the document from each balancer's result, in order.
    public init(
        _ results: [(name: String, label: String, address: String, result: Result<BalancerSnapshot, SwitchboardError>)],
        backend: String?
    ) {
        balancers = results.map { name, _, address, result in
            switch result {
            case .success(let snapshot):
                let one = StatusDocument(snapshot: snapshot, backend: backend)
                return Entry(
                    name: name, address: address, balancer: one.balancer, frontends: one.frontends,
                    backends: one.backends, error: nil)
            case .failure(let error):
                return Entry(
                    name: name, address: address, balancer: nil, frontends: [], backends: [],
                    error: ErrorEntry(code: error.code.rawValue, message: error.message))
            }
        }
    }
}
