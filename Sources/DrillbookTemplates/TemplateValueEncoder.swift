import Synchronization

/// Turns an `Encodable` view model into the `TemplateValue` a template renders.
///
/// ```swift
/// struct Row: Encodable { var title: String; var href: String? }
/// let value = try TemplateValueEncoder().encode(Row(title: "Runs", href: nil))
/// ```
///
/// The view models keep the compiler-synthesized `encode(to:)`, so a renamed field is renamed
/// for the templates too and nothing is generated or reflected. What templates see:
/// - a `String` is text; a `Bool` is a flag (true shows a section, false an inverted one);
/// - an `Int`, a `Double` or another number is its `String(describing:)`, true in a section;
/// - a `nil` optional is absent: a `{{name}}` of it climbs to the enclosing objects, a section
///   of it is skipped and an inverted one shown. Its key stays in the type's shape (the keyed
///   container records `encodeIfPresent(nil)`), so every object of a type has every field;
/// - an array is a list (an empty one shows inverted sections), a `nil` element `"nil"`;
/// - a struct is an object whose fields sit in slots of one `TemplateShape` per type, learnt
///   from the first value of that type encoded in the process and shared by every later one.
///
/// A type whose `encode(to:)` is written by hand works as long as it uses one keyed, unkeyed or
/// single-value container; when it encodes different keys from one value to the next, its
/// objects get a shape each (slower, still correct). Nested containers and super encoders are
/// refused with an `EncodingError`.
public struct TemplateValueEncoder: Sendable {
    public init() {}

    /// The template value of `value`.
    public func encode<T: Encodable>(_ value: T) throws -> TemplateValue {
        let encoding = Self.takeEncoding()
        defer { Self.giveBack(encoding) }
        let result = try encoding.box(value)
        if let refusal = encoding.refusal {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: [], debugDescription: refusal))
        }
        return result
    }

    // MARK: - Encodings kept for reuse

    /// An idle encoding: nobody else holds it, so it can pass from the thread that gave it back
    /// to the one that takes it (through the pool's lock).
    struct Idle: @unchecked Sendable {
        let encoding: TemplateEncoding
    }

    /// Encodings whose last value is done, with the keyed containers they made: a page's types
    /// are mostly the previous page's, so a reused encoding makes a container (a box allocation
    /// and two generic metadata look-ups) once per type and depth per build, not per page. At
    /// most `maxIdle` (one per thread rendering at once); they keep no value (`reset()`).
    static let idle = Mutex<[Idle]>([])
    static let maxIdle = 16

    /// An idle encoding, or a new one.
    static func takeEncoding() -> TemplateEncoding {
        idle.withLock { $0.popLast() }?.encoding ?? TemplateEncoding()
    }

    /// Makes `encoding` idle again, or lets it go when enough are.
    static func giveBack(_ encoding: TemplateEncoding) {
        guard encoding.reset() else {
            encoding.close()
            return
        }
        let kept = idle.withLock { idle -> Bool in
            guard idle.count < maxIdle else { return false }
            idle.append(Idle(encoding: encoding))
            return true
        }
        if !kept { encoding.close() }
    }

    // MARK: - What is known of each type

    /// What the process has learnt of a type from encoding a value of it.
    enum TypeInfo: Sendable {
        /// A keyed container, the same keys every time: its objects share this shape.
        case object(TemplateShape)
        /// A keyed container whose keys changed from one value to another: a shape per object.
        case irregular(typeName: String)
        /// A single value (a string, a number, an enum with a raw value).
        case scalar
        /// An unkeyed container.
        case list
    }

    /// Every type encoded so far, and how many times a new one was added (the name check looks
    /// again at templates it could not check whole when this grows).
    struct Registry: Sendable {
        var types: [ObjectIdentifier: TypeInfo] = [:]
        var generation = 0
    }

    static let registry = Mutex(Registry())

    /// What is known of the type `id`, when a value of it has been encoded.
    static func info(of id: ObjectIdentifier) -> TypeInfo? {
        registry.withLock { $0.types[id] }
    }

    /// How many types are known; grows as values of new types are encoded.
    static var generation: Int { registry.withLock { $0.generation } }

    /// Records `info` for `id` unless a shape is known already (two threads may learn a type at
    /// once); returns the one kept.
    static func learn(_ info: TypeInfo, for id: ObjectIdentifier) -> TypeInfo {
        registry.withLock { registry in
            if let known = registry.types[id] {
                if case .irregular = info, case .object = known {
                    registry.types[id] = info
                    return info
                }
                return known
            }
            registry.types[id] = info
            registry.generation += 1
            return info
        }
    }
}

