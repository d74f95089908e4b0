import DrillbookText

/// A growable byte buffer a page renders into: an append is a capacity check and a copy, and
/// HTML escaping works on the bytes. The page goes to the output folder as these bytes.
public struct RenderBuffer: ~Copyable {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    /// The bytes written so far.
    public private(set) var count = 0

    /// An empty buffer with room for `capacity` bytes before it grows.
    public init(capacity: Int = 1 << 15) {
        self.capacity = max(capacity, 64)
        base = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Calls `body` with the bytes written so far.
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// Makes room for `extra` more bytes.
    @inline(__always) private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(toAtLeast: count + extra) }
    }

    private mutating func grow(toAtLeast needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends `length` bytes from `bytes`.
    public mutating func append(_ bytes: UnsafeRawPointer, count length: Int) {
        reserve(length)
        (base + count).copyMemory(from: bytes, byteCount: length)
        count += length
    }

    /// Appends the UTF-8 of `string`.
    public mutating func append(_ string: StaticString) {
        append(string.utf8Start, count: string.utf8CodeUnitCount)
    }

    /// Appends the UTF-8 of `string`.
    public mutating func append(_ string: String) {
        Self.withUTF8(of: string) { append($0, count: $1) }
    }

    /// Calls `body` with the start and length of the string's UTF-8, read in place when the
    /// string is stored contiguously (as native strings are) and from a copy otherwise.
    @inline(__always)
    private static func withUTF8(of string: String, _ body: (UnsafeRawPointer, Int) -> Void) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { bytes in
            if let start = bytes.baseAddress { body(UnsafeRawPointer(start), bytes.count) }
        }
        if done == nil {
            var copy = string
            copy.makeContiguousUTF8()
            copy.utf8.withContiguousStorageIfAvailable { bytes in
                if let start = bytes.baseAddress { body(UnsafeRawPointer(start), bytes.count) }
            }
        }
    }

    /// Appends `string` with swift-mustache's HTML escaping (`&lt;`, `&gt;`, `&amp;`, `&quot;`, `&#39;`),
    /// through the package's one markup escaper, `MarkupText.escapeUTF8`: characters XML 1.0 forbids
    /// (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) become U+FFFD, so `feed.xml`,
    /// `sitemap.xml` and the pages stay well-formed whatever the records hold.
    public mutating func appendEscaped(_ string: String) {
        Self.withUTF8(of: string) { start, length in
            MarkupText.escapeUTF8(
                UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: length),
                copy: { range in append(start + range.lowerBound, count: range.count) },
                insert: { text in append(text) })
        }
    }
}
