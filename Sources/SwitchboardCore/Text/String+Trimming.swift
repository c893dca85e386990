extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (newlines kept), as Foundation's
    /// `trimmingCharacters(in: .whitespaces)` gave it.
    public func trimmingSpaces() -> String {
        trimmed { $0.isWhitespace && !$0.isNewline }
    }

    /// The text without leading and trailing whitespace, newlines included.
    public func trimmingWhitespace() -> String {
        trimmed { $0.isWhitespace }
    }

    private func trimmed(_ strip: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !strip($0) }), let last = lastIndex(where: { !strip($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
