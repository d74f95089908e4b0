import Synchronization

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

    /// Where a variable or section operation comes from: the template it is written in (a
    /// partial, the parent) and its tag there.
    struct Source: Sendable {
        var template: String
        var tag: CompiledTemplate.Tag
        /// The names of the path as written (`["chrome", "title"]`).
        var path: [String]
    }

    /// The page template's name.
    let name: String
    let operations: [Operation]
    /// The `TemplateNames` numbers of every path, one after another.
    let names: [Int]
    /// Every text of the template, its partials and its parent, as UTF-8.
    let text: [UInt8]
    /// By operation: where each variable and section is written (nil for text).
    let sources: [Source?]
    /// The name check's verdicts, by the shape of the value rendered (one per model type).
    let nameChecks = Mutex<[ObjectIdentifier: NameCheck]>([:])

    /// Inlines `template` with the partials and parents it uses: a block takes the override of
    /// the nearest enclosing `{{<parent}}` (the partials inside it see the same overrides), or
    /// its own default.
    init(_ template: CompiledTemplate, templates: [String: CompiledTemplate]) throws(TemplateError) {
        var builder = Builder(templates: templates)
        try builder.emit(template.nodes, of: template.name, overrides: nil, depth: 0)
        name = template.name
        operations = builder.operations
        names = builder.names
        text = builder.text
        sources = builder.sources
    }

    private struct Builder {
        let templates: [String: CompiledTemplate]
        var operations: [Operation] = []
        var names: [Int] = []
        var text: [UInt8] = []
        var sources: [Source?] = []
        /// Whether a section ended since the last operation was appended.
        var sectionClosed = false

        /// The `{{$block}}` overrides of the nearest enclosing `{{<parent}}`, and the template they are written in.
        struct Overrides {
            var template: String
            var blocks: [String: [CompiledTemplate.Node]]
        }

        /// How deep partials, parents and blocks may nest: deeper is taken for recursion (a
        /// partial that includes itself), which a program cannot inline.
        static let depthLimit = 32

        /// Appends the operations of `nodes`, which come from the template `name`.
        mutating func emit(
            _ nodes: [CompiledTemplate.Node], of name: String, overrides: Overrides?, depth: Int
        ) throws(TemplateError) {
            for node in nodes {
                switch node {
                case .text(let string):
                    let bytes = Array(string.utf8)
                    if let last = operations.indices.last, operations[last].kind == .text, !sectionClosed {
                        operations[last].length += bytes.count
                    } else {
                        operations.append(Operation(kind: .text, start: text.count, length: bytes.count, end: 0))
                        sources.append(nil)
                    }
                    text += bytes
                    sectionClosed = false
                case .variable(let path, let escaped, let tag):
                    let (start, length) = intern(path)
                    operations.append(Operation(kind: escaped ? .escapedVariable : .rawVariable, start: start, length: length, end: 0))
                    sources.append(Source(template: name, tag: tag, path: path))
                case .section(let path, let inverted, let children, let tag):
                    let (start, length) = intern(path)
                    let index = operations.count
                    operations.append(Operation(kind: inverted ? .invertedSection : .section, start: start, length: length, end: 0))
                    sources.append(Source(template: name, tag: tag, path: path))
                    try emit(children, of: name, overrides: overrides, depth: depth)
                    operations[index].end = operations.count
                    // Text after the section must not join the text that ends its body.
                    sectionClosed = true
                case .partial(let partial, let line):
                    let included = try self.template(partial, tag: ">", from: name, line: line, depth: depth)
                    try emit(included.nodes, of: partial, overrides: overrides, depth: depth + 1)
                case .parent(let parent, let blocks, let line):
                    let extended = try self.template(parent, tag: "<", from: name, line: line, depth: depth)
                    try emit(extended.nodes, of: parent, overrides: Overrides(template: name, blocks: blocks), depth: depth + 1)
                case .block(let block, let defaults):
                    if let overrides, let override = overrides.blocks[block] {
                        try emit(override, of: overrides.template, overrides: overrides, depth: depth + 1)
                    } else {
                        try emit(defaults, of: name, overrides: overrides, depth: depth + 1)
                    }
                }
            }
        }

        /// The template `{{>name}}` or `{{<name}}` (`tag`) on `line` of `template` includes.
        func template(
            _ name: String, tag: String, from template: String, line: Int, depth: Int
        ) throws(TemplateError) -> CompiledTemplate {
            guard let found = templates[name] else {
                throw TemplateError(template: template, line: line, problem: "{{\(tag)\(name)}}, but there is no template \(name).mustache")
            }
            guard depth < Self.depthLimit else {
                throw TemplateError(
                    template: template, line: line,
                    problem: "{{\(tag)\(name)}} nests partials more than \(Self.depthLimit) deep (a partial that includes itself)")
            }
            return found
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

/// A theme's templates, compiled into programs: every page renders through these.
///
/// ```swift
/// let templates = try CompiledTemplates(sources: ["page": "<h1>{{title}}</h1>"])
/// templates.render(.fields(["title": .string("Runs")]), withTemplate: "page")  // "<h1>Runs</h1>"
/// ```
public struct CompiledTemplates: Sendable {
    let programs: [String: TemplateProgram]

    /// Parses and compiles every template (by name); the first one, in name order, that uses
    /// something unsupported throws.
    public init(sources: [String: String]) throws(TemplateError) {
        var templates: [String: CompiledTemplate] = [:]
        for name in sources.keys.sorted() { templates[name] = try CompiledTemplate(sources[name]!, name: name) }
        try self.init(templates: templates)
    }

    /// Compiles parsed templates (by name) into programs, inlining partials and parents.
    public init(templates: [String: CompiledTemplate]) throws(TemplateError) {
        var programs: [String: TemplateProgram] = [:]
        for name in templates.keys.sorted() {
            programs[name] = try TemplateProgram(templates[name]!, templates: templates)
        }
        self.programs = programs
    }

    /// The names of the templates, sorted.
    public var names: [String] { programs.keys.sorted() }

    /// Renders `value` with the template `name` into `buffer`; false when there is no such template.
    public func render(_ value: TemplateValue, withTemplate name: String, into buffer: inout RenderBuffer) -> Bool {
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

    /// The page as text (tests and previews); nil when there is no such template.
    public func render(_ value: TemplateValue, withTemplate name: String) -> String? {
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
