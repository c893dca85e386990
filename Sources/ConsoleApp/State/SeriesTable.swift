/// Histories of many figures sampled together, stored compactly: one slot per key (in the snapshot's order), one
/// ring of `capacity` steps per series, each step a column of 32-bit values — no dictionary lookup, no per-key
/// array and no hashing on a refresh whose keys are the ones of the last refresh (the usual case: a balancer's
/// backends and servers come in configuration order). Keys that appear start an empty history; keys that leave
/// are forgotten.
public struct SeriesTable: Hashable, Sendable {
    /// One key's figures at a step: the 5xx counter (for the per-second rate) and the sampled series.
    public struct Sample: Sendable {
        /// The key.
        public var key: Metrics.Key
        /// The 5xx counter (cumulative).
        public var errors: Int
        /// The series' values, in the table's series order.
        public var values: (Int, Int, Int, Int)

        /// Makes a sample.
        public init(key: Metrics.Key, errors: Int, values: (Int, Int, Int, Int)) {
            self.key = key
            self.errors = errors
            self.values = values
        }
    }

    /// Steps kept.
    public let capacity: Int
    /// Series per key (1 to 4) — the first `series` values of each sample are stored.
    public let series: Int
    /// Key per slot, in the order samples came.
    public private(set) var layout: [Metrics.Key] = []
    private var slots: [Metrics.Key: Int] = [:]
    /// 5xx per second per slot since the previous step (0 when none or unknown).
    public private(set) var errorRates: [Double] = []
    private var counters: [Int] = []
    /// The step each slot's history starts at (absolute step number).
    private var since: [Int] = []
    /// Per series, `capacity` columns of `layout.count` values, step-major; grows until full, then wraps.
    private var rings: [[Int32]]
    /// Steps recorded since the table was made.
    private var recorded = 0

    /// Makes an empty table.
    public init(capacity: Int, series: Int) {
        precondition(capacity > 0 && (1...4).contains(series))
        self.capacity = capacity
        self.series = series
        rings = Array(repeating: [], count: series)
    }

    /// The slot of `key`, when it was in the last step.
    public func slot(_ key: Metrics.Key) -> Int? { slots[key] }

    /// 5xx per second of `key` at the last step (0 when unknown).
    public func errorRate(_ key: Metrics.Key) -> Double { slots[key].map { errorRates[$0] } ?? 0 }

    /// The history of series `index` of `key`, oldest first (empty when unknown).
    public func history(_ key: Metrics.Key, series index: Int = 0) -> [Int] {
        guard let slot = slots[key], index < series else { return [] }
        let width = layout.count
        let kept = min(recorded, capacity, recorded - since[slot])
        var values: [Int] = []
        values.reserveCapacity(kept)
        let ring = rings[index]
        for age in stride(from: kept, to: 0, by: -1) {
            let step = (recorded - age) % capacity
            values.append(Int(ring[step * width + slot]))
        }
        return values
    }

    /// Records one step: `samples` in order, `elapsed` seconds after the previous step (0 for the first).
    public mutating func record(_ samples: [Sample], elapsed: Double) {
        if samples.count != layout.count || !zip(samples, layout).allSatisfy({ $0.key == $1 }) {
            relayout(samples.map(\.key))
        }
        let width = layout.count
        let step = recorded % capacity
        for index in 0..<series where rings[index].count < (step + 1) * width {
            rings[index].append(contentsOf: repeatElement(0, count: (step + 1) * width - rings[index].count))
        }
        for (slot, sample) in samples.enumerated() {
            let started = since[slot] < recorded  // a slot new this step has no previous counter
            errorRates[slot] =
                elapsed > 0 && started && sample.errors > counters[slot]
                ? Double(sample.errors - counters[slot]) / elapsed : 0
            counters[slot] = sample.errors
            let base = step * width + slot
            rings[0][base] = Int32(clamping: sample.values.0)
            if series > 1 { rings[1][base] = Int32(clamping: sample.values.1) }
            if series > 2 { rings[2][base] = Int32(clamping: sample.values.2) }
            if series > 3 { rings[3][base] = Int32(clamping: sample.values.3) }
        }
        recorded += 1
    }

    /// Stores each slot's 5xx per second of the last step (rounded up) as that step's value of series `index`.
    public mutating func storeErrorRates(inSeries index: Int) {
        guard recorded > 0, index < series else { return }
        let base = ((recorded - 1) % capacity) * layout.count
        for slot in errorRates.indices {
            rings[index][base + slot] = Int32(clamping: Int(errorRates[slot].rounded(.up)))
        }
    }

    /// Moves every kept history to the slots of `keys`: new keys start empty, gone keys are dropped.
    private mutating func relayout(_ keys: [Metrics.Key]) {
        let oldWidth = layout.count
        let oldSlots = slots
        let oldSince = since
        let oldCounters = counters
        let steps = min(recorded, capacity)
        var newSlots: [Metrics.Key: Int] = [:]
        newSlots.reserveCapacity(keys.count)
        for (slot, key) in keys.enumerated() where newSlots[key] == nil { newSlots[key] = slot }
        let origin = keys.map { oldSlots[$0] }
        for index in 0..<series {
            var ring = [Int32](repeating: 0, count: steps * keys.count)
            let old = rings[index]
            for step in 0..<steps {
                for (slot, from) in origin.enumerated() {
                    if let from { ring[step * keys.count + slot] = old[step * oldWidth + from] }
                }
            }
            rings[index] = ring
        }
        layout = keys
        slots = newSlots
        since = origin.map { $0.map { oldSince[$0] } ?? recorded }
        counters = origin.map { $0.map { oldCounters[$0] } ?? 0 }
        errorRates = Array(repeating: 0, count: keys.count)
    }
}
