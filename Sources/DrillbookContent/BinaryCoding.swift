import DrillbookModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A compact binary form of any `Codable` value, for the record cache (`RecordCacheFile`): what
/// the models' own `encode(to:)` writes, without JSON's text (no number formatting or parsing,
/// no string escaping, no whitespace, no tree of values built in between).
///
/// The bytes start with the key names, once each (a LEB128 count, then per name its LEB128
/// length and UTF-8), then the value. Every value starts with a tag byte:
///
/// ```
/// 0 nil   1 false   2 true   3 signed integer (zigzag LEB128)   4 unsigned integer (LEB128)
/// 5 Double (8 bytes, little-endian bits)   6 Float (4 bytes)   7 string (LEB128 length, UTF-8)
/// 8 keyed container: UInt32 byte length, then per key its name's number (LEB128) and value
/// 9 unkeyed container: UInt32 byte length, UInt32 count, then the values
/// 10 Timestamp: its seconds (8 bytes, as a Double) and its offset (zigzag LEB128)
/// 11 CalendarDay: year (zigzag LEB128), month, day (LEB128)
/// ```
///
/// Instants and days, the commonest values of a record after strings, are written as their
/// numbers rather than through their own `Codable` (ISO 8601 text, formatted on every write and
/// parsed on every read); they come back the same, offset included.
///
/// Containers carry their byte length, so a decoder finds a key by stepping over whole values
/// (it looks first where the last key was found: synthesized `init(from:)` reads keys in the
/// order `encode(to:)` wrote them). Decoding checks every tag, length, count and string (valid
/// UTF-8) against the bytes left; anything malformed throws, it never reads out of bounds.
enum BinaryCoding {
    enum Tag: UInt8 {
        case null = 0, no, yes, signed, unsigned, double, float, string, keyed, unkeyed, timestamp, day
    }

    /// The bytes of `value`.
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let state = EncodingState()
        let encoder = ValueEncoder(state)
        try value.encode(to: encoder)
        encoder.finish()
        if let failure = state.failure {
            throw EncodingError.invalidValue(value, EncodingError.Context(codingPath: [], debugDescription: failure))
        }
        let head = EncodingState()
        head.varint(UInt64(state.keyNames.count))
        for name in state.keyNames { head.text(name) }
        return head.bytes + state.bytes
    }

    /// The value `bytes` (made by `encode`) hold; throws when they are malformed or hold another type.
    static func decode<Value: Decodable>(_ type: Value.Type, from bytes: ArraySlice<UInt8>) throws -> Value {
        try bytes.withUnsafeBufferPointer { buffer in
            let state = DecodingState(buffer)
            var offset = 0
            let count = try state.varint(&offset, end: buffer.count)
            guard count <= UInt64(buffer.count - offset) else { throw state.malformed("more keys than bytes") }
            state.keyNames.reserveCapacity(Int(count))
            for _ in 0..<count {
                let length = try state.block(&offset, end: buffer.count)
                state.keyNames.append(offset..<offset + length)
                offset += length
            }
            guard offset < buffer.count else { throw state.malformed("no value") }
            let end = try state.skip(offset, end: buffer.count)
            guard end == buffer.count else { throw state.malformed("bytes after the value") }
            return try Value(from: ValueDecoder(state, at: offset, end: end))
        }
    }
}

// MARK: - Encoding

final class EncodingState {
    var bytes: [UInt8] = []
    /// Why the value could not be written (a container used after its parent moved on, a
    /// container over 4 GB); `encode` then throws.
    var failure: String?
    /// The key names in the order first written, and each one's number.
    var keyNames: [String] = []
    var keyNumbers: [String: Int] = [:]

    init() { bytes.reserveCapacity(1024) }

    func key(_ name: String) {
        if let number = keyNumbers[name] {
            varint(UInt64(number))
        } else {
            keyNumbers[name] = keyNames.count
            varint(UInt64(keyNames.count))
            keyNames.append(name)
        }
    }

    func tag(_ tag: BinaryCoding.Tag) { bytes.append(tag.rawValue) }