/// One encoding of one value: the values being made (innermost last), and the types met, so the
/// shared registry is asked once per type per page.
///
/// The frames sit in a buffer of their own, not an `Array`: a field costs a pointer access, not
/// an exclusivity check, a uniqueness check and a copy of the frame's references.
final class TemplateEncoding: Encoder {
    /// A value being encoded: what its `encode(to:)` asked for and what it has given so far.
    struct Frame {
        enum Kind { case nothing, single, keyed, unkeyed }

        let type: Any.Type
        let id: ObjectIdentifier
        var kind = Kind.nothing
        /// The object being filled in its shape's slot order.
        var object: TemplateObject?
        /// The object's slots and its shape's names (both kept alive by `object`, so neither is
        /// retained per frame), read per field.
        var slots: UnsafeMutablePointer<TemplateValue>?
        var slotNames: UnsafePointer<String>?
        var slotCount = 0
        /// The next slot to fill.
        var next = 0
        /// A type met for the first time, or one that changes keys: names, field types and
        /// values as they come.
        var names: [String] = []
        var fields: [FieldType] = []
        var values: [TemplateValue] = []
        var irregular = false
        /// A single value's value.
        var single = TemplateValue.absent

        init(type: Any.Type, id: ObjectIdentifier) {
            self.type = type
            self.id = id
        }
    }

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// The encoding's mutable state, behind a pointer the encoding owns: its fields are read and
    /// written at every value, and a class's stored `var`s would pay an exclusivity check each time.
    private struct State {
        /// `count` frames, innermost last, in a buffer of `capacity`.
        var frames: UnsafeMutablePointer<Frame>
        var capacity: Int
        var count = 0
        /// The keyed containers made so far, by depth and type of keys: objects of one type at
        /// one depth (a list's elements, a type's fields on every page) share one (its box is an
        /// allocation and its generic types two metadata look-ups), as a container is bound to a
        /// depth, not to a value. Searched from `lastContainer`; at most `maxContainers`; kept
        /// until `close()`.
        var containerKeys: [ObjectIdentifier] = []
        var containerDepths: [Int] = []
        var containerBoxes: [AnyObject] = []
        var lastContainer = 0
        /// Where each kept container is (its index, or -1 for none), by a hash of keys and depth,
        /// once the list is too long to search: open addressing in `tableSize` entries (a
        /// `Dictionary` would hash with SipHash at every nested value).
        var containerTable: [Int32] = []
        /// The types met in this encoding and what they are; `last` is the index of the one met
        /// last (a list's elements are one type after another), the others are searched (a page
        /// has a few).
        var knownIDs: [ObjectIdentifier] = []
        var knownInfos: [TemplateValueEncoder.TypeInfo] = []
        var last = 0
    }

    private let state: UnsafeMutablePointer<State>
    private static let maxContainers = 512
    /// Kept containers up to this many are searched in order, beyond it looked up in the table.
    private static let searchedContainers = 8
    /// The table's entries: a power of two, at least twice `maxContainers`.
    private static let tableSize = 1024

    /// Where the containers for keys `key` at `depth` start to be looked for in the table.
    @inline(__always) private static func tableStart(_ key: ObjectIdentifier, depth: Int) -> Int {
        let mixed = (UInt(bitPattern: key) >> 4 ^ UInt(depth)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 54) & (tableSize - 1)
    }

