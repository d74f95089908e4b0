import Foundation

/// A theme template compiled for fast rendering of prepared values (`TemplateValue`).
///
/// swift-mustache looks every `{{name}}` up through several dynamic casts and a `Mirror`, and
/// escapes character by character; at 10,000 runs that was most of the build. This renderer
/// covers the Mustache the themes use — variables (`{{a.b}}`, `{{{html}}}`, `{{&html}}`,
/// `{{.}}`), sections, inverted sections, comments, partials and one level of inheritance
/// (`{{<layout}}` with `{{$block}}` overrides) — with the same standalone-line rules as
/// swift-mustache, so it writes the same bytes. A template using anything else (set delimiters,
/// pragmas such as `{{%CONTENT_TYPE}}`, transforms, dynamic partials, `\r`, or a tag indented
/// on its own line) does not compile here and its pages keep rendering through swift-mustache.
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

/// A view model prepared for `CompiledTemplate`: what swift-mustache would see, already resolved.
indirect enum TemplateValue: Sendable, Equatable {
    case string(String)
    case bool(Bool)
    case object([String: TemplateValue])
    case list([TemplateValue])
    /// Numbers, enums and anything else: rendered as `String(describing:)`, true in a section.
    case other(String)

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
            var fields: [String: TemplateValue] = [:]
            fields.reserveCapacity(Int(mirror.children.count))
            for child in mirror.children {
                guard let label = child.label, fields[label] == nil, let made = make(child.value) else { continue }
                fields[label] = made
            }
            return .object(fields)
        case .collection, .set:
            return .list(mirror.children.map { make($0.value) ?? .other("nil") })
        case .dictionary:
            var fields: [String: TemplateValue] = [:]
            for pair in mirror.children {
                let entry = Array(Mirror(reflecting: pair.value).children)
                guard entry.count == 2, let key = entry[0].value as? String, let made = make(entry[1].value) else { continue }
                fields[key] = made
            }
            return .object(fields)
        default:
            return .other(String(describing: value))
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

/// Renders compiled templates by name.
struct CompiledTemplates: Sendable {
    let templates: [String: CompiledTemplate]

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
        templates = compiled
    }

    func canRender(_ name: String) -> Bool { templates[name] != nil }

    func render(_ value: TemplateValue, withTemplate name: String) -> String? {
        guard let template = templates[name] else { return nil }
        var out = ""
        out.reserveCapacity(16_384)
        var stack = [value]
        render(template.nodes, stack: &stack, overrides: nil, into: &out)
        return out
    }

    private func render(_ nodes: [CompiledTemplate.Node], stack: inout [TemplateValue], overrides: [String: [CompiledTemplate.Node]]?, into out: inout String) {
        for node in nodes {
            switch node {
            case .text(let text):
                out += text
            case .variable(let path, let escaped):
                guard let value = lookup(path, in: stack) else { continue }
                let text: String
                switch value {
                case .string(let string): text = string
                case .bool(let bool): text = bool ? "true" : "false"
                case .other(let description): text = description
                case .object, .list: text = ""
                }
                if escaped { Self.escape(text, into: &out) } else { out += text }
            case .section(let path, let inverted, let children):
                let value = lookup(path, in: stack)
                if inverted {
                    switch value {
                    case nil, .bool(false): render(children, stack: &stack, overrides: overrides, into: &out)
                    case .list(let items) where items.isEmpty:
                        stack.append(.list(items))
                        render(children, stack: &stack, overrides: overrides, into: &out)
                        stack.removeLast()
                    default: break
                    }
                    continue
                }
                switch value {
                case nil, .bool(false): break
                case .bool(true): render(children, stack: &stack, overrides: overrides, into: &out)
                case .list(let items):
                    for item in items {
                        stack.append(item)
                        render(children, stack: &stack, overrides: overrides, into: &out)
                        stack.removeLast()
                    }
                case let value?:
                    stack.append(value)
                    render(children, stack: &stack, overrides: overrides, into: &out)
                    stack.removeLast()
                }
            case .partial(let name):
                if let template = templates[name] { render(template.nodes, stack: &stack, overrides: overrides, into: &out) }
            case .parent(let name, let blocks):
                if let template = templates[name] { render(template.nodes, stack: &stack, overrides: blocks, into: &out) }
            case .block(let name, let defaults):
                render(overrides?[name] ?? defaults, stack: &stack, overrides: overrides, into: &out)
            }
        }
    }

    private func lookup(_ path: [String], in stack: [TemplateValue]) -> TemplateValue? {
        if path.count == 1, path[0] == "." { return stack.last }
        var found: TemplateValue?
        for value in stack.reversed() {
            if case .object(let fields) = value, let child = fields[path[0]] {
                found = child
                break
            }
        }
        guard var current = found else { return nil }
        for name in path.dropFirst() {
            guard case .object(let fields) = current, let child = fields[name] else { return nil }
            current = child
        }
        return current
    }

    /// swift-mustache's HTML escaping (`<`, `>`, `&`, `"`, `'`), a byte at a time.
    static func escape(_ text: String, into out: inout String) {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else {
            out += text
            return
        }
        var run = utf8.startIndex
        var index = run
        while index != utf8.endIndex {
            let replacement: String? =
                switch utf8[index] {
                case 0x3C: "&lt;"
                case 0x3E: "&gt;"
                case 0x26: "&amp;"
                case 0x22: "&quot;"
                case 0x27: "&#39;"
                default: nil
                }
            if let replacement {
                out += Substring(text.utf8[run..<index])
                out += replacement
                run = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        out += Substring(text.utf8[run..<utf8.endIndex])
    }
}