    func varint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    func text(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    func string(_ value: String) {
        tag(.string)
        text(value)
    }

    func signed(_ value: Int64) {
        tag(.signed)
        zigzag(value)
    }

    func zigzag(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    func unsigned(_ value: UInt64) {
        tag(.unsigned)
        varint(value)
    }

    func bool(_ value: Bool) { tag(value ? .yes : .no) }

    func double(_ value: Double) {
        tag(.double)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func float(_ value: Float) {
        tag(.float)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func patch(_ offset: Int, _ value: Int) {
        guard let value = UInt32(exactly: value) else {
            failure = "a container over 4 GB"
            return
        }
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
    }

    /// Writes `value`: the scalars directly (compared by type, not cast: a dynamic cast per
    /// value cost more than writing it), anything else through its own `encode(to:)`.
    func value<T: Encodable>(_ value: T) {
        if T.self == String.self {
            string(unsafeBitCast(value, to: String.self))
        } else if T.self == Int.self {
            signed(Int64(unsafeBitCast(value, to: Int.self)))
        } else if T.self == Double.self {
            double(unsafeBitCast(value, to: Double.self))
        } else if T.self == Bool.self {
            bool(unsafeBitCast(value, to: Bool.self))
        } else if T.self == Timestamp.self {
            let time = unsafeBitCast(value, to: Timestamp.self)
            tag(.timestamp)
            withUnsafeBytes(of: time.secondsSince1970.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            zigzag(Int64(time.utcOffsetSeconds))
        } else if T.self == CalendarDay.self {
            let day = unsafeBitCast(value, to: CalendarDay.self)
            tag(.day)
            zigzag(Int64(day.year))
            varint(UInt64(truncatingIfNeeded: day.month))
            varint(UInt64(truncatingIfNeeded: day.day))
        } else {
            let encoder = ValueEncoder(self)
            do { try value.encode(to: encoder) } catch { failure = failure ?? String(describing: error) }
            encoder.finish()
        }
    }
}

/// An open container: where its length goes, and the nested container or super-encoder it last
/// handed out (closed when it writes its next value or is closed itself).
final class OpenContainer {
    let state: EncodingState
    let start: Int
    let keyed: Bool
    var count = 0
    var closed = false
    var child: (() -> Void)?

    init(_ state: EncodingState, keyed: Bool) {
        self.state = state
        self.keyed = keyed
        state.tag(keyed ? .keyed : .unkeyed)
        start = state.bytes.count
        state.bytes.append(contentsOf: keyed ? [0, 0, 0, 0] : [0, 0, 0, 0, 0, 0, 0, 0])
    }

    /// Starts the next value: closes the child, checks that the container is still open.
    func next() -> Bool {
        if let child {
            self.child = nil
            child()
        }
        guard !closed else {
            state.failure = state.failure ?? "a container written after its parent moved on"
            return false
        }
        count += 1
        return true
    }

    func key(_ key: some CodingKey) -> Bool {
        guard next() else { return false }
        state.key(key.stringValue)
        return true
    }

    func close() {
        guard !closed else { return }
        if let child {
            self.child = nil
            child()
        }
        closed = true
        state.patch(start, state.bytes.count - start - 4)
        if !keyed { state.patch(start + 4, count) }
    }
}

final class ValueEncoder: Encoder {
    let state: EncodingState
    let startCount: Int
    var container: OpenContainer?
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ state: EncodingState) {
        self.state = state
        startCount = state.bytes.count
    }

    /// Closes what was written; a value that wrote nothing is an empty keyed container (as
    /// `JSONEncoder` writes `{}`).
    func finish() {
        if let container {
            container.close()
        } else if state.bytes.count == startCount {
            OpenContainer(state, keyed: true).close()
        }
    }

    /// The keyed container: one per encoder, shared by every call (a `DrillRun` writes its
    /// overview's and its details' keys into one).
    func open(keyed: Bool) -> OpenContainer {
        if let container, container.keyed == keyed, !container.closed { return container }
        if container != nil || state.bytes.count != startCount {
            state.failure = state.failure ?? "two kinds of container for one value"
        }
        let made = OpenContainer(state, keyed: keyed)
        container = made
        return made
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedEncoder<Key>(container: open(keyed: true)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { UnkeyedEncoder(container: open(keyed: false)) }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleEncoder(encoder: self) }
}

struct KeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let container: OpenContainer
    var state: EncodingState { container.state }
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws { if container.key(key) { state.tag(.null) } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { if container.key(key) { state.bool(value) } }
    mutating func encode(_ value: String, forKey key: Key) throws { if container.key(key) { state.string(value) } }
    mutating func encode(_ value: Double, forKey key: Key) throws { if container.key(key) { state.double(value) } }
    mutating func encode(_ value: Float, forKey key: Key) throws { if container.key(key) { state.float(value) } }
    mutating func encode(_ value: Int, forKey key: Key) throws { if container.key(key) { state.signed(Int64(value)) } }
    mutating func encode(_ value: Int8, forKey key: Key) throws { if container.key(key) { state.signed(Int64(value)) } }
    mutating func encode(_ value: Int16, forKey key: Key) throws { if container.key(key) { state.signed(Int64(value)) } }
    mutating func encode(_ value: Int32, forKey key: Key) throws { if container.key(key) { state.signed(Int64(value)) } }
    mutating func encode(_ value: Int64, forKey key: Key) throws { if container.key(key) { state.signed(value) } }
    mutating func encode(_ value: UInt, forKey key: Key) throws { if container.key(key) { state.unsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { if container.key(key) { state.unsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { if container.key(key) { state.unsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { if container.key(key) { state.unsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { if container.key(key) { state.unsigned(value) } }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { if container.key(key) { state.value(value) } }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        _ = container.key(key)
        let nested = OpenContainer(state, keyed: true)
        container.child = nested.close
        return KeyedEncodingContainer(KeyedEncoder<NestedKey>(container: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        _ = container.key(key)
        let nested = OpenContainer(state, keyed: false)
        container.child = nested.close
        return UnkeyedEncoder(container: nested)
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        if container.next() { state.key(name) }
        let encoder = ValueEncoder(state)
        container.child = encoder.finish
        return encoder
    }
}

struct UnkeyedEncoder: UnkeyedEncodingContainer {
    let container: OpenContainer
    var state: EncodingState { container.state }
    var codingPath: [any CodingKey] { [] }
    var count: Int { container.count }

    mutating func encodeNil() throws { if container.next() { state.tag(.null) } }
    mutating func encode(_ value: Bool) throws { if container.next() { state.bool(value) } }
    mutating func encode(_ value: String) throws { if container.next() { state.string(value) } }
    mutating func encode(_ value: Double) throws { if container.next() { state.double(value) } }
    mutating func encode(_ value: Float) throws { if container.next() { state.float(value) } }
    mutating func encode(_ value: Int) throws { if container.next() { state.signed(Int64(value)) } }
    mutating func encode(_ value: Int8) throws { if container.next() { state.signed(Int64(value)) } }
    mutating func encode(_ value: Int16) throws { if container.next() { state.signed(Int64(value)) } }
    mutating func encode(_ value: Int32) throws { if container.next() { state.signed(Int64(value)) } }
    mutating func encode(_ value: Int64) throws { if container.next() { state.signed(value) } }
    mutating func encode(_ value: UInt) throws { if container.next() { state.unsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt8) throws { if container.next() { state.unsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt16) throws { if container.next() { state.unsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt32) throws { if container.next() { state.unsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt64) throws { if container.next() { state.unsigned(value) } }
    mutating func encode<T: Encodable>(_ value: T) throws { if container.next() { state.value(value) } }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        _ = container.next()
        let nested = OpenContainer(state, keyed: true)
        container.child = nested.close
        return KeyedEncodingContainer(KeyedEncoder<NestedKey>(container: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        _ = container.next()
        let nested = OpenContainer(state, keyed: false)
        container.child = nested.close
        return UnkeyedEncoder(container: nested)
    }

    mutating func superEncoder() -> any Encoder {
        _ = container.next()
        let encoder = ValueEncoder(state)
        container.child = encoder.finish
        return encoder
    }
}

struct SingleEncoder: SingleValueEncodingContainer {
    let encoder: ValueEncoder
    var state: EncodingState { encoder.state }
    var codingPath: [any CodingKey] { [] }

    /// A single value is written once, where the encoder's value goes.
    private func begin() -> Bool {
        guard encoder.container == nil, state.bytes.count == encoder.startCount else {
            state.failure = state.failure ?? "a single value written twice"
            return false
        }
        return true
    }

    mutating func encodeNil() throws { if begin() { state.tag(.null) } }
    mutating func encode(_ value: Bool) throws { if begin() { state.bool(value) } }
    mutating func encode(_ value: String) throws { if begin() { state.string(value) } }
    mutating func encode(_ value: Double) throws { if begin() { state.double(value) } }
    mutating func encode(_ value: Float) throws { if begin() { state.float(value) } }
    mutating func encode(_ value: Int) throws { if begin() { state.signed(Int64(value)) } }
    mutating func encode(_ value: Int8) throws { if begin() { state.signed(Int64(value)) } }
    mutating func encode(_ value: Int16) throws { if begin() { state.signed(Int64(value)) } }
    mutating func encode(_ value: Int32) throws { if begin() { state.signed(Int64(value)) } }
    mutating func encode(_ value: Int64) throws { if begin() { state.signed(value) } }
    mutating func encode(_ value: UInt) throws { if begin() { state.unsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt8) throws { if begin() { state.unsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt16) throws { if begin() { state.unsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt32) throws { if begin() { state.unsigned(UInt64(value)) } }
    mutating func encode(_ value: UInt64) throws { if begin() { state.unsigned(value) } }
    mutating func encode<T: Encodable>(_ value: T) throws { if begin() { state.value(value) } }
}

// MARK: - Decoding

/// The bytes being decoded; valid only inside `BinaryCoding.decode` (every value read from them is copied out).
final class DecodingState {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Where each key name's bytes are, by number.
    var keyNames: [Range<Int>] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func malformed(_ what: String) -> DecodingError {
        DecodingError.dataCorrupted(DecodingError.Context(codingPath: [], debugDescription: "malformed cache bytes: " + what))
    }

    func varint(_ offset: inout Int, end: Int) throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end, shift < 64 else { throw malformed("a number past its end") }
            let byte = bytes[offset]
            offset += 1
            if shift == 63, byte > 1 { throw malformed("a number over 64 bits") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    func uint32(_ offset: Int, end: Int) throws -> Int {
        guard end - offset >= 4 else { throw malformed("a length past its end") }
        var value = 0
        for index in 0..<4 { value |= Int(bytes[offset + index]) << (8 * index) }
        return value
    }

    /// The length of a block at `offset` and its start; the block must end by `end`.
    func block(_ offset: inout Int, end: Int) throws -> Int {
        let count = try varint(&offset, end: end)
        guard count <= UInt64(end - offset) else { throw malformed("a string past its end") }
        return Int(count)
    }

    /// Where the value at `offset` ends (it must end by `end`).
    func skip(_ offset: Int, end: Int) throws -> Int {
        guard offset < end, let tag = BinaryCoding.Tag(rawValue: bytes[offset]) else { throw malformed("an unknown tag") }
        var offset = offset + 1
        switch tag {
        case .null, .no, .yes: return offset
        case .signed, .unsigned:
            _ = try varint(&offset, end: end)
            return offset
        case .double, .float:
            let size = tag == .double ? 8 : 4
            guard end - offset >= size else { throw malformed("a number past its end") }
            return offset + size
        case .string:
            let count = try block(&offset, end: end)
            return offset + count
        case .timestamp:
            guard end - offset >= 8 else { throw malformed("an instant past its end") }
            offset += 8
            _ = try varint(&offset, end: end)
            return offset
        case .day:
            for _ in 0..<3 { _ = try varint(&offset, end: end) }
            return offset
        case .keyed, .unkeyed:
            let length = try uint32(offset, end: end)
            guard length <= end - offset - 4 else { throw malformed("a container past its end") }
            return offset + 4 + length
        }
    }

    func tag(at offset: Int) -> BinaryCoding.Tag? { BinaryCoding.Tag(rawValue: bytes[offset]) }

    func expect(_ tag: BinaryCoding.Tag, at offset: Int, _ what: String) throws {
        guard bytes[offset] == tag.rawValue else { throw malformed("expected " + what) }
    }

    func string(at offset: Int, end: Int) throws -> String {
        try expect(.string, at: offset, "a string")
        var offset = offset + 1
        let count = try block(&offset, end: end)
        guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[offset..<offset + count]), as: UTF8.self)
        else { throw malformed("a string that is not UTF-8") }
        return text
    }

    func bool(at offset: Int) throws -> Bool {
        switch tag(at: offset) {
        case .yes: return true
        case .no: return false
        default: throw malformed("expected a Bool")
        }
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, at offset: Int, end: Int) throws -> T {
        var position = offset + 1
        let value: T?
        switch tag(at: offset) {
        case .signed:
            let raw = try varint(&position, end: end)
            value = T(exactly: Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
        case .unsigned: value = T(exactly: try varint(&position, end: end))
        default: throw malformed("expected an integer")
        }
        guard let value else { throw malformed("an integer out of range") }
        return value
    }

    func double(at offset: Int, end: Int) throws -> Double {
        try expect(.double, at: offset, "a Double")
        guard end - offset >= 9 else { throw malformed("a number past its end") }
        var bits: UInt64 = 0
        for index in 0..<8 { bits |= UInt64(bytes[offset + 1 + index]) << (8 * UInt64(index)) }
        return Double(bitPattern: bits)
    }

    func float(at offset: Int, end: Int) throws -> Float {
        try expect(.float, at: offset, "a Float")
        guard end - offset >= 5 else { throw malformed("a number past its end") }
        var bits: UInt32 = 0
        for index in 0..<4 { bits |= UInt32(bytes[offset + 1 + index]) << (8 * UInt32(index)) }
        return Float(bitPattern: bits)
    }

    func zigzag(_ offset: inout Int, end: Int) throws -> Int {
        let raw = try varint(&offset, end: end)
        guard let value = Int(exactly: Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))) else { throw malformed("an integer out of range") }
        return value
    }

    func timestamp(at offset: Int, end: Int) throws -> Timestamp {
        try expect(.timestamp, at: offset, "an instant")
        guard end - offset >= 9 else { throw malformed("an instant past its end") }
        var bits: UInt64 = 0
        for index in 0..<8 { bits |= UInt64(bytes[offset + 1 + index]) << (8 * UInt64(index)) }
        var position = offset + 9
        let utcOffset = try zigzag(&position, end: end)
        return Timestamp(secondsSince1970: Double(bitPattern: bits), utcOffsetSeconds: utcOffset)
    }

    func day(at offset: Int, end: Int) throws -> CalendarDay {
        try expect(.day, at: offset, "a day")
        var position = offset + 1
        let year = try zigzag(&position, end: end)
        let month = try varint(&position, end: end)
        let day = try varint(&position, end: end)
        guard month <= 12, day <= 31, let value = CalendarDay(year: year, month: Int(month), day: Int(day)) else {
            throw malformed("not a day")
        }
        return value
    }

    /// The value at `offset` (ending at `end`), the scalars read directly.
    func value<T: Decodable>(_ type: T.Type, at offset: Int, end: Int) throws -> T {
        if T.self == String.self { return unsafeBitCast(try string(at: offset, end: end), to: T.self) }
        if T.self == Int.self { return unsafeBitCast(try integer(Int.self, at: offset, end: end), to: T.self) }
        if T.self == Double.self { return unsafeBitCast(try double(at: offset, end: end), to: T.self) }
        if T.self == Bool.self { return unsafeBitCast(try bool(at: offset), to: T.self) }
        if T.self == Timestamp.self { return unsafeBitCast(try timestamp(at: offset, end: end), to: T.self) }
        if T.self == CalendarDay.self { return unsafeBitCast(try day(at: offset, end: end), to: T.self) }
        return try T(from: ValueDecoder(self, at: offset, end: end))
    }
}

/// A decoder over one value (`offset` its tag, `end` the end of its bytes, already checked).
struct ValueDecoder: Decoder {
    let state: DecodingState
    let offset: Int
    let end: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ state: DecodingState, at offset: Int, end: Int) {
        self.state = state
        self.offset = offset
        self.end = end
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try state.expect(.keyed, at: offset, "a keyed container")
        return KeyedDecodingContainer(KeyedDecoder<Key>(entries: KeyedEntries(state, start: offset + 5, end: end)))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try state.expect(.unkeyed, at: offset, "an unkeyed container")
        let count = try state.uint32(offset + 5, end: end)
        guard count <= end - offset - 9 else { throw state.malformed("a count larger than its container") }
        return UnkeyedDecoder(state: state, position: offset + 9, end: end, count: count)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleDecoder(state: state, offset: offset, end: end)
    }
}

/// A keyed container's entries and where the last key was found.
final class KeyedEntries {
    let state: DecodingState
    let start: Int
    let end: Int
    var cursor: Int

    init(_ state: DecodingState, start: Int, end: Int) {
        self.state = state
        self.start = start
        self.end = end
        cursor = start
    }

    /// The entry at `offset`: its name's bytes, where its value starts and ends.
    func entry(at offset: Int) throws -> (name: Range<Int>, value: Int, next: Int) {
        var position = offset
        let number = try state.varint(&position, end: end)
        guard number < UInt64(state.keyNames.count) else { throw state.malformed("an unknown key number") }
        guard position < end else { throw state.malformed("a key without a value") }
        return (state.keyNames[Int(number)], position, try state.skip(position, end: end))
    }

    /// Where the value of `key` starts and ends, nil when the container has no such key.
    func find(_ key: some CodingKey) throws -> (value: Int, end: Int)? {
        var name = key.stringValue
        return try name.withUTF8 { wanted -> (value: Int, end: Int)? in
            var position = cursor
            var wrapped = false
            while true {
                if position >= end {
                    if wrapped || cursor == start { return nil }
                    wrapped = true
                    position = start
                }
                if wrapped, position >= cursor { return nil }
                let found = try entry(at: position)
                if found.name.count == wanted.count,
                    wanted.isEmpty || memcmp(state.bytes.baseAddress! + found.name.lowerBound, wanted.baseAddress!, wanted.count) == 0
                {
                    cursor = position
                    return (found.value, found.next)
                }
                position = found.next
            }
        }
    }

    func names() throws -> [String] {
        var names: [String] = []
        var position = start
        while position < end {
            let found = try entry(at: position)
            guard let name = String(validating: UnsafeBufferPointer(rebasing: state.bytes[found.name]), as: UTF8.self) else {
                throw state.malformed("a key that is not UTF-8")
            }
            names.append(name)
            position = found.next
        }
        return names
    }
}

struct KeyedDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let entries: KeyedEntries
    var state: DecodingState { entries.state }
    var codingPath: [any CodingKey] { [] }

    var allKeys: [Key] { ((try? entries.names()) ?? []).compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { (try? entries.find(key)) != nil }

    private func at(_ key: Key) throws -> (value: Int, end: Int) {
        guard let found = try entries.find(key) else {
            throw DecodingError.keyNotFound(key, DecodingError.Context(codingPath: [], debugDescription: "no such key"))
        }
        return found
    }

    func decodeNil(forKey key: Key) throws -> Bool { state.tag(at: try at(key).value) == .null }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try state.bool(at: try at(key).value) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        let found = try at(key)
        return try state.string(at: found.value, end: found.end)
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        let found = try at(key)
        return try state.double(at: found.value, end: found.end)
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        let found = try at(key)
        return try state.float(at: found.value, end: found.end)
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(key) }

    private func integer<T: FixedWidthInteger>(_ key: Key) throws -> T {
        let found = try at(key)
        return try state.integer(T.self, at: found.value, end: found.end)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let found = try at(key)
        return try state.value(T.self, at: found.value, end: found.end)
    }

    /// One look-up for a key that may be missing or nil (the default looks three times).
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let found = try entries.find(key), state.tag(at: found.value) != .null else { return nil }
        return try state.value(T.self, at: found.value, end: found.end)
    }

    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let found = try entries.find(key), state.tag(at: found.value) != .null else { return nil }
        return try state.string(at: found.value, end: found.end)
    }

    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? {
        guard let found = try entries.find(key), state.tag(at: found.value) != .null else { return nil }
        return try state.integer(Int.self, at: found.value, end: found.end)
    }

    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let found = try entries.find(key), state.tag(at: found.value) != .null else { return nil }
        return try state.double(at: found.value, end: found.end)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let found = try entries.find(key), state.tag(at: found.value) != .null else { return nil }
        return try state.bool(at: found.value)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let found = try at(key)
        return try ValueDecoder(state, at: found.value, end: found.end).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let found = try at(key)
        return try ValueDecoder(state, at: found.value, end: found.end).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { try superDecoder(named: "super") }

    func superDecoder(forKey key: Key) throws -> any Decoder { try superDecoder(named: key.stringValue) }

    private func superDecoder(named name: String) throws -> any Decoder {
        guard let key = AnyKey(stringValue: name), let found = try entries.find(key) else {
            throw state.malformed("no super value")
        }
        return ValueDecoder(state, at: found.value, end: found.end)
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

struct UnkeyedDecoder: UnkeyedDecodingContainer {
    let state: DecodingState
    var position: Int
    let end: Int
    let total: Int
    var currentIndex = 0
    var codingPath: [any CodingKey] { [] }
    var count: Int? { total }
    var isAtEnd: Bool { currentIndex >= total }

    init(state: DecodingState, position: Int, end: Int, count: Int) {
        self.state = state
        self.position = position
        self.end = end
        total = count
    }

    /// The next value's start and end; moves past it.
    private mutating func next() throws -> (value: Int, end: Int) {
        guard currentIndex < total else { throw state.malformed("read past the last element") }
        let value = position
        let after = try state.skip(value, end: end)
        position = after
        currentIndex += 1
        if currentIndex == total, position != end { throw state.malformed("bytes after the last element") }
        return (value, after)
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < total else { throw state.malformed("read past the last element") }
        guard state.tag(at: position) == .null else { return false }
        _ = try next()
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try state.bool(at: try next().value) }
    mutating func decode(_ type: String.Type) throws -> String {
        let found = try next()
        return try state.string(at: found.value, end: found.end)
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
        let found = try next()
        return try state.double(at: found.value, end: found.end)
    }
    mutating func decode(_ type: Float.Type) throws -> Float {
        let found = try next()
        return try state.float(at: found.value, end: found.end)
    }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer() }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer() }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }

    private mutating func integer<T: FixedWidthInteger>() throws -> T {
        let found = try next()
        return try state.integer(T.self, at: found.value, end: found.end)
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let found = try next()
        return try state.value(T.self, at: found.value, end: found.end)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        let found = try next()
        return try ValueDecoder(state, at: found.value, end: found.end).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let found = try next()
        return try ValueDecoder(state, at: found.value, end: found.end).unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder {
        let found = try next()
        return ValueDecoder(state, at: found.value, end: found.end)
    }
}

struct SingleDecoder: SingleValueDecodingContainer {
    let state: DecodingState
    let offset: Int
    let end: Int
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { state.tag(at: offset) == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try state.bool(at: offset) }
    func decode(_ type: String.Type) throws -> String { try state.string(at: offset, end: end) }
    func decode(_ type: Double.Type) throws -> Double { try state.double(at: offset, end: end) }
    func decode(_ type: Float.Type) throws -> Float { try state.float(at: offset, end: end) }
    func decode(_ type: Int.Type) throws -> Int { try state.integer(Int.self, at: offset, end: end) }
    func decode(_ type: Int8.Type) throws -> Int8 { try state.integer(Int8.self, at: offset, end: end) }
    func decode(_ type: Int16.Type) throws -> Int16 { try state.integer(Int16.self, at: offset, end: end) }
    func decode(_ type: Int32.Type) throws -> Int32 { try state.integer(Int32.self, at: offset, end: end) }
    func decode(_ type: Int64.Type) throws -> Int64 { try state.integer(Int64.self, at: offset, end: end) }
    func decode(_ type: UInt.Type) throws -> UInt { try state.integer(UInt.self, at: offset, end: end) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try state.integer(UInt8.self, at: offset, end: end) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try state.integer(UInt16.self, at: offset, end: end) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try state.integer(UInt32.self, at: offset, end: end) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try state.integer(UInt64.self, at: offset, end: end) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try state.value(T.self, at: offset, end: end) }
}