    private var frames: UnsafeMutablePointer<Frame> {
        @inline(__always) get { state.pointee.frames }
        set { state.pointee.frames = newValue }
    }
    private var capacity: Int {
        @inline(__always) get { state.pointee.capacity }
        set { state.pointee.capacity = newValue }
    }
    private(set) var count: Int {
        @inline(__always) get { state.pointee.count }
        set { state.pointee.count = newValue }
    }
    private var containerKeys: [ObjectIdentifier] {
        @inline(__always) get { state.pointee.containerKeys }
        _modify { yield &state.pointee.containerKeys }
    }
    private var containerDepths: [Int] {
        @inline(__always) get { state.pointee.containerDepths }
        _modify { yield &state.pointee.containerDepths }
    }
    private var containerBoxes: [AnyObject] {
        @inline(__always) get { state.pointee.containerBoxes }
        _modify { yield &state.pointee.containerBoxes }
    }
    private var lastContainer: Int {
        @inline(__always) get { state.pointee.lastContainer }
        set { state.pointee.lastContainer = newValue }
    }
    private var knownIDs: [ObjectIdentifier] {
        @inline(__always) get { state.pointee.knownIDs }
        _modify { yield &state.pointee.knownIDs }
    }
    private var knownInfos: [TemplateValueEncoder.TypeInfo] {
        @inline(__always) get { state.pointee.knownInfos }
        _modify { yield &state.pointee.knownInfos }
    }
    private var last: Int {
        @inline(__always) get { state.pointee.last }
        set { state.pointee.last = newValue }
    }
    /// Why the value cannot be encoded (a nested container), reported when the encoding ends.
    private(set) var refusal: String?

    init() {
        state = .allocate(capacity: 1)
        state.initialize(to: State(frames: .allocate(capacity: 8), capacity: 8))
        containerKeys.reserveCapacity(16)
        containerDepths.reserveCapacity(16)
        containerBoxes.reserveCapacity(16)
        knownIDs.reserveCapacity(16)
        knownInfos.reserveCapacity(16)
    }

    deinit {
        frames.deinitialize(count: count)
        frames.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Lets go of the containers kept for reuse (they refer to the encoding).
    func close() {
        containerBoxes = []
        containerKeys = []
        containerDepths = []
        state.pointee.containerTable = []
    }

    /// Readies the encoding for another value, keeping its containers; false when it cannot be
    /// reused (a value was refused, or one of its frames is still open).
    func reset() -> Bool {
        guard refusal == nil, count == 0 else { return false }
        knownIDs.removeAll(keepingCapacity: true)
        knownInfos.removeAll(keepingCapacity: true)
        last = 0
        return true
    }

    /// The frame at `depth` (below `count`).
    @inline(__always) func frame(_ depth: Int) -> UnsafeMutablePointer<Frame> { frames + depth }

    private func push(_ frame: consuming Frame) {
        if count == capacity {
            let grown = UnsafeMutablePointer<Frame>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: frames, count: count)
            frames.deallocate()
            frames = grown
            capacity *= 2
        }
        (frames + count).initialize(to: frame)
        count += 1
    }

    private func pop() {
        count -= 1
        _ = (frames + count).move()
    }

    /// `[String]`, looked up once: in generic code `[String].self` asks the runtime for the metadata each time.
    private static let stringList = ObjectIdentifier([String].self)

