import FoundationEssentials
import SwitchboardCore

/// Short number and time formats for narrow columns.
enum Format {
    /// `999`, `1.2k`, `12k`, `3.4M`.
    static func compact(_ value: Int) -> String {
        let magnitude = abs(value)
        if magnitude < 1000 { return "\(value)" }
        if magnitude < 10_000 { return String(printf: "%.1fk", Double(value) / 1000) }
        if magnitude < 1_000_000 { return "\(value / 1000)k" }
        return String(printf: "%.1fM", Double(value) / 1_000_000)
    }

    /// `0`, `0.4`, `12`.
    static func rate(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value < 10 { return String(printf: "%.1f", value) }
        return compact(Int(value.rounded()))
    }

    /// `0.4s`, `12s`, `4m05s`, `1h02m`.
    static func age(_ seconds: Double) -> String {
        if seconds < 10 { return String(printf: "%.1fs", max(0, seconds)) }
        let whole = Int(seconds)
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m\(String(printf: "%02ld", whole % 60))s" }
        return "\(whole / 3600)h\(String(printf: "%02ld", whole % 3600 / 60))m"
    }

    /// Fits `text` into `width` cells, cutting with `…` (or `~` in ASCII).
    static func fit(_ text: String, _ width: Int, ascii: Bool = false) -> String {
        guard width > 0 else { return "" }
        if text.count <= width { return text }
        if width == 1 { return String(text.prefix(1)) }
        return String(text.prefix(width - 1)) + (ascii ? "~" : "…")
    }

    /// Right-aligns `text` in `width` cells.
    static func right(_ text: String, _ width: Int) -> String {
        let cut = fit(text, width)
        return String(repeating: " ", count: max(0, width - cut.count)) + cut
    }
}
