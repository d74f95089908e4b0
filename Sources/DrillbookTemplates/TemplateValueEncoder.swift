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
        let encoding = TemplateEncoding()
        let result = try encoding.box(value)
        if let refusal = encoding.refusal {
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: [], debugDescription: refusal))
        }
        return result
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
final class TemplateEncoding: Encoder {
    /// A value being encoded: what its `encode(to:)` asked for and what it has given so far.
    struct Frame {
        enum Kind { case nothing, single, keyed, unkeyed }

        let type: Any.Type
        let id: ObjectIdentifier
        var kind = Kind.nothing
        /// The shape known for the type and the object being filled in its slot order.
        var shape: TemplateShape?
        var object: TemplateObject?
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
    }

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    private(set) var frames: [Frame] = []
    private var known: [ObjectIdentifier: TemplateValueEncoder.TypeInfo] = [:]
    /// Why the value cannot be encoded (a nested container), reported when the encoding ends.
    private(set) var refusal: String?

    init() {
        frames.reserveCapacity(8)
    }

    /// The template value of `value`, through its `encode(to:)`.
    func box<T: Encodable>(_ value: T) throws -> TemplateValue {
        if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
        if T.self == [String].self { return .list(unsafeBitCast(value, to: [String].self).map { .string($0) }) }
        if T.self == Bool.self { return .bool(unsafeBitCast(value, to: Bool.self)) }
        frames.append(Frame(type: T.self, id: ObjectIdentifier(T.self)))
        defer { frames.removeLast() }
        try value.encode(to: self)
        return finish()
    }

    /// The value of the innermost frame, once its `encode(to:)` has returned.
    private func finish() -> TemplateValue {
        let depth = frames.count - 1
        switch frames[depth].kind {
        case .nothing:
            return .object(.make([]))
        case .single:
            remember(.scalar, depth: depth)
            return frames[depth].single
        case .unkeyed:
            remember(.list, depth: depth)
            return .list(frames[depth].values)
        case .keyed:
            if let object = frames[depth].object {
                if frames[depth].next == object.shape.names.count { return .object(object) }
                degrade(depth)
            }
            let frame = frames[depth]
            let typeName = String(describing: frame.type)
            if frame.irregular {
                remember(.irregular(typeName: typeName), depth: depth)
                return .object(.make(Array(zip(frame.names, frame.values))))
            }
            let shape = TemplateShape(frame.names, model: ModelDescription(typeName: typeName, fields: frame.fields))
            remember(.object(shape), depth: depth)
            let object = TemplateObject.make(absent: shape)
            for (slot, value) in frame.values.enumerated() { object.set(value, at: slot) }
            return .object(object)
        }
    }

    /// Records what the innermost frame's type turned out to be, here and in the registry.
    private func remember(_ info: TemplateValueEncoder.TypeInfo, depth: Int) {
        let id = frames[depth].id
        switch (known[id], info) {
        case (nil, _), (.object?, .irregular): known[id] = TemplateValueEncoder.learn(info, for: id)
        default: break
        }
    }

    // MARK: - Containers

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let depth = frames.count - 1
        if frames[depth].kind == .nothing {
            frames[depth].kind = .keyed
            let id = frames[depth].id
            let info: TemplateValueEncoder.TypeInfo?
            if let local = known[id] {
                info = local
            } else {
                info = TemplateValueEncoder.info(of: id)
                if let info { known[id] = info }
            }
            switch info {
            case .object(let shape):
                frames[depth].shape = shape
                frames[depth].object = TemplateObject.make(absent: shape)
            case .irregular:
                frames[depth].irregular = true
            case .scalar, .list, nil:
                break
            }
        } else if frames[depth].kind != .keyed {
            refuse("\(frames[depth].type).encode(to:) asks for a keyed container after another kind")
        }
        return KeyedEncodingContainer(KeyedContainer<Key>(encoding: self, depth: depth))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let depth = frames.count - 1
        if frames[depth].kind == .nothing {
            frames[depth].kind = .unkeyed
        } else if frames[depth].kind != .unkeyed {
            refuse("\(frames[depth].type).encode(to:) asks for an unkeyed container after another kind")
        }
        return UnkeyedContainer(encoding: self, depth: depth)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        let depth = frames.count - 1
        if frames[depth].kind == .nothing {
            frames[depth].kind = .single
        } else if frames[depth].kind != .single {
            refuse("\(frames[depth].type).encode(to:) asks for a single-value container after another kind")
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
        guard depth == frames.count - 1 else {
            refuse("a keyed container used after the value it belongs to was finished")
            return
        }
        if let object = frames[depth].object {
            let next = frames[depth].next
            if next < object.shape.names.count, object.shape.names[next] == key {
                object.set(value, at: next)
                frames[depth].next = next + 1
                return
            }
            degrade(depth)
        }
        frames[depth].names.append(key)
        frames[depth].fields.append(field())
        frames[depth].values.append(value)
    }

    /// The keyed frame at `depth` met a key its type's shape does not have next: its fields so far
    /// move out of the shared shape and the rest come one by one; the type is irregular from now.
    private func degrade(_ depth: Int) {
        guard let object = frames[depth].object, let shape = frames[depth].shape else { return }
        let next = frames[depth].next
        frames[depth].names = Array(shape.names[..<next])
        frames[depth].fields = Array((shape.model?.fields ?? [])[..<next])
        frames[depth].values = (0..<next).map { object.value(at: $0) }
        frames[depth].object = nil
        frames[depth].shape = nil
        frames[depth].irregular = true
    }

    /// Appends an element to the unkeyed frame at `depth`.
    @inline(__always) func append(_ value: TemplateValue, depth: Int) {
        guard depth == frames.count - 1 else {
            refuse("an unkeyed container used after the value it belongs to was finished")
            return
        }
        frames[depth].values.append(value)
    }

    /// Sets the single-value frame at `depth`.
    func set(_ value: TemplateValue, depth: Int) {
        guard depth == frames.count - 1 else {
            refuse("a single-value container used after the value it belongs to was finished")
            return
        }
        frames[depth].single = value
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
    var count: Int { encoding.frames[depth].values.count }

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
        frames.append(Frame(type: Void.self, id: ObjectIdentifier(Void.self)))
        return container(keyedBy: type)
    }

    func throwawayUnkeyed() -> any UnkeyedEncodingContainer {
        frames.append(Frame(type: Void.self, id: ObjectIdentifier(Void.self)))
        return unkeyedContainer()
    }

    func throwawayEncoder() -> any Encoder {
        frames.append(Frame(type: Void.self, id: ObjectIdentifier(Void.self)))
        return self
    }
}
