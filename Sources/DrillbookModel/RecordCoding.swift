/// A value a record may leave out, for which "absent" and "empty" mean the same: a list, a map,
/// `Lessons`. Used through `@DefaultEmpty`.
public protocol EmptyDefault {
    /// The value of a missing key (`[]`, `[:]`, `Lessons()`).
    static var emptyDefault: Self { get }
}

extension Array: EmptyDefault {
    public static var emptyDefault: Self { [] }
}

extension Dictionary: EmptyDefault {
    public static var emptyDefault: Self { [:] }
}

/// A record key that may be missing or `null`, decoding to its empty value then; written always
/// (an empty list as `[]`), so records keep the shape `docs/formats.md` shows. With it the model's
/// `Codable` conformance is synthesized: `@DefaultEmpty public var participants: [Participant]`.
///
/// Decoding errors keep their coding path: a wrong value inside the key fails exactly as it
/// would without the wrapper.
@propertyWrapper
public struct DefaultEmpty<Value: EmptyDefault & Codable & Sendable & Hashable>: Sendable, Hashable, Codable {
    public var wrappedValue: Value

    public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }

    public init() { wrappedValue = .emptyDefault }

    public init(from decoder: any Decoder) throws {
        wrappedValue = try Value(from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try wrappedValue.encode(to: encoder)
    }
}

extension KeyedDecodingContainer {
    /// What synthesized `init(from:)` calls for a `@DefaultEmpty` property: a missing key or
    /// `null` is the empty value.
    public func decode<Value>(_ type: DefaultEmpty<Value>.Type, forKey key: Key) throws -> DefaultEmpty<Value> {
        DefaultEmpty(wrappedValue: try decodeIfPresent(Value.self, forKey: key) ?? .emptyDefault)
    }
}

/// An optional value that a published export writes as `null` when absent, rather than leaving
/// the key out (`actions.json`: every update has all its keys). Decoding accepts a missing key,
/// `null` or a value, as `decodeIfPresent` does.
@propertyWrapper
public struct NullWhenAbsent<Wrapped: Codable & Sendable & Hashable>: Sendable, Hashable, Codable {
    public var wrappedValue: Wrapped?

    public init(wrappedValue: Wrapped?) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Wrapped.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

extension KeyedDecodingContainer {
    /// What synthesized `init(from:)` calls for a `@NullWhenAbsent` property: a missing key is nil.
    public func decode<Wrapped>(_ type: NullWhenAbsent<Wrapped>.Type, forKey key: Key) throws -> NullWhenAbsent<Wrapped> {
        NullWhenAbsent(wrappedValue: try decodeIfPresent(Wrapped.self, forKey: key))
    }
}