    /// The template value of `value`, through its `encode(to:)`.
    func box<T: Encodable>(_ value: T) throws -> TemplateValue {
        if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
        if ObjectIdentifier(T.self) == Self.stringList { return .list(unsafeBitCast(value, to: [String].self).map { .string($0) }) }
        if T.self == Bool.self { return .bool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == Int.self { return .other(unsafeBitCast(value, to: Int.self).description) }
        push(Frame(type: T.self, id: ObjectIdentifier(T.self)))
        defer { pop() }
        try value.encode(to: self)
        return finish()
    }

    /// The value of the innermost frame, once its `encode(to:)` has returned. What it made is
    /// moved out of the frame (which is popped next), not copied and then released.
    private func finish() -> TemplateValue {
        let depth = count - 1
        let frame = frame(depth)
        switch frame.pointee.kind {
        case .nothing:
            return .object(.make([]))
        case .single:
            remember(.scalar, depth: depth)
            return exchange(&frame.pointee.single, with: .absent)
        case .unkeyed:
            remember(.list, depth: depth)
            return .list(exchange(&frame.pointee.values, with: []))
        case .keyed:
            if frame.pointee.object != nil {
                if frame.pointee.next == frame.pointee.slotCount, let object = frame.pointee.object.take() {
                    return .object(object)
                }
                degrade(depth)
            }
            let typeName = String(describing: frame.pointee.type)
            if frame.pointee.irregular {
                remember(.irregular(typeName: typeName), depth: depth)
                return .object(.make(Array(zip(frame.pointee.names, frame.pointee.values))))
            }
            let shape = TemplateShape(
                frame.pointee.names, model: ModelDescription(typeName: typeName, fields: frame.pointee.fields))
            remember(.object(shape), depth: depth)
            let object = TemplateObject.make(absent: shape)
            for (slot, value) in frame.pointee.values.enumerated() { object.set(value, at: slot) }
            return .object(object)
        }
    }

    /// What is known of the type `id`: in this encoding, else in the registry.
    @inline(__always) private func info(of id: ObjectIdentifier) -> TemplateValueEncoder.TypeInfo? {
        if last < knownIDs.count, knownIDs[last] == id { return knownInfos[last] }
        if let index = knownIDs.firstIndex(of: id) {
            last = index
            return knownInfos[index]
        }
        guard let info = TemplateValueEncoder.info(of: id) else { return nil }
        last = knownIDs.count
        knownIDs.append(id)
        knownInfos.append(info)
        return info
    }

    /// Records what the innermost frame's type turned out to be, here and in the registry.
    private func remember(_ info: TemplateValueEncoder.TypeInfo, depth: Int) {
        let id = frame(depth).pointee.id
        if last < knownIDs.count, knownIDs[last] == id, !isDegrading(knownInfos[last], to: info) { return }
        if let index = knownIDs.firstIndex(of: id) {
            last = index
            if isDegrading(knownInfos[index], to: info) { knownInfos[index] = TemplateValueEncoder.learn(info, for: id) }
            return
        }
        last = knownIDs.count
        knownIDs.append(id)
        knownInfos.append(TemplateValueEncoder.learn(info, for: id))
    }

    /// Whether `info` replaces `known`: a type with a shape turned out to change keys.
    private func isDegrading(_ known: TemplateValueEncoder.TypeInfo, to info: TemplateValueEncoder.TypeInfo) -> Bool {
        if case .object = known, case .irregular = info { return true }
        return false
    }

    // MARK: - Containers

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let depth = count - 1
        let frame = frame(depth)
        if frame.pointee.kind == .nothing {
            frame.pointee.kind = .keyed
            switch info(of: frame.pointee.id) {
            case .object(let shape):
                let object = TemplateObject.make(absent: shape)
                frame.pointee.slots = object.withUnsafeMutablePointerToElements { $0 }
                // The shape's `names` is a `let` of a shape the object keeps: its buffer stays put.
                frame.pointee.slotNames = shape.names.withUnsafeBufferPointer { $0.baseAddress }
                frame.pointee.slotCount = shape.names.count
                frame.pointee.object = object
            case .irregular:
                frame.pointee.irregular = true
            case .scalar, .list, nil:
                break
            }
        } else if frame.pointee.kind != .keyed {
            refuse("\(frame.pointee.type).encode(to:) asks for a keyed container after another kind")
        }
        let key = ObjectIdentifier(Key.self)
        if let index = containerIndex(key, depth: depth) {
            // A `KeyedEncodingContainer` is its box (one reference); this one was made below for `Key`.
            return unsafeBitCast(containerBoxes[index], to: KeyedEncodingContainer<Key>.self)
        }
        let container = KeyedEncodingContainer(KeyedContainer<Key>(encoding: self, depth: depth))
        if containerKeys.count < Self.maxContainers {
            lastContainer = containerKeys.count
            containerKeys.append(key)
            containerDepths.append(depth)
            containerBoxes.append(unsafeBitCast(container, to: AnyObject.self))
            if state.pointee.containerTable.isEmpty {
                state.pointee.containerTable = Array(repeating: -1, count: Self.tableSize)
            }
            var entry = Self.tableStart(key, depth: depth)
            while state.pointee.containerTable[entry] >= 0 { entry = (entry + 1) & (Self.tableSize - 1) }
            state.pointee.containerTable[entry] = Int32(lastContainer)
        }
        return container
    }

