/// Finds a server of one read in an earlier read of the same backend: at the same position when the names
/// agree there (servers keep their places between reads), else through a name index built once, on first need.
/// Nothing is hashed while every server stays in place, which is every refresh at 10,000 servers but a reload.
public struct PositionalLookup: Sendable {
    private var byName: [String: Int]?

    /// An empty lookup; use one per pair of reads.
    public init() {}

    /// The index in `0..<count` whose name is `name`, trying `position` first; `nameAt` gives the name at an
    /// index of the earlier read. Nil when no element has that name.
    public mutating func index(of name: String, at position: Int, count: Int, nameAt: (Int) -> String) -> Int? {
        if position < count && nameAt(position) == name { return position }
        if byName == nil {
            byName = Dictionary((0..<count).map { (nameAt($0), $0) }, uniquingKeysWith: { first, _ in first })
        }
        return byName?[name]
    }
}
