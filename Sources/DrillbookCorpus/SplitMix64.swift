/// A small seeded pseudo-random generator (SplitMix64, Steele, Lea and Flood 2014): the same seed
/// gives the same sequence on every platform and Swift version, which `SystemRandomNumberGenerator`
/// and the standard library's seeded defaults do not promise.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator that starts from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in `0..<bound` (bound > 0), without the standard library's algorithm so the
    /// sequence never changes under us.
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next() % UInt64(bound))
    }

    /// A number in `lower...upper`.
    mutating func between(_ lower: Int, _ upper: Int) -> Int { lower + below(upper - lower + 1) }

    /// A fraction in `0..<1`.
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// One element of a non-empty array.
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }

    /// `count` distinct elements of `values` (fewer when it holds fewer), in the array's order.
    mutating func sample<T>(_ values: [T], _ count: Int) -> [T] {
        var indices = Array(values.indices)
        var chosen: [Int] = []
        for _ in 0..<min(count, values.count) {
            chosen.append(indices.remove(at: below(indices.count)))
        }
        return chosen.sorted().map { values[$0] }
    }
}