    /// Where the container for keys `key` at `depth` is kept, if one is.
    @inline(__always) private func containerIndex(_ key: ObjectIdentifier, depth: Int) -> Int? {
        if lastContainer < containerKeys.count, containerKeys[lastContainer] == key, containerDepths[lastContainer] == depth {
            return lastContainer
        }
        if containerKeys.count > Self.searchedContainers {
            var entry = Self.tableStart(key, depth: depth)
            while true {
                let index = Int(state.pointee.containerTable[entry])
                if index < 0 { return nil }
                if state.pointee.containerKeys[index] == key, state.pointee.containerDepths[index] == depth {
                    lastContainer = index
                    return index
                }
                entry = (entry + 1) & (Self.tableSize - 1)
            }
        }
        for index in containerKeys.indices where containerKeys[index] == key && containerDepths[index] == depth {
            lastContainer = index
            return index
        }
        return nil
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let depth = count - 1
        let frame = frame(depth)
        if frame.pointee.kind == .nothing {
            frame.pointee.kind = .unkeyed
        } else if frame.pointee.kind != .unkeyed {
            refuse("\(frame.pointee.type).encode(to:) asks for an unkeyed container after another kind")
        }
        return UnkeyedContainer(encoding: self, depth: depth)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        let depth = count - 1
        let frame = frame(depth)
        if frame.pointee.kind == .nothing {
            frame.pointee.kind = .single
        } else if frame.pointee.kind != .single {
            refuse("\(frame.pointee.type).encode(to:) asks for a single-value container after another kind")
        }
        return SingleValueContainer(encoding: self, depth: depth)
    }

    func refuse(_ reason: String) {
        if refusal == nil {
            refusal = reason + "; template values take one keyed, unkeyed or single-value container per value"
        }
    }

    // MARK: - Filling

    /// Stores the value of the field `key` of the keyed frame at `depth`, declared as `field`.
    @inline(__always) func put(_ value: TemplateValue, key: String, field: @autoclosure () -> FieldType, depth: Int) {
        guard depth == count - 1 else {
            refuse("a keyed container used after the value it belongs to was finished")
            return
        }
        let frame = frame(depth)
        if let slots = frame.pointee.slots {
            let next = frame.pointee.next
            if next < frame.pointee.slotCount, let names = frame.pointee.slotNames, names[next] == key {
                slots[next] = value
                frame.pointee.next = next + 1
                return
            }
            degrade(depth)
        }
        frame.pointee.names.append(key)
        frame.pointee.fields.append(field())
        frame.pointee.values.append(value)
    }

    /// The keyed frame at `depth` met a key its type's shape does not have next: its fields so far
    /// move out of the shared shape and the rest come one by one; the type is irregular from now.
    private func degrade(_ depth: Int) {
        let frame = frame(depth)
        guard let object = frame.pointee.object else { return }
        let shape = object.shape
        let next = frame.pointee.next
        frame.pointee.names = Array(shape.names[..<next])
        frame.pointee.fields = Array((shape.model?.fields ?? [])[..<next])
        frame.pointee.values = (0..<next).map { object.value(at: $0) }
        frame.pointee.object = nil
        frame.pointee.slots = nil
        frame.pointee.slotNames = nil
        frame.pointee.slotCount = 0
        frame.pointee.irregular = true
    }

