/// One map the balancer has loaded (a line of `show map`): its id, the file it was loaded from and how many
/// entries it holds. Configurations route with maps (`use_backend %[req.hdr(host),lower,map(FILE)]`), so an
/// entry whose value names a backend is a route.
public struct RouteMap: Sendable, Hashable, Codable {
    /// The map's numeric id (`#id`).
    public var id: Int
    /// The file it was loaded from; empty for a map without a file.
    public var file: String
    /// `entry_cnt`, when shown.
    public var entryCount: Int?
    /// HAProxy's description (where the config uses it).
    public var description: String

    /// Makes a map entry of the list.
    public init(id: Int, file: String, entryCount: Int?, description: String) {
        self.id = id
        self.file = file
        self.entryCount = entryCount
        self.description = description
    }

    /// How commands name it: the file when it has one, else `#id`.
    public var reference: MapReference { MapReference(trustedMap: self) }

    /// Parses `show map` (or `show acl`): `# id (file) description` then one line per map. Lines that are not a
    /// map line are refused with the line quoted.
    public static func list(parsing text: String) throws -> [RouteMap] {
        var maps: [RouteMap] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            guard let space = line.firstIndex(of: " "), let id = Int(line[..<space]) else {
                throw SwitchboardError(.malformedOutput, "`show map` line is not `ID (FILE) …`: \(line.prefix(120))")
            }
            let rest = line[line.index(after: space)...]
            guard rest.hasPrefix("("), let close = rest.firstIndex(of: ")") else {
                throw SwitchboardError(.malformedOutput, "`show map` line has no (FILE): \(line.prefix(120))")
            }
            let file = String(rest[rest.index(after: rest.startIndex)..<close])
            let description = rest[rest.index(after: close)...].trimmingSpaces()
            let count = description.firstRange(of: "entry_cnt=").flatMap { range in
                Int(description[range.upperBound...].prefix { $0.isNumber })
            }
            maps.append(RouteMap(id: id, file: file, entryCount: count, description: description))
        }
        return maps
    }
}

/// One entry of a map (a line of `show map FILE`): the key looked up and the value it gives.
public struct RouteEntry: Sendable, Hashable, Codable {
    /// The key (a host, a path…).
    public var key: String
    /// The value; for a route, a backend's name.
    public var value: String

    /// Makes an entry.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// Parses `show map FILE`: `0xADDRESS KEY VALUE` per line (the value is the rest of the line). A reply that is
    /// not entries — an error such as `Unknown map identifier.` — is refused with its text.
    public static func entries(parsing text: String) throws -> [RouteEntry] {
        var entries: [RouteEntry] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let words = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            guard words.count >= 2, words[0].hasPrefix("0x") else {
                throw SwitchboardError(
                    .malformedOutput, "`show map` entry is not `0xADDRESS KEY VALUE`: \(line.prefix(120))")
            }
            entries.append(RouteEntry(key: String(words[1]), value: words.count > 2 ? String(words[2]) : ""))
        }
        return entries
    }
}

/// A map with its entries, as read at one moment.
public struct RouteMapContents: Sendable, Hashable, Codable {
    /// The map.
    public var map: RouteMap
    /// Its entries, in the balancer's order.
    public var entries: [RouteEntry]

    /// Makes the contents of a map.
    public init(map: RouteMap, entries: [RouteEntry]) {
        self.map = map
        self.entries = entries
    }

    /// The value of `key` (the first entry with it, as HAProxy's lookup does), or nil.
    public func value(of key: String) -> String? { entries.first { $0.key == key }?.value }
}
