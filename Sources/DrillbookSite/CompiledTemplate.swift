import DrillbookCharts
import Foundation
import Synchronization

/// A theme template compiled for fast rendering of prepared values (`TemplateValue`).
///
/// swift-mustache looks every `{{name}}` up through several dynamic casts and a `Mirror`, and
/// escapes character by character; at 10,000 runs that was most of the build. This renderer
/// covers the Mustache the themes use — variables (`{{a.b}}`, `{{{html}}}`, `{{&html}}`,
/// `{{.}}`), sections, inverted sections, comments, partials and one level of inheritance
/// (`{{<layout}}` with `{{$block}}` overrides) — with the same standalone-line rules as
/// swift-mustache, so it writes the same bytes. A template using anything else (set delimiters,
/// pragmas such as `{{%CONTENT_TYPE}}`, transforms, dynamic partials, `\r`, a tag indented
/// on its own line, or partials that include themselves) does not compile here and its pages
/// keep rendering through swift-mustache.
///
/// How a page renders, and what each step saves:
/// 1. `CompiledTemplate` parses a template into a node tree (this type).
/// 2. `TemplateProgram` inlines a page template's partials, parent and blocks into a flat list
///    of operations over one buffer of text bytes, with every name of `{{a.b}}` already a
///    number (`TemplateNames`).
/// 3. The page's view model states its value (`TemplateValue`, generated TemplateValues.swift):
///    objects keep their fields in slots of a shared `TemplateShape`, so a lookup is an index.
/// 4. `ProgramRun` walks the operations, reaching values through pointers to where they are
///    stored (no copies), and writes into a `RenderBuffer`, which `OutputFolder` stages as is.
struct CompiledTemplate: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case variable([String], escaped: Bool)
        case section([String], inverted: Bool, [Node])
        case partial(String)
        case parent(String, overrides: [String: [Node]])
        case block(String, [Node])
    }

    /// Why a template stays with swift-mustache.
    struct Unsupported: Error {
        var reason: String
    }

    let nodes: [Node]

    init(_ source: String) throws(Unsupported) {
        if source.contains("\r") { throw Unsupported(reason: "carriage return") }
        var scanner = Scanner(bytes: Array(source.utf8))
        nodes = try Self.parse(&scanner, newLine: true, section: nil, parentTopLevel: false).nodes
    }

    /// The partials and parents a template refers to.
    var references: [String] {
        var names: [String] = []
        func walk(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .partial(let name): names.append(name)
                case .parent(let name, let overrides):
                    names.append(name)
                    for key in overrides.keys.sorted() { walk(overrides[key]!) }
                case .section(_, _, let children), .block(_, let children): walk(children)
                case .text, .variable: break
                }
            }
        }
        walk(nodes)
        return names
    }

    // MARK: - Parsing

    struct Scanner {
        let bytes: [UInt8]
        var position = 0

        var atEnd: Bool { position >= bytes.count }
        func peek(_ offset: Int = 0) -> UInt8? { position + offset < bytes.count ? bytes[position + offset] : nil }
        func startsTag() -> Bool { peek() == UInt8(ascii: "{") && peek(1) == UInt8(ascii: "{") }

        /// After a tag: when only spaces or tabs follow up to a newline (or the end), consumes them
        /// and the newline and returns true.
        mutating func lineFinished() -> Bool {
            if position >= bytes.count { return true }
            var index = position
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: "\n") {
                position = index + 1
                return true
            }
            return false
        }

        /// Reads up to `}}` (or `}}}`), returning the trimmed inside.
        mutating func readTag(closing: String) throws(Unsupported) -> String {
            let close = Array(closing.utf8)
            var index = position
            while index + close.count <= bytes.count {
                if Array(bytes[index..<index + close.count]) == close {
                    let inside = String(decoding: bytes[position..<index], as: UTF8.self)
                    position = index + close.count
                    return inside.trimmingCharacters(in: .whitespaces)
                }
                index += 1
            }
            throw Unsupported(reason: "unfinished tag")
        }
    }

    private static func isName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "." || c == "-" || c == "_"
        }
    }

    private static func path(_ name: String) throws(Unsupported) -> [String] {
        guard isName(name) else { throw Unsupported(reason: "name \(name)") }
        if name == "." { return ["."] }
        if name.hasPrefix(".") { throw Unsupported(reason: "leading dot") }
        return name.split(separator: ".").map(String.init)
    }

    /// Parses until the end or the closing tag of `section`; returns the nodes (and, inside a
    /// `{{<parent}}`, the block overrides).
    private static func parse(
        _ scanner: inout Scanner, newLine startNewLine: Bool, section: String?, parentTopLevel: Bool
    ) throws(Unsupported) -> (nodes: [Node], overrides: [String: [Node]]) {
        var nodes: [Node] = []
        var overrides: [String: [Node]] = [:]
        var newLine = startNewLine
        while true {
            if newLine, !scanner.atEnd {
                // A tag after spaces at the start of a line would need swift-mustache's indentation rules.
                var index = scanner.position
                while index < scanner.bytes.count, scanner.bytes[index] == UInt8(ascii: " ") || scanner.bytes[index] == UInt8(ascii: "\t") {
                    index += 1
                }
                if index > scanner.position, index + 1 < scanner.bytes.count, scanner.bytes[index] == UInt8(ascii: "{"),
                    scanner.bytes[index + 1] == UInt8(ascii: "{")
                {
                    throw Unsupported(reason: "indented tag")
                }
            }
            // Text up to a tag or through a newline.
            let start = scanner.position
            while !scanner.atEnd, !scanner.startsTag(), scanner.peek() != UInt8(ascii: "\n") { scanner.position += 1 }
            if scanner.peek() == UInt8(ascii: "\n") {
                scanner.position += 1
                if !parentTopLevel { nodes.append(.text(String(decoding: scanner.bytes[start..<scanner.position], as: UTF8.self))) }
                newLine = true
                continue
            }
            if scanner.position > start {
                if !parentTopLevel { nodes.append(.text(String(decoding: scanner.bytes[start..<scanner.position], as: UTF8.self))) }
                newLine = false
            }
            if scanner.atEnd { break }
            scanner.position += 2  // "{{"
            guard let kind = scanner.peek() else { throw Unsupported(reason: "unfinished tag") }
            var setNewLine = false
            switch kind {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                scanner.position += 1
                let name = try scanner.readTag(closing: "}}")
                let names = try path(name)
                let standalone = newLine && scanner.lineFinished()
                setNewLine = standalone
                let children = try parse(&scanner, newLine: standalone, section: name, parentTopLevel: false).nodes
                if parentTopLevel { throw Unsupported(reason: "section inside a parent") }
                nodes.append(.section(names, inverted: kind == UInt8(ascii: "^"), children))
            case UInt8(ascii: "/"):
                scanner.position += 1
                let name = try scanner.readTag(closing: "}}")
                guard name == section else { throw Unsupported(reason: "section close \(name)") }
                _ = newLine && scanner.lineFinished()
                return (nodes, overrides)
            case UInt8(ascii: "!"):
                scanner.position += 1
                _ = try scanner.readTag(closing: "}}")
                setNewLine = newLine && scanner.lineFinished()
            case UInt8(ascii: "{"):
                scanner.position += 1
                let name = try scanner.readTag(closing: "}}}")
                if parentTopLevel { throw Unsupported(reason: "variable inside a parent") }
                nodes.append(.variable(try path(name), escaped: false))
            case UInt8(ascii: "&"):
                scanner.position += 1
                let name = try scanner.readTag(closing: "}}")
                if parentTopLevel { throw Unsupported(reason: "variable inside a parent") }
                nodes.append(.variable(try path(name), escaped: false))
            case UInt8(ascii: ">"):
                scanner.position += 1
                let name = try scanner.readTag(closing: "}}")
                guard isName(name) else { throw Unsupported(reason: "partial \(name)") }
                setNewLine = newLine && scanner.lineFinished()
                if parentTopLevel { throw Unsupported(reason: "partial inside a parent") }
                nodes.append(.partial(name))
            case UInt8(ascii: "<"):
                scanner.position += 1
                let name = try scanner.readTag(closing: "}}")
                guard isName(name), !parentTopLevel else { throw Unsupported(reason: "parent \(name)") }
                setNewLine = newLine && scanner.lineFinished()
                let inner = try parse(&scanner, newLine: setNewLine, section: name, parentTopLevel: true)
                nodes.append(.parent(name, overrides: inner.overrides))
            case UInt8(ascii: "$"):
                scanner.position += 1
                let name = try scanner.readTag(closing: "}}")
                guard isName(name) else { throw Unsupported(reason: "block \(name)") }
                let standalone = newLine && scanner.lineFinished()
                setNewLine = standalone
                let children = try parse(&scanner, newLine: standalone, section: name, parentTopLevel: false).nodes
                if parentTopLevel {
                    overrides[name] = children
                } else {
                    nodes.append(.block(name, children))
                }
            case UInt8(ascii: "="), UInt8(ascii: "%"):
                throw Unsupported(reason: "delimiters or pragmas")
            default:
                let name = try scanner.readTag(closing: "}}")
                if parentTopLevel { throw Unsupported(reason: "variable inside a parent") }
                nodes.append(.variable(try path(name), escaped: true))
            }
            newLine = setNewLine
        }
        if section != nil { throw Unsupported(reason: "unclosed section") }
        return (nodes, overrides)
    }
}