    /// Appends an element to the unkeyed frame at `depth`.
    @inline(__always) func append(_ value: TemplateValue, depth: Int) {
        guard depth == count - 1 else {
            refuse("an unkeyed container used after the value it belongs to was finished")
            return
        }
        frame(depth).pointee.values.append(value)
    }

    /// How many elements the unkeyed frame at `depth` has.
    func elementCount(depth: Int) -> Int {
        depth < count ? frame(depth).pointee.values.count : 0
    }

    /// Sets the single-value frame at `depth`.
    func set(_ value: TemplateValue, depth: Int) {
        guard depth == count - 1 else {
            refuse("a single-value container used after the value it belongs to was finished")
            return
        }
        frame(depth).pointee.single = value
    }

    static func number<N: CustomStringConvertible>(_ value: N) -> TemplateValue { .other(value.description) }
}

/// The fields of a struct, in the order its `encode(to:)` gives them.
private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoding: TemplateEncoding
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) { encoding.put(.absent, key: key.stringValue, field: .unknown, depth: depth) }
    mutating func encode(_ value: String, forKey key: Key) {
        encoding.put(.string(value), key: key.stringValue, field: .scalar, depth: depth)
    }
    mutating func encode(_ value: Bool, forKey key: Key) {
        encoding.put(.bool(value), key: key.stringValue, field: .scalar, depth: depth)
    }
    mutating func encode(_ value: Int, forKey key: Key) { scalar(value, key) }
    mutating func encode(_ value: Double, forKey key: Key) { scalar(value, key) }
    mutating func encode(_ value: Float, forKey key: Key) { scalar(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) { scalar(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) { scalar(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) { scalar(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) { scalar(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) { scalar(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) { scalar(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) { scalar(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) { scalar(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) { scalar(value, key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        let boxed = try encoding.box(value)
        encoding.put(boxed, key: key.stringValue, field: .of(T.self), depth: depth)
    }

    private func scalar<N: CustomStringConvertible>(_ value: N, _ key: Key) {
        encoding.put(TemplateEncoding.number(value), key: key.stringValue, field: .scalar, depth: depth)
    }

    /// A `nil` optional: the key is kept, its value absent, so the type's shape has every field.
    private func absent<T>(_ key: Key, _ type: T.Type) {
        encoding.put(.absent, key: key.stringValue, field: .of(type), depth: depth)
    }

    mutating func encodeIfPresent(_ value: String?, forKey key: Key) {
        if let value { encode(value, forKey: key) } else { absent(key, String.self) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) {
        if let value { encode(value, forKey: key) } else { absent(key, Bool.self) }
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) {
        if let value { encode(value, forKey: key) } else { absent(key, Int.self) }
    }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) {
        if let value { encode(value, forKey: key) } else { absent(key, Double.self) }
    }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) {
        if let value { encode(value, forKey: key) } else { absent(key, Float.self) }
    }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) {
        if let value { encode(value, forKey: key) } else { absent(key, Int8.self) }
    }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) {
        if let value { encode(value, forKey: key) } else { absent(key, Int16.self) }
    }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) {
        if let value { encode(value, forKey: key) } else { absent(key, Int32.self) }
    }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) {
        if let value { encode(value, forKey: key) } else { absent(key, Int64.self) }
    }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) {
        if let value { encode(value, forKey: key) } else { absent(key, UInt.self) }
    }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) {
        if let value { encode(value, forKey: key) } else { absent(key, UInt8.self) }
    }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) {
        if let value { encode(value, forKey: key) } else { absent(key, UInt16.self) }
    }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) {
        if let value { encode(value, forKey: key) } else { absent(key, UInt32.self) }
    }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) {
        if let value { encode(value, forKey: key) } else { absent(key, UInt64.self) }
    }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { absent(key, T.self) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        encoding.refuse("a nested keyed container (for \"\(key.stringValue)\")")
        return TemplateEncoding().throwaway(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoding.refuse("a nested unkeyed container (for \"\(key.stringValue)\")")
        return TemplateEncoding().throwawayUnkeyed()
    }

    mutating func superEncoder() -> any Encoder {
        encoding.refuse("a super encoder")
        return TemplateEncoding().throwawayEncoder()
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoding.refuse("a super encoder (for \"\(key.stringValue)\")")
        return TemplateEncoding().throwawayEncoder()
    }
}

