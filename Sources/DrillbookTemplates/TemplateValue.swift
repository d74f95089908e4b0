import Synchronization

/// A view model prepared for `CompiledTemplate`: what a Mustache template sees, already resolved.
///
/// Objects hold their fields in slots (`TemplateObject`) found through interned names
/// (`TemplateNames`), so a `{{name}}` costs an array index, not a string hash. A value is made
/// and rendered within one page's work, so it is not `Sendable` (objects are `ManagedBuffer`s).
public enum TemplateValue: Equatable {
    case string(String)
    case bool(Bool)
    case object(TemplateObject)
    case list([TemplateValue])
    /// Numbers, enums and anything else: rendered as `String(describing:)`, true in a section.
    case other(String)
    /// A field without a value (a `nil` optional), as an object's slot holds it; a lookup never
    /// returns it, so templates see the field as missing.
    case absent

    /// An object with these fields (tests and reflection; generated code uses a shared shape).
    public static func fields(_ fields: [String: TemplateValue]) -> TemplateValue {
        .object(.make(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
    }

    /// `value` read once through reflection, for a model without a `TemplateValueConvertible`
    /// conformance: a `nil` optional is absent, structs become objects, arrays lists, as
    /// swift-mustache's reflection sees them.
    public static func make(_ value: Any) -> TemplateValue? {
        switch value {
        case let string as String: return .string(string)
        case let bool as Bool: return .bool(bool)
        case let int as Int: return .other(String(int))
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first else { return nil }
            return make(wrapped.value)
        case .struct, .class:
            var fields: [(String, TemplateValue)] = []
            var seen: Set<String> = []
            for child in mirror.children {
                guard let label = child.label, !seen.contains(label), let made = make(child.value) else { continue }
                seen.insert(label)
                fields.append((label, made))
            }
            return .object(.make(fields))
        case .collection, .set:
            return .list(mirror.children.map { make($0.value) ?? .other("nil") })
        case .dictionary:
            var fields: [String: TemplateValue] = [:]
            for pair in mirror.children {
                let entry = Array(Mirror(reflecting: pair.value).children)
                guard entry.count == 2, let key = entry[0].value as? String, let made = make(entry[1].value) else { continue }
                fields[key] = made
            }
            return .fields(fields)
        default:
            return .other(String(describing: value))
        }
    }

    public static func == (lhs: TemplateValue, rhs: TemplateValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)), (.other(let a), .other(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.list(let a), .list(let b)): a == b
        case (.object(let a), .object(let b)): a === b || a.presentFields == b.presentFields
        case (.absent, .absent): true
        default: false
        }
    }
}

/// Every field name a template or a view model uses, numbered once per process: templates
/// resolve `{{a.b}}` to these numbers when they compile, objects when their shape is made.
/// The names are the models' fields and the templates' tags (a few hundred); only reflecting a
/// dictionary (no page model has one) would add names from data.
enum TemplateNames {
    private static let numbers = Mutex<[String: Int]>([:])

    /// The number of `name`, assigned on first use.
    static func number(of name: String) -> Int {
        numbers.withLock { numbers in
            if let number = numbers[name] { return number }
            let number = numbers.count
            numbers[name] = number
            return number
        }
    }
}

/// The field names of one kind of object, in slot order, with a table from name number to slot.
/// Generated code makes one per view model type; reflection makes one per object.
public final class TemplateShape: Sendable {
    /// The field names, by slot.
    public let names: [String]
    /// Indexed by `TemplateNames` number: the slot holding that name, or -1.
    private let slots: [Int32]

    /// A shape whose slots hold `names`, in this order.
    public init(_ names: [String]) {
        self.names = names
        let numbers = names.map(TemplateNames.number(of:))
        var slots = [Int32](repeating: -1, count: (numbers.max() ?? -1) + 1)
        for (slot, number) in numbers.enumerated() where slots[number] < 0 { slots[number] = Int32(slot) }
        self.slots = slots
    }

    /// The slot of the name numbered `number`, or nil when objects of this shape have no such field.
    @inline(__always) func slot(of number: Int) -> Int? {
        guard number < slots.count else { return nil }
        let slot = slots[number]
        return slot < 0 ? nil : Int(slot)
    }
}

