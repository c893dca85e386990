import SwitchboardCore
import Testing

/// The text helpers that stand in for Foundation's NSString API in the console binary.
@Suite("Text helpers")
struct TextHelperTests {
    @Test func printfFormatsFiguresAsCDoes() {
        #expect(String(printf: "%.1f", 2.25) == "2.2")
        #expect(String(printf: "%5.1f%%", 7.0) == "  7.0%")
        #expect(String(printf: "%g s", 0.5) == "0.5 s")
        #expect(String(printf: "s%04ld", 7) == "s0007")
        #expect(
            String(printf: "at most %.1f/s (%ld served)", 1.5, 12_345_678_901) == "at most 1.5/s (12345678901 served)")
    }

    @Test func printfGrowsPastItsFirstBuffer() {
        let long = String(printf: "%0200ld", 1)
        #expect(long.count == 200)
        #expect(long.hasSuffix("01") && long.hasPrefix("00"))
    }

    @Test func trimmingSpacesKeepsNewlinesAndTrimmingWhitespaceDoesNot() {
        #expect("  a b\t".trimmingSpaces() == "a b")
        #expect(" a\n".trimmingSpaces() == "a\n")
        #expect(" a\n".trimmingWhitespace() == "a")
        #expect("   ".trimmingSpaces() == "")
        #expect("x y"[...].trimmingSpaces() == "x y")
    }

    @Test func paddedCutsOrFillsToTheWidthInCharacters() {
        #expect("ab".padded(to: 4) == "ab  ")
        #expect("abcdef".padded(to: 3) == "abc")
        #expect("✓ ok".padded(to: 5) == "✓ ok ")
        #expect("ab".padded(to: 0) == "")
    }
}
