/// A 64-bit digest of bytes, eight at a time, for telling whether a file's bytes (or a page's
/// inputs) are the same as last time: not cryptographic, but every bit of the input reaches every
/// bit of the result, so an accidental change (an edit that keeps the size and modification time,
/// a flipped bit in the build cache) changes it with overwhelming odds. Stable across runs and
/// platforms of the same byte order (the build cache records which).
public struct ContentDigest: Sendable, Hashable {
    private var state: UInt64
    private var length: UInt64 = 0

    /// A digest of nothing yet; `seed` keeps digests of different kinds of input apart.
    public init(seed: UInt64 = 0x243F_6A88_85A3_08D3) { state = seed }

    /// The digest of `bytes` alone.
    public static func of(_ bytes: some Collection<UInt8>) -> UInt64 {
        var digest = ContentDigest()
        digest.add(bytes)
        return digest.value
    }

    /// The digest of `text`'s UTF-8 bytes alone.
    public static func of(_ text: String) -> UInt64 {
        var digest = ContentDigest()
        digest.add(text)
        return digest.value
    }

    /// Adds `bytes`; `add(a); add(b)` differs from `add(a + b)` only in the count added by `add(_:UInt64)`,
    /// so callers that join several fields add a length or a separator between them.
    public mutating func add(_ bytes: some Collection<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in add(UnsafeRawBufferPointer(buffer)) }
        if done == nil { add(Array(bytes)) }
    }

    /// Adds `text` with its length first, so joined fields stay apart.
    public mutating func add(_ text: String) {
        var text = text
        add(UInt64(text.utf8.count))
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    /// Adds one number.
    public mutating func add(_ number: UInt64) {
        state = Self.mix(state ^ number)
        length &+= 8
    }

    /// Adds raw bytes, eight at a time, then the tail.
    public mutating func add(_ buffer: UnsafeRawBufferPointer) {
        var offset = 0
        let count = buffer.count
        while offset + 8 <= count {
            let word = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            state = (state ^ word) &* 0x9E37_79B9_7F4A_7C15
            state ^= state >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(buffer[offset]) << shift
            shift += 8
            offset += 1
        }
        state = Self.mix(state ^ tail ^ (UInt64(count) << 56))
        length &+= UInt64(count)
    }

    /// The digest of everything added.
    public var value: UInt64 { Self.mix(state ^ length) }

    /// SplitMix64's finaliser: every input bit reaches every output bit.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
