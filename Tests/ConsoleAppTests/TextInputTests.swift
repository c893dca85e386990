import ConsoleApp
import Testing

/// The one line editor every text field uses.
@Suite("Text input")
struct TextInputTests {
    @Test func editingKeysAreAppliedAndTheRestAreTheCallers() {
        #expect(TextInput.filter.edited("we", by: .char("b")) == "web")
        #expect(TextInput.filter.edited("web", by: .backspace) == "we")
        #expect(TextInput.filter.edited("web", by: .control("u")) == "")
        #expect(TextInput.filter.edited("web", by: .enter) == nil)
        #expect(TextInput.weight.edited("5", by: .char("x")) == "5")
        #expect(TextInput.weight.edited("50", by: .char("%")) == "50%")
        #expect(TextInput.weight.edited("100%0", by: .char("1")) == "100%0")  // full at 5
        #expect(TextInput.seconds.edited("3", by: .char("%")) == "3")
    }
}