/// The elements of an array, in order.
private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let encoding: TemplateEncoding
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var count: Int { encoding.elementCount(depth: depth) }

    mutating func encodeNil() { encoding.append(.other("nil"), depth: depth) }
    mutating func encode(_ value: String) { encoding.append(.string(value), depth: depth) }
    mutating func encode(_ value: Bool) { encoding.append(.bool(value), depth: depth) }
    mutating func encode(_ value: Int) { encoding.append(TemplateEncoding.number(value), depth: depth) }
    mutating func encode(_ value: Double) { encoding.append(TemplateEncoding.number(value), depth: depth) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        // `[RunRow]` and `[String?]` come here element by element (Array's `encode(to:)` is generic).
        let element = try encoding.box(value)
        if case .absent = element {
            encoding.append(.other("nil"), depth: depth)
        } else {
            encoding.append(element, depth: depth)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoding.refuse("a nested keyed container in a list")
        return TemplateEncoding().throwaway(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        encoding.refuse("a nested unkeyed container in a list")
        return TemplateEncoding().throwawayUnkeyed()
    }

    mutating func superEncoder() -> any Encoder {
        encoding.refuse("a super encoder in a list")
        return TemplateEncoding().throwawayEncoder()
    }
}

/// One value: a string, a flag, a number, or `nil`.
private struct SingleValueContainer: SingleValueEncodingContainer {
    let encoding: TemplateEncoding
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() { encoding.set(.absent, depth: depth) }
    mutating func encode(_ value: String) { encoding.set(.string(value), depth: depth) }
    mutating func encode(_ value: Bool) { encoding.set(.bool(value), depth: depth) }
    mutating func encode(_ value: Int) { encoding.set(TemplateEncoding.number(value), depth: depth) }
    mutating func encode(_ value: Double) { encoding.set(TemplateEncoding.number(value), depth: depth) }
    mutating func encode(_ value: Float) { encoding.set(TemplateEncoding.number(value), depth: depth) }
    mutating func encode(_ value: Int8) { encoding.set(TemplateEncoding.number(value), depth: depth) }
    mutating func encode(_ value: Int16) { encoding.set(TemplateEncoding.number(value), depth: depth) }
    mutating func encode(_ value: Int32) { encoding.set(TemplateEncoding.number(value), depth: depth) }
    mutating func encode(_ value: Int64) { encoding.set(TemplateEncoding.number(value), depth: depth) }
    mutating func encode(_ value: UInt) { encoding.set(TemplateEncoding.number(value), depth: depth) }
    mutating func encode(_ value: UInt8) { encoding.set(TemplateEncoding.number(value), depth: depth) }
    mutating func encode(_ value: UInt16) { encoding.set(TemplateEncoding.number(value), depth: depth) }
    mutating func encode(_ value: UInt32) { encoding.set(TemplateEncoding.number(value), depth: depth) }
    mutating func encode(_ value: UInt64) { encoding.set(TemplateEncoding.number(value), depth: depth) }
    mutating func encode<T: Encodable>(_ value: T) throws { encoding.set(try encoding.box(value), depth: depth) }
}

extension TemplateEncoding {
    /// Containers of an encoding nobody reads, returned where a refused container is asked for.
    func throwaway<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        push(Frame(type: Void.self, id: ObjectIdentifier(Void.self)))
        let container = container(keyedBy: type)
        close()
        return container
    }

    func throwawayUnkeyed() -> any UnkeyedEncodingContainer {
        push(Frame(type: Void.self, id: ObjectIdentifier(Void.self)))
        return unkeyedContainer()
    }

    func throwawayEncoder() -> any Encoder {
        push(Frame(type: Void.self, id: ObjectIdentifier(Void.self)))
        return self
    }
}
