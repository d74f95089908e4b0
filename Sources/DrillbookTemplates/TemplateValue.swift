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

    /// An object with these fields, in name order (tests; view models go through
    /// `TemplateValueEncoder`, whose objects share one shape per type).
    public static func fields(_ fields: [String: TemplateValue]) -> TemplateValue {
        .object(.make(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
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
/// `TemplateValueEncoder` makes one per view model type, with the type's description (its name
/// and the type of each field, which the theme's name check reads); `TemplateValue.fields` makes
/// one per object, without.
public final class TemplateShape: Sendable {
    /// The field names, by slot.
    public let names: [String]
    /// Indexed by `TemplateNames` number: the slot holding that name, or -1.
    private let slots: [Int32]
    /// The type whose objects have this shape, when the encoder made it.
    let model: ModelDescription?

    /// A shape whose slots hold `names`, in this order.
    public convenience init(_ names: [String]) {
        self.init(names, model: nil)
    }

    init(_ names: [String], model: ModelDescription?) {
        self.names = names
        self.model = model
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

/// What the encoder learnt of a view model type from its `encode(to:)`: its name, for messages,
/// and the declared type of each field (by slot), whether or not the field had a value.
struct ModelDescription: Sendable {
    /// `RunPage`.
    var typeName: String
    /// The type of each field, by slot.
    var fields: [FieldType]
}

/// The declared type of a view model's field, as far as templates care.
indirect enum FieldType: Sendable, Equatable {
    /// A string, a boolean, a number: no fields of its own.
    case scalar
    /// An array of elements of this type.
    case list(FieldType)
    /// Another type, described once an instance of it is encoded (`TemplateValueEncoder.registry`).
    case model(ObjectIdentifier)
    /// Not known (a hand-written `encode(to:)` that called `encodeNil`).
    case unknown

    /// The field type of a value declared as `type`.
    static func of<T>(_ type: T.Type) -> FieldType {
        if type == String.self || type == Bool.self || type == Int.self || type == Double.self { return .scalar }
        if let list = type as? any TemplateListType.Type { return .list(list.elementType) }
        if let optional = type as? any TemplateOptionalType.Type { return optional.wrappedType }
        return .model(ObjectIdentifier(type))
    }
}

/// Collections a view model declares (`[RunRow]`), so a field's element type is known even
/// when the list is empty.
protocol TemplateListType {
    static var elementType: FieldType { get }
}

extension Array: TemplateListType {
    static var elementType: FieldType { .of(Element.self) }
}

extension ContiguousArray: TemplateListType {
    static var elementType: FieldType { .of(Element.self) }
}

/// `Optional`, looked through: a `nil` field has the type of its value.
protocol TemplateOptionalType {
    static var wrappedType: FieldType { get }
}

extension Optional: TemplateOptionalType {
    static var wrappedType: FieldType { .of(Wrapped.self) }
}

/// An object's fields: one value per slot of its shape (`.absent` for a `nil` field), stored in
/// the object itself, so an object is one allocation. Immutable once made.
public final class TemplateObject: ManagedBuffer<TemplateShape, TemplateValue> {
    /// The slots of an object being made, filled in order.
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

    /// An object of `shape` with every slot absent, for `set(_:at:)` to fill (the encoder).
    static func make(absent shape: TemplateShape) -> TemplateObject {
        let object = unsafeDowncast(create(minimumCapacity: shape.names.count) { _ in shape }, to: TemplateObject.self)
        object.withUnsafeMutablePointerToElements { elements in
            elements.initialize(repeating: .absent, count: shape.names.count)
        }
        return object
    }

    /// Stores `value` in `slot` (below the shape's field count), while the object is being made.
    @inline(__always) func set(_ value: consuming TemplateValue, at slot: Int) {
        withUnsafeMutablePointerToElements { elements in elements[slot] = value }
    }

    /// The value in `slot` (below the shape's field count).
    func value(at slot: Int) -> TemplateValue {
        withUnsafeMutablePointerToElements { elements in elements[slot] }
    }

    /// An object with its own shape, fields in the order given (tests).
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
