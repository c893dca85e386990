extension RuntimeCommand {
    /// `show map`: every map loaded.
    public static let showMaps = RuntimeCommand("show map", isWrite: false)
    /// `show acl`: every ACL loaded.
    public static let showACLs = RuntimeCommand("show acl", isWrite: false)

    /// `show map MAP`: its entries.
    public static func showMap(_ map: MapReference) -> RuntimeCommand {
        RuntimeCommand("show map \(map)", isWrite: false)
    }

    /// `set map MAP KEY VALUE`.
    public static func setMap(_ map: MapReference, _ key: RouteToken, _ value: RouteToken) -> RuntimeCommand {
        RuntimeCommand("set map \(map) \(key) \(value)", isWrite: true)
    }

    /// `add map MAP KEY VALUE`.
    public static func addMap(_ map: MapReference, _ key: RouteToken, _ value: RouteToken) -> RuntimeCommand {
        RuntimeCommand("add map \(map) \(key) \(value)", isWrite: true)
    }

    /// `del map MAP KEY`.
    public static func deleteMap(_ map: MapReference, _ key: RouteToken) -> RuntimeCommand {
        RuntimeCommand("del map \(map) \(key)", isWrite: true)
    }
}