/// An object's fields: one value per slot of its shape (`.absent` for a `nil` field), stored in
/// the object itself, so an object is one allocation. Immutable once made.
public final class TemplateObject: ManagedBuffer<TemplateShape, TemplateValue> {
    /// The slots of an object being made, filled in order.
    ///
    /// Inlinable, like `make(_:_:)`: the site's view models fill every object through them, from
    /// another module, once per field of every page.
    public struct Slots: ~Copyable {
        @usableFromInline let start: UnsafeMutablePointer<TemplateValue>
        @usableFromInline let capacity: Int
        @usableFromInline var count = 0

        @usableFromInline init(start: UnsafeMutablePointer<TemplateValue>, capacity: Int) {
            self.start = start
            self.capacity = capacity
        }

        /// Fills the next slot.
        @inlinable public mutating func append(_ value: TemplateValue?) {
            precondition(count < capacity, "more values than the shape has fields")
            (start + count).initialize(to: value ?? .absent)
            count += 1
        }
    }

    /// An object of `shape` whose slots `fill` appends, one value per field, in the shape's order.
    @inlinable public static func make(_ shape: TemplateShape, _ fill: (inout Slots) -> Void) -> TemplateObject {
        let object = unsafeDowncast(create(minimumCapacity: shape.names.count) { _ in shape }, to: TemplateObject.self)
        object.withUnsafeMutablePointerToElements { elements in
            var slots = Slots(start: elements, capacity: shape.names.count)
            fill(&slots)
            precondition(slots.count == shape.names.count, "a value for every field of the shape")
        }
        return object
    }

    /// An object with its own shape, fields in the order given (reflection and tests).
    public static func make(_ fields: [(String, TemplateValue)]) -> TemplateObject {
        make(TemplateShape(fields.map(\.0))) { slots in
            for (_, value) in fields { slots.append(value) }
        }
    }

    deinit {
        withUnsafeMutablePointers { shape, elements in _ = elements.deinitialize(count: shape.pointee.names.count) }
    }

    /// The shape of the object's fields.
    public var shape: TemplateShape { header }

    /// Where the value of the field whose name is numbered `number` is stored, when present.
    /// The value is stored in the object: the pointer is valid while the object lives.
    @inline(__always) func field(_ number: Int) -> UnsafePointer<TemplateValue>? {
        withUnsafeMutablePointers { shape, elements in
            guard let slot = shape.pointee.slot(of: number) else { return nil }
            if case .absent = elements[slot] { return nil }
            return UnsafePointer(elements + slot)
        }
    }

    /// The fields that have a value, by name (the first of a repeated name).
    var presentFields: [String: TemplateValue] {
        withUnsafeMutablePointers { shape, elements in
            var fields: [String: TemplateValue] = [:]
            for (slot, name) in shape.pointee.names.enumerated() where fields[name] == nil {
                if case .absent = elements[slot] { continue }
                fields[name] = elements[slot]
            }
            return fields
        }
    }
}

/// A view model that states its own `TemplateValue`, so pages render without reflection; the
/// result equals `TemplateValue.make(self)`.
public protocol TemplateValueConvertible {
    /// The value templates see; nil for a `nil` optional.
    var templateValue: TemplateValue? { get }
}

extension String: TemplateValueConvertible {
    @inlinable public var templateValue: TemplateValue? { .string(self) }
}

extension Bool: TemplateValueConvertible {
    @inlinable public var templateValue: TemplateValue? { .bool(self) }
}

extension Int: TemplateValueConvertible {
    @inlinable public var templateValue: TemplateValue? { .other(String(self)) }
}

extension Double: TemplateValueConvertible {
    @inlinable public var templateValue: TemplateValue? { .other(String(describing: self)) }
}

extension Optional: TemplateValueConvertible where Wrapped: TemplateValueConvertible {
    @inlinable public var templateValue: TemplateValue? { self?.templateValue }
}

extension Array: TemplateValueConvertible where Element: TemplateValueConvertible {
    @inlinable public var templateValue: TemplateValue? { .list(map { $0.templateValue ?? .other("nil") }) }
}