// MARK: - Prepared values

/// A view model prepared for `CompiledTemplate`: what swift-mustache would see, already resolved.
///
/// Objects hold their fields in slots (`TemplateObject`) found through interned names
/// (`TemplateNames`), so a `{{name}}` costs an array index, not a string hash. A value is made
/// and rendered within one page's work, so it is not `Sendable` (objects are `ManagedBuffer`s).
enum TemplateValue: Equatable {
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
    static func fields(_ fields: [String: TemplateValue]) -> TemplateValue {
        .object(.make(fields.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
    }

    /// `value` read once through reflection, with the rules of `ReflectedModel.box`: a `nil`
    /// optional is absent, structs become objects, arrays lists.
    static func make(_ value: Any) -> TemplateValue? {
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

    static func == (lhs: TemplateValue, rhs: TemplateValue) -> Bool {
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
final class TemplateShape: Sendable {
    /// The field names, by slot.
    let names: [String]
    /// Indexed by `TemplateNames` number: the slot holding that name, or -1.
    private let slots: [Int32]

    init(_ names: [String]) {
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
final class TemplateObject: ManagedBuffer<TemplateShape, TemplateValue> {
    /// The slots of an object being made, filled in order.
    struct Slots: ~Copyable {
        fileprivate let start: UnsafeMutablePointer<TemplateValue>
        fileprivate let capacity: Int
        fileprivate var count = 0

        /// Fills the next slot.
        mutating func append(_ value: TemplateValue?) {
            precondition(count < capacity, "more values than the shape has fields")
            (start + count).initialize(to: value ?? .absent)
            count += 1
        }
    }

    /// An object of `shape` whose slots `fill` appends, one value per field, in the shape's order.
    static func make(_ shape: TemplateShape, _ fill: (inout Slots) -> Void) -> TemplateObject {
        let object = unsafeDowncast(create(minimumCapacity: shape.names.count) { _ in shape }, to: TemplateObject.self)
        object.withUnsafeMutablePointerToElements { elements in
            var slots = Slots(start: elements, capacity: shape.names.count)
            fill(&slots)
            precondition(slots.count == shape.names.count, "a value for every field of the shape")
        }
        return object
    }

    /// An object with its own shape, fields in the order given (reflection and tests).
    static func make(_ fields: [(String, TemplateValue)]) -> TemplateObject {
        make(TemplateShape(fields.map(\.0))) { slots in
            for (_, value) in fields { slots.append(value) }
        }
    }

    deinit {
        withUnsafeMutablePointers { shape, elements in _ = elements.deinitialize(count: shape.pointee.names.count) }
    }

    var shape: TemplateShape { header }

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

/// A view model that states its own `TemplateValue` (TemplateValues.swift, generated), so pages
/// render without reflection; the result equals `TemplateValue.make(self)`.
protocol TemplateValueConvertible {
    var templateValue: TemplateValue? { get }
}

extension String: TemplateValueConvertible {
    var templateValue: TemplateValue? { .string(self) }
}

extension Bool: TemplateValueConvertible {
    var templateValue: TemplateValue? { .bool(self) }
}

extension Int: TemplateValueConvertible {
    var templateValue: TemplateValue? { .other(String(self)) }
}

extension Double: TemplateValueConvertible {
    var templateValue: TemplateValue? { .other(String(describing: self)) }
}

extension Optional: TemplateValueConvertible where Wrapped: TemplateValueConvertible {
    var templateValue: TemplateValue? { self?.templateValue }
}

extension Array: TemplateValueConvertible where Element: TemplateValueConvertible {
    var templateValue: TemplateValue? { .list(map { $0.templateValue ?? .other("nil") }) }
}

// MARK: - Programs

/// A page template with its partials, parent and blocks resolved once: a flat list of
/// operations over one buffer of text bytes, with every name already a `TemplateNames` number.
/// Rendering it is a loop over plain structs, with no dictionary and no string compared.
final class TemplateProgram: Sendable {
    /// One step of a program; what `start`, `length` and `end` mean depends on `kind`.
    struct Operation {
        enum Kind: UInt8 {
            /// `length` bytes of `text` from `start`.
            case text
            /// `{{path}}` (escaped) or `{{{path}}}`: the path is `length` names from `start`
            /// (no names: `{{.}}`).
            case escapedVariable, rawVariable
            /// `{{#path}}` or `{{^path}}`: the operations up to `end` are its body.
            case section, invertedSection
        }

        var kind: Kind
        var start: Int
        var length: Int
        var end: Int
    }

    let operations: [Operation]
    /// The `TemplateNames` numbers of every path, one after another.
    let names: [Int]
    /// Every text of the template, its partials and its parent, as UTF-8.
    let text: [UInt8]

    /// Inlines `template` with the partials and parents it uses: a block takes the override of
    /// the nearest enclosing `{{<parent}}` (the partials inside it see the same overrides), or
    /// its own default.
    init(_ template: CompiledTemplate, templates: [String: CompiledTemplate]) throws(CompiledTemplate.Unsupported) {
        var builder = Builder(templates: templates)
        try builder.emit(template.nodes, overrides: nil, depth: 0)
        operations = builder.operations
        names = builder.names
        text = builder.text
    }

    private struct Builder {
        let templates: [String: CompiledTemplate]
        var operations: [Operation] = []
        var names: [Int] = []
        var text: [UInt8] = []
        /// Whether a section ended since the last operation was appended.
        var sectionClosed = false

        /// How deep partials, parents and blocks may nest: deeper is taken for recursion, which
        /// swift-mustache renders instead.
        static let depthLimit = 32

        mutating func emit(
            _ nodes: [CompiledTemplate.Node], overrides: [String: [CompiledTemplate.Node]]?, depth: Int
        ) throws(CompiledTemplate.Unsupported) {
            guard depth <= Self.depthLimit else { throw .init(reason: "partials nest too deep") }
            for node in nodes {
                switch node {
                case .text(let string):
                    let bytes = Array(string.utf8)
                    if let last = operations.indices.last, operations[last].kind == .text, !sectionClosed {
                        operations[last].length += bytes.count
                    } else {
                        operations.append(Operation(kind: .text, start: text.count, length: bytes.count, end: 0))
                    }
                    text += bytes
                    sectionClosed = false
                case .variable(let path, let escaped):
                    let (start, length) = intern(path)
                    operations.append(Operation(kind: escaped ? .escapedVariable : .rawVariable, start: start, length: length, end: 0))
                case .section(let path, let inverted, let children):
                    let (start, length) = intern(path)
                    let index = operations.count
                    operations.append(Operation(kind: inverted ? .invertedSection : .section, start: start, length: length, end: 0))
                    try emit(children, overrides: overrides, depth: depth)
                    operations[index].end = operations.count
                    // Text after the section must not join the text that ends its body.
                    sectionClosed = true
                case .partial(let name):
                    guard let partial = templates[name] else { throw .init(reason: "partial \(name)") }
                    try emit(partial.nodes, overrides: overrides, depth: depth + 1)
                case .parent(let name, let blocks):
                    guard let parent = templates[name] else { throw .init(reason: "parent \(name)") }
                    try emit(parent.nodes, overrides: blocks, depth: depth + 1)
                case .block(let name, let defaults):
                    try emit(overrides?[name] ?? defaults, overrides: overrides, depth: depth + 1)
                }
            }
        }

        /// Appends the numbers of `path` to `names`; `{{.}}` has none.
        mutating func intern(_ path: [String]) -> (start: Int, length: Int) {
            let start = names.count
            if path != ["."] { names += path.map(TemplateNames.number(of:)) }
            return (start, names.count - start)
        }
    }
}

// MARK: - Rendering

/// Renders compiled templates by name.
struct CompiledTemplates: Sendable {
    let programs: [String: TemplateProgram]

    /// Compiles every template whose text, and every partial or parent it uses, this renderer covers.
    init(sources: [String: String]) {
        var compiled: [String: CompiledTemplate] = [:]
        for (name, source) in sources {
            if let template = try? CompiledTemplate(source) { compiled[name] = template }
        }
        // Drop templates that use one that did not compile (or does not exist), until none is left.
        var changed = true
        while changed {
            changed = false
            for (name, template) in compiled where template.references.contains(where: { compiled[$0] == nil }) {
                compiled[name] = nil
                changed = true
            }
        }
        var programs: [String: TemplateProgram] = [:]
        for (name, template) in compiled {
            programs[name] = try? TemplateProgram(template, templates: compiled)
        }
        self.programs = programs
    }

    func canRender(_ name: String) -> Bool { programs[name] != nil }

    /// Renders `value` with the template `name` into `buffer`; false when this renderer does not cover it.
    func render(_ value: TemplateValue, withTemplate name: String, into buffer: inout RenderBuffer) -> Bool {
        guard let program = programs[name] else { return false }
        program.operations.withUnsafeBufferPointer { operations in
            program.names.withUnsafeBufferPointer { names in
                program.text.withUnsafeBytes { text in
                    var run = ProgramRun(operations: operations, names: names, text: text)
                    // The root and everything pushed below stay alive in `value` while the run lasts.
                    withUnsafePointer(to: value) { root in
                        run.renderPushing(0..<operations.count, dot: root, into: &buffer)
                    }
                }
            }
        }
        return true
    }

    /// The page as text (tests and previews).
    func render(_ value: TemplateValue, withTemplate name: String) -> String? {
        var buffer = RenderBuffer()
        guard render(value, withTemplate: name, into: &buffer) else { return nil }
        return buffer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }
}

/// One rendering of a program: the operations, and the objects of the enclosing sections
/// (innermost last), which `{{name}}` searches from the inside out.
private struct ProgramRun {
    let operations: UnsafeBufferPointer<TemplateProgram.Operation>
    let names: UnsafeBufferPointer<Int>
    let text: UnsafeRawBufferPointer
    /// Held unretained: each is reachable from the value being rendered, which outlives the run.
    var frames: [Unmanaged<TemplateObject>] = []

    init(operations: UnsafeBufferPointer<TemplateProgram.Operation>, names: UnsafeBufferPointer<Int>, text: UnsafeRawBufferPointer) {
        self.operations = operations
        self.names = names
        self.text = text
        frames.reserveCapacity(16)
    }

    /// Renders the operations in `range`; `dot` is the innermost context (`{{.}}`).
    ///
    /// Values are reached through pointers to where they are stored (the root, a list's
    /// buffer, an object's slots), so rendering copies none of them.
    mutating func render(_ range: Range<Int>, dot: UnsafePointer<TemplateValue>, into out: inout RenderBuffer) {
        var index = range.lowerBound
        while index < range.upperBound {
            let operation = operations[index]
            switch operation.kind {
            case .text:
                out.append(text.baseAddress! + operation.start, count: operation.length)
                index += 1
            case .escapedVariable, .rawVariable:
                if let value = lookup(operation, dot: dot) {
                    switch value.pointee {
                    case .string(let string), .other(let string):
                        if operation.kind == .escapedVariable { out.appendEscaped(string) } else { out.append(string) }
                    case .bool(let bool):
                        out.append(bool ? "true" : "false")
                    case .object, .list, .absent:
                        break
                    }
                }
                index += 1
            case .section:
                let body = index + 1..<operation.end
                if let value = lookup(operation, dot: dot) {
                    switch value.pointee {
                    case .bool(let bool):
                        if bool { render(body, dot: dot, into: &out) }
                    case .list(let items):
                        items.withUnsafeBufferPointer { items in
                            for item in items.indices { renderPushing(body, dot: items.baseAddress! + item, into: &out) }
                        }
                    case .string, .other, .object, .absent:
                        renderPushing(body, dot: value, into: &out)
                    }
                }
                index = operation.end
            case .invertedSection:
                let body = index + 1..<operation.end
                if let value = lookup(operation, dot: dot) {
                    switch value.pointee {
                    case .bool(false): render(body, dot: dot, into: &out)
                    case .list(let items) where items.isEmpty: render(body, dot: value, into: &out)
                    default: break
                    }
                } else {
                    render(body, dot: dot, into: &out)
                }
                index = operation.end
            }
        }
    }

    /// Renders `range` with `dot` as the innermost context, searched first when it is an object.
    mutating func renderPushing(_ range: Range<Int>, dot: UnsafePointer<TemplateValue>, into out: inout RenderBuffer) {
        guard case .object(let object) = dot.pointee else {
            render(range, dot: dot, into: &out)
            return
        }
        frames.append(Unmanaged.passUnretained(object))
        render(range, dot: dot, into: &out)
        frames.removeLast()
    }

    /// Where the value of the operation's path is stored: the first name in the innermost
    /// object that has it, the rest in each other.
    private func lookup(_ operation: TemplateProgram.Operation, dot: UnsafePointer<TemplateValue>) -> UnsafePointer<TemplateValue>? {
        guard operation.length > 0 else { return dot }
        let first = names[operation.start]
        var found: UnsafePointer<TemplateValue>?
        var frame = frames.count
        while frame > 0, found == nil {
            frame -= 1
            found = frames[frame]._withUnsafeGuaranteedRef { $0.field(first) }
        }
        guard var current = found else { return nil }
        for position in operation.start + 1..<operation.start + operation.length {
            guard case .object(let object) = current.pointee, let child = object.field(names[position]) else { return nil }
            current = child
        }
        return current
    }
}

/// A growable byte buffer a page renders into: an append is a capacity check and a copy, and
/// HTML escaping works on the bytes. The page goes to the output folder as these bytes.
struct RenderBuffer: ~Copyable {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 1 << 15) {
        self.capacity = max(capacity, 64)
        base = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Calls `body` with the bytes written so far.
    func withUnsafeBytes<Result, Failure: Error>(
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

    mutating func append(_ bytes: UnsafeRawPointer, count length: Int) {
        reserve(length)
        (base + count).copyMemory(from: bytes, byteCount: length)
        count += length
    }

    mutating func append(_ string: StaticString) {
        append(string.utf8Start, count: string.utf8CodeUnitCount)
    }

    /// Appends the UTF-8 of `string`.
    mutating func append(_ string: String) {
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
    /// through the package's one markup escaper, `SVGFormat.escapeUTF8`: characters XML 1.0 forbids
    /// (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) become U+FFFD, so `feed.xml`,
    /// `sitemap.xml` and the pages stay well-formed whatever the records hold.
    mutating func appendEscaped(_ string: String) {
        Self.withUTF8(of: string) { start, length in
            SVGFormat.escapeUTF8(
                UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: length),
                copy: { range in append(start + range.lowerBound, count: range.count) },
                insert: { text in append(text) })
        }
    }
}
