import Foundation

/// A theme template parsed for drillbook's renderer, the only one that renders pages.
///
/// swift-mustache looks every `{{name}}` up through several dynamic casts and a `Mirror`, and
/// escapes character by character; at 10,000 runs that was most of the build. This renderer
/// covers the Mustache the themes use — variables (`{{a.b}}`, `{{{html}}}`, `{{&html}}`,
/// `{{.}}`), sections, inverted sections, comments, partials and one level of inheritance
/// (`{{<layout}}` with `{{$block}}` overrides) — with the same standalone-line rules as
/// swift-mustache, so it writes the same bytes (the tests render with swift-mustache as the
/// oracle and compare). A template using anything else (set delimiters, pragmas such as
/// `{{%CONTENT_TYPE}}`, transforms, dynamic partials, `\r`, a tag indented on its own line, or
/// partials that include themselves) does not compile: `TemplateError` says where and what, and
/// the theme fails to load. There is no second engine to fall back to.
///
/// How a page renders, and what each step saves:
/// 1. `CompiledTemplate` parses a template into a node tree (this type).
/// 2. `TemplateProgram` inlines a page template's partials, parent and blocks into a flat list
///    of operations over one buffer of text bytes, with every name of `{{a.b}}` already a
///    number (`TemplateNames`).
/// 3. The page's view model becomes a `TemplateValue` through `TemplateValueEncoder` (its
///    synthesized `Encodable`): objects keep their fields in slots of one `TemplateShape` per
///    type, so a lookup is an index. `CompiledTemplates.checkNames` checks, once per model type,
///    that every name a template uses is a field of some object around it.
/// 4. `ProgramRun` walks the operations, reaching values through pointers to where they are
///    stored (no copies), and writes into a `RenderBuffer`, which the site stages as is.
public struct CompiledTemplate: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case variable([String], escaped: Bool, Tag)
        case section([String], inverted: Bool, [Node], Tag)
        /// `{{>name}}`, on `line` of its template.
        case partial(String, line: Int)
        /// `{{<name}}…{{/name}}`, on `line` of its template.
        case parent(String, overrides: [String: [Node]], line: Int)
        case block(String, [Node])
    }

    /// A variable or section tag as written (`{{#drillHref}}`) and its line, for the name check's errors.
    struct Tag: Sendable {
        var text: String
        var line: Int
    }

    /// What the parser met that it does not support; `offset` is the UTF-8 offset concerned
    /// (the start of the tag being read when nil).
    struct Unsupported: Error {
        var reason: String
        var offset: Int?

        init(_ reason: String, at offset: Int? = nil) {
            self.reason = reason
            self.offset = offset
        }
    }

    /// The template's name (`run` for `templates/run.mustache`).
    public let name: String
    let nodes: [Node]

    /// Parses `source`, the text of the template `name`.
    public init(_ source: String, name: String) throws(TemplateError) {
        self.name = name
        let bytes = Array(source.utf8)
        var scanner = Scanner(bytes: bytes)
        do throws(Unsupported) {
            if let carriageReturn = bytes.firstIndex(of: UInt8(ascii: "\r")) {
                throw Unsupported("a carriage return (\\r); save the template with \\n line endings", at: carriageReturn)
            }
            nodes = try Self.parse(&scanner, newLine: true, section: nil, parentTopLevel: false).nodes
        } catch {
            throw TemplateError(template: name, line: Self.line(of: error.offset ?? scanner.tagStart, in: bytes), problem: error.reason)
        }
    }

    /// The line, from 1, of `offset` in `bytes`.
    static func line(of offset: Int, in bytes: [UInt8]) -> Int {
        1 + bytes[..<min(max(offset, 0), bytes.count)].lazy.filter { $0 == UInt8(ascii: "\n") }.count
    }

    /// The partials and parents a template refers to, in the order they appear.
    public var references: [String] {
        var names: [String] = []
        func walk(_ nodes: [Node]) {
            for node in nodes {
                switch node {
                case .partial(let name, _): names.append(name)
                case .parent(let name, let overrides, _):
                    names.append(name)
                    for key in overrides.keys.sorted() { walk(overrides[key]!) }
                case .section(_, _, let children, _), .block(_, let children): walk(children)
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
        /// Where the tag being read starts (its `{{`): errors point at its line.
        var tagStart = 0

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
            throw Unsupported("a tag that is never closed (no \"\(closing)\" after it)")
        }
    }

    private static func isName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { c in
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "." || c == "-" || c == "_"
        }
    }

    private static func path(_ name: String) throws(Unsupported) -> [String] {
        guard isName(name) else {
            throw Unsupported(
                "the name \"\(name)\" (transforms, dynamic names and characters other than letters, digits, "
                    + "\".\", \"-\" and \"_\")")
        }
        if name == "." { return ["."] }
        if name.hasPrefix(".") { throw Unsupported("the name \"\(name)\" (only {{.}} itself may start with a dot)") }
        return name.split(separator: ".").map(String.init)
    }

    /// Checks the name of a partial, parent or block (`what`).
    private static func reference(_ name: String, _ what: String, tag: String) throws(Unsupported) -> String {
        if name.hasPrefix("*") { throw Unsupported("a dynamic \(what) ({{\(tag)\(name)}})") }
        guard isName(name) else { throw Unsupported("the \(what) name \"\(name)\"") }
        return name
    }

    private static let insideParent = "a tag directly inside {{<parent}}…{{/parent}} (only {{$block}} overrides may stand there)"

    /// Parses until the end or the closing tag of `section` (opened at `sectionStart`); returns
    /// the nodes, and inside a `{{<parent}}` (`parentTopLevel`) the block overrides.
    private static func parse(
        _ scanner: inout Scanner, newLine startNewLine: Bool, section: String?, parentTopLevel: Bool, opensAt sectionStart: Int = 0
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
                    throw Unsupported(
                        "a tag indented at the start of its line (indented standalone tags are not supported); "
                            + "start the line with the tag or with text", at: index)
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
            scanner.tagStart = scanner.position
            let opening = scanner.position
            scanner.position += 2  // "{{"
            guard let kind = scanner.peek() else { throw Unsupported("a tag that is never closed (no \"}}\" after it)") }
            var setNewLine = false
            switch kind {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                scanner.position += 1
                let name = try scanner.readTag(closing: "}}")
                if parentTopLevel { throw Unsupported(insideParent) }
                let names = try path(name)
                let standalone = newLine && scanner.lineFinished()
                setNewLine = standalone
                let children = try parse(&scanner, newLine: standalone, section: name, parentTopLevel: false, opensAt: opening).nodes
                let tag = Tag(text: "{{" + (kind == UInt8(ascii: "^") ? "^" : "#") + name + "}}", line: line(of: opening, in: scanner.bytes))
                nodes.append(.section(names, inverted: kind == UInt8(ascii: "^"), children, tag))
            case UInt8(ascii: "/"):
                scanner.position += 1
                let name = try scanner.readTag(closing: "}}")
                guard name == section else {
                    throw Unsupported(section.map { "{{/\(name)}} where the open tag needs {{/\($0)}}" } ?? "{{/\(name)}}, which closes no open tag")
                }
                _ = newLine && scanner.lineFinished()
                return (nodes, overrides)
            case UInt8(ascii: "!"):
                scanner.position += 1
                _ = try scanner.readTag(closing: "}}")
                setNewLine = newLine && scanner.lineFinished()
            case UInt8(ascii: "{"):
                scanner.position += 1
                let name = try scanner.readTag(closing: "}}}")
                if parentTopLevel { throw Unsupported(insideParent) }
                nodes.append(.variable(try path(name), escaped: false, Tag(text: "{{{" + name + "}}}", line: line(of: opening, in: scanner.bytes))))
            case UInt8(ascii: "&"):
                scanner.position += 1
                let name = try scanner.readTag(closing: "}}")
                if parentTopLevel { throw Unsupported(insideParent) }
                nodes.append(.variable(try path(name), escaped: false, Tag(text: "{{&" + name + "}}", line: line(of: opening, in: scanner.bytes))))
            case UInt8(ascii: ">"):
                scanner.position += 1
                let name = try reference(try scanner.readTag(closing: "}}"), "partial", tag: ">")
                if parentTopLevel { throw Unsupported(insideParent) }
                setNewLine = newLine && scanner.lineFinished()
                nodes.append(.partial(name, line: line(of: opening, in: scanner.bytes)))
            case UInt8(ascii: "<"):
                scanner.position += 1
                let name = try reference(try scanner.readTag(closing: "}}"), "parent", tag: "<")
                if parentTopLevel { throw Unsupported("{{<\(name)}} directly inside another {{<parent}}") }
                setNewLine = newLine && scanner.lineFinished()
                let inner = try parse(&scanner, newLine: setNewLine, section: name, parentTopLevel: true, opensAt: opening)
                nodes.append(.parent(name, overrides: inner.overrides, line: line(of: opening, in: scanner.bytes)))
            case UInt8(ascii: "$"):
                scanner.position += 1
                let name = try reference(try scanner.readTag(closing: "}}"), "block", tag: "$")
                let standalone = newLine && scanner.lineFinished()
                setNewLine = standalone
                let children = try parse(&scanner, newLine: standalone, section: name, parentTopLevel: false, opensAt: opening).nodes
                if parentTopLevel {
                    overrides[name] = children
                } else {
                    nodes.append(.block(name, children))
                }
            case UInt8(ascii: "="):
                throw Unsupported("set delimiters ({{=<% %>=}})")
            case UInt8(ascii: "%"):
                throw Unsupported("a pragma ({{%…}})")
            default:
                let name = try scanner.readTag(closing: "}}")
                if parentTopLevel { throw Unsupported(insideParent) }
                nodes.append(.variable(try path(name), escaped: true, Tag(text: "{{" + name + "}}", line: line(of: opening, in: scanner.bytes))))
            }
            newLine = setNewLine
        }
        if let section { throw Unsupported("{{#\(section)}} (or {{^\(section)}}, {{<\(section)}}, {{$\(section)}}) is never closed by {{/\(section)}}", at: sectionStart) }
        return (nodes, overrides)
    }
}

/// A template that uses something drillbook's templates do not support, and where: the theme
/// does not load, since no other engine could render it.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What drillbook's templates support, the end of every message.
    public static let supported =
        "variables ({{name}}, {{a.b}}, {{.}}), unescaped variables ({{{name}}}, {{&name}}), sections and "
        + "inverted sections ({{#name}}…{{/name}}, {{^name}}…{{/name}}), comments ({{! … }}), partials ({{>name}}) "
        + "and one level of inheritance ({{<parent}} with {{$block}}…{{/block}} overrides)"

    /// The template's name (`run` for `templates/run.mustache`).
    public var template: String
    /// The line, from 1, of the tag (or character) concerned.
    public var line: Int
    /// What is unsupported, as a phrase (`set delimiters ({{=<% %>=}})`).
    public var problem: String

    /// An error about `problem` on `line` of `template`.
    public init(template: String, line: Int, problem: String) {
        self.template = template
        self.line = line
        self.problem = problem
    }

    /// `problem; drillbook's templates support …`: the message after the location.
    public var message: String { problem + "; drillbook's templates support " + Self.supported }

    /// `run.mustache:3: set delimiters ({{=<% %>=}}); drillbook's templates support …`.
    public var description: String { "\(template).mustache:\(line): " + message }
}
