import SwitchboardCore
import Testing

/// Matching a server to an earlier read of its backend: by position while names agree, by name where they moved.
@Suite("Positional lookup")
struct PositionalLookupTests {
    @Test func inPlaceNoIndexIsBuiltAndMovedOnesAreFoundByName() {
        let before = ["web1", "web2", "web3"]
        var asked: [Int] = []
        var lookup = PositionalLookup()
        func find(_ name: String, at position: Int) -> Int? {
            lookup.index(of: name, at: position, count: before.count) { index in
                asked.append(index)
                return before[index]
            }
        }
        #expect(find("web1", at: 0) == 0)
        #expect(find("web2", at: 1) == 1)
        #expect(asked == [0, 1])  // only the positions themselves were read: no index built
        #expect(find("web1", at: 2) == 0)  // moved: found by name
        #expect(find("web9", at: 1) == nil)  // gone
        #expect(find("web3", at: 5) == 2)  // past the end of the earlier read
        #expect(asked.count == 2 + 1 + before.count + 1)  // the index was built once
    }
}
