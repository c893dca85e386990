extension StringProtocol {
    /// The text cut or padded with spaces to exactly `width` characters, for aligned columns (what Foundation's
    /// `padding(toLength:withPad:" ",startingAt:0)` did, counted in characters rather than UTF-16 units).
    public func padded(to width: Int) -> String {
        let count = self.count
        if count >= width { return String(prefix(Swift.max(0, width))) }
        return String(self) + String(repeating: " ", count: width - count)
    }
}
