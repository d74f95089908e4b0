import DrillbookModel
import Foundation
import Yams

/// What is at a path inside a parsed file, for messages.
struct Located: Sendable {
    var line: Int?
    var column: Int?
    /// `a string "ok"`, `a list`, …; nil when the path is not in the file.
    var got: String?
    var stringValue: String?
    /// Line of the object holding the path's last step (for missing keys).
    var parentLine: Int?
}

/// A parsed file that can say where a path is. JSON keeps its bytes, YAML its node tree, incident
/// text a map from path to line.
enum SourceText {
    case json([UInt8])
    case yaml(Node)
    case text([String: Int])
    case none

    func locate(_ path: [PathElement]) -> Located {
        switch self {
        case .json(let bytes):
            let report = JSONScanner.scan(bytes, shape: nil, target: path)
            guard let found = report.found else { return Located(parentLine: report.parentLine) }
            return Located(
                line: found.keyLine ?? found.line, column: found.keyColumn ?? found.column, got: found.got,
                stringValue: found.stringValue, parentLine: report.parentLine)
        case .yaml(let root):
            return YAMLLocator.locate(path, in: root)
        case .text(let lines):
            var prefix = path
            while !prefix.isEmpty {
                if let line = lines[prefix.jsonPath] { return Located(line: line) }
                prefix.removeLast()
            }
            return Located(line: lines["$"])
        case .none:
            return Located()
        }
    }

    /// The location to report for a problem at `path`: JSON path and line for JSON and YAML,
    /// the line alone for incident text (which has no paths of its own).
    func location(_ path: [PathElement]) -> ContentLocation {
        let found = locate(path)
        switch self {
        case .text: return ContentLocation(line: found.line)
        default: return ContentLocation(line: found.line ?? found.parentLine, jsonPath: path.jsonPath)
        }
    }
}

/// Walks a Yams node tree along a path, using node marks for lines.
enum YAMLLocator {
    static func locate(_ path: [PathElement], in root: Node) -> Located {
        var node = root
        var keyMark: Mark? = nil
        var parentLine: Int? = root.mark?.line
        for (position, element) in path.enumerated() {
            let isLast = position == path.count - 1
            switch (node, element) {
            case (.mapping(let mapping), .key(let key)):
                guard let pair = mapping.first(where: { $0.key.scalar?.string == key }) else {
                    return Located(line: keyMark?.line ?? node.mark?.line, parentLine: keyMark?.line ?? node.mark?.line)
                }
                if isLast { parentLine = keyMark?.line ?? node.mark?.line }
                keyMark = pair.key.mark
                node = pair.value
            case (.sequence(let sequence), .index(let index)):
                guard index >= 0, index < sequence.count else {
                    return Located(line: node.mark?.line, parentLine: node.mark?.line)
                }
                if isLast { parentLine = node.mark?.line }
                node = sequence[sequence.index(sequence.startIndex, offsetBy: index)]
                keyMark = node.mark
            default:
                return Located(line: keyMark?.line ?? node.mark?.line, parentLine: keyMark?.line ?? node.mark?.line)
            }
        }
        let mark = keyMark ?? node.mark
        let string: String? = if case .scalar(let scalar) = node { scalar.string } else { nil }
        return Located(
            line: mark?.line, column: mark?.column, got: describe(node), stringValue: string,
            parentLine: parentLine)
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if node.null != nil { return "null" }
            return quoted(scalar.string)
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// Values that do not fit the shape (wrong type, unknown enum value, missing required key),
    /// judged with the same Yams constructors the decoder uses. `mark` is the line to report: the
    /// key's for mapping values, the item's for list items.
    static func shapeErrors(
        in node: Node, shape: RecordShape, path: [PathElement] = [], optional: Bool = false, mark: Mark? = nil
    ) -> [(path: [PathElement], mark: Mark?, message: String)] {
        let here = mark ?? node.mark
        func mismatch() -> [(path: [PathElement], mark: Mark?, message: String)] {
            [(path, here, "expected " + shape.expectation + ", got " + describe(node))]
        }
        if case .alias = node { return [] }
        if optional, node.null != nil { return [] }
        // `key: null`, `key: ~` and `key:` are null in YAML, as `null` is in JSON: not a string
        // "null" or "", and not a value for a required key or a list item.
        if node.null != nil { return mismatch() }
        switch shape {
        case .object(let object):
            guard case .mapping(let mapping) = node else { return mismatch() }
            var result: [(path: [PathElement], mark: Mark?, message: String)] = []
            var seen: Set<String> = []
            for (key, value) in mapping {
                let name = key.scalar?.string ?? ""
                seen.insert(name)
                guard let property = object.property(named: name) else { continue }
                result += shapeErrors(
                    in: value, shape: property.shape, path: path + [.key(name)], optional: !property.required, mark: key.mark)
            }
            for property in object.properties where property.required && !seen.contains(property.name) {
                result.append(
                    (path + [.key(property.name)], here,
                     "missing required key " + quoted(property.name) + " (expected " + property.shape.expectation + ")"))
            }
            return result
        case .array(let item):
            guard case .sequence(let sequence) = node else { return mismatch() }
            var result: [(path: [PathElement], mark: Mark?, message: String)] = []
            for (index, child) in sequence.enumerated() {
                result += shapeErrors(in: child, shape: item, path: path + [.index(index)], mark: child.mark)
            }
            return result
        case .stringMap:
            guard case .mapping(let mapping) = node else { return mismatch() }
            var result: [(path: [PathElement], mark: Mark?, message: String)] = []
            for (key, value) in mapping {
                result += shapeErrors(in: value, shape: .string(), path: path + [.key(key.scalar?.string ?? "")], mark: key.mark)
            }
            return result
        case .string(let format):
            guard case .scalar(let scalar) = node else { return mismatch() }
            switch format {
            case .plain: return []
            case .timestamp:
                if let leap = Timestamp.leapSecond(in: scalar.string) {
                    return [(path, here, Timestamp.leapSecondMessage(leap, in: scalar.string))]
                }
                return Timestamp(iso8601: scalar.string) == nil ? mismatch() : []
            case .day: return CalendarDay(iso8601: scalar.string) == nil ? mismatch() : []
            case .duration: return DurationText.seconds(scalar.string) == nil ? mismatch() : []
            }
        case .enumeration(let values):
            guard case .scalar(let scalar) = node, values.contains(scalar.string) else { return mismatch() }
            return []
        case .number:
            guard case .scalar(let scalar) = node, let value = Double.construct(from: scalar) else { return mismatch() }
            // `.inf` and `.nan` are YAML's own words for what JSON cannot write; `1e400` is too large.
            if value.isNaN || scalar.string.contains(".inf") || scalar.string.contains(".Inf") || scalar.string.contains(".INF") {
                return mismatch()
            }
            if let problem = JSONScanner.rangeProblem(number: scalar.string) { return [(path, here, problem)] }
            return []
        case .integer, .constant:
            guard case .scalar(let scalar) = node, Int.construct(from: scalar) != nil else { return mismatch() }
            return []
        case .boolean:
            guard case .scalar(let scalar) = node, Bool.construct(from: scalar) != nil else { return mismatch() }
            return []
        }
    }

    /// Keys of mappings that the shape does not define, with their lines.
    static func unknownKeys(in node: Node, shape: RecordShape, path: [PathElement] = []) -> [(path: [PathElement], mark: Mark?)] {
        var result: [(path: [PathElement], mark: Mark?)] = []
        switch (node, shape) {
        case (.mapping(let mapping), .object(let object)):
            for (key, value) in mapping {
                let name = key.scalar?.string ?? ""
                let childPath = path + [.key(name)]
                if let property = object.property(named: name) {
                    result += unknownKeys(in: value, shape: property.shape, path: childPath)
                } else {
                    result.append((childPath, key.mark))
                }
            }
        case (.sequence(let sequence), .array(let item)):
            for (index, child) in sequence.enumerated() {
                result += unknownKeys(in: child, shape: item, path: path + [.index(index)])
            }
        default:
            break
        }
        return result
    }
}

/// Decodes records from JSON or YAML text and turns every failure into `ContentIssue`s that name
/// the line and the JSON path.
enum RecordDecoding {
    /// Decodes a JSON record: syntax check and unknown keys first (one scan), then `JSONDecoder`.
    /// `bytes` are known to be UTF-8 (`ContentLoader.loadFile` checks every file first).
    static func json<T: Decodable>(
        _ type: T.Type, bytes: [UInt8], shape: ObjectShape, file: String
    ) -> (value: T?, issues: [ContentIssue], source: SourceText) {
        let report = JSONScanner.scan(bytes, shape: .object(shape))
        if let syntax = report.syntaxError {
            return (
                nil, [.error(file, .line(syntax.line, column: syntax.column), "malformed JSON: " + syntax.message)],
                .none
            )
        }
        var issues: [ContentIssue] = []
        for duplicate in report.duplicateKeys {
            issues.append(
                .error(
                    file, .jsonPath(duplicate.path.jsonPath, line: duplicate.line, column: duplicate.column),
                    "key " + quoted(lastKey(duplicate.path)) + " appears twice in the same object; keep one"))
        }
        for unknown in report.unknownKeys {
            issues.append(
                .warning(
                    file, .jsonPath(unknown.path.jsonPath, line: unknown.line, column: unknown.column),
                    unknownKeyMessage(unknown.path, root: shape)))
        }
        let source = SourceText.json(bytes)
        if !report.shapeErrors.isEmpty {
            // Every wrong value of the file at once; the decoder would stop at the first.
            for problem in report.shapeErrors {
                issues.append(.error(file, .jsonPath(problem.path.jsonPath, line: problem.line, column: problem.column), problem.message))
            }
            return (nil, issues, source)
        }
        var data = Data(bytes)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { data.removeFirst(3) }
        do {
            let value = try JSONDecoder().decode(T.self, from: data)
            return (value, issues, source)
        } catch let error as DecodingError {
            issues.append(issue(for: error, file: file, root: shape, source: source))
        } catch {
            issues.append(.error(file, nil, "could not read the record: " + String(describing: error)))
        }
        return (nil, issues, source)
    }

    /// Decodes a YAML record: compose the node tree once, check keys, then decode from the tree.
    static func yaml<T: Decodable>(
        _ type: T.Type, text: String, shape: ObjectShape, file: String
    ) -> (value: T?, issues: [ContentIssue], source: SourceText) {
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: text) else {
                return (nil, [.error(file, .line(1), "the file is empty; expected a mapping of " + shape.name + " keys")], .none)
            }
            node = composed
        } catch let error as YamlError {
            return (nil, [yamlSyntaxIssue(error, file: file, text: text)], .none)
        } catch {
            return (nil, [.error(file, nil, "malformed YAML: " + String(describing: error))], .none)
        }
        var issues: [ContentIssue] = []
        for unknown in YAMLLocator.unknownKeys(in: node, shape: .object(shape)) {
            issues.append(
                .warning(
                    file, .jsonPath(unknown.path.jsonPath, line: unknown.mark?.line, column: unknown.mark?.column),
                    unknownKeyMessage(unknown.path, root: shape)))
        }
        let source = SourceText.yaml(node)
        let shapeErrors = YAMLLocator.shapeErrors(in: node, shape: .object(shape))
        if !shapeErrors.isEmpty {
            for problem in shapeErrors {
                issues.append(.error(file, .jsonPath(problem.path.jsonPath, line: problem.mark?.line), problem.message))
            }
            return (nil, issues, source)
        }
        do {
            let value = try YAMLDecoder().decode(T.self, from: node)
            return (value, issues, source)
        } catch let error as DecodingError {
            issues.append(issue(for: error, file: file, root: shape, source: source))
        } catch let error as YamlError {
            issues.append(yamlSyntaxIssue(error, file: file, text: text))
        } catch {
            issues.append(.error(file, nil, "could not read the record: " + String(describing: error)))
        }
        return (nil, issues, source)
    }

    static func yamlSyntaxIssue(_ error: YamlError, file: String, text: String) -> ContentIssue {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            // libyaml's words name its C API; say what the limit is, as JSON's message does.
            let problem = problem.hasPrefix("Maximum nesting level reached") ? "nesting deeper than 1000 levels" : problem
            var message = "malformed YAML: " + problem
            if let context { message += " (" + context.text + " at line " + String(context.mark.line) + ")" }
            // libyaml puts errors at the end of a file without a final newline on the line after
            // the last; name the end of the last line instead.
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let lineCount = text.hasSuffix("\n") ? lines.count - 1 : lines.count
            if mark.line > lineCount, lineCount > 0 {
                message += " at the end of the file"
                let last = lines[lineCount - 1]
                return .error(file, .line(lineCount, column: last.unicodeScalars.count + 1), message)
            }
            return .error(file, .line(mark.line, column: mark.column), message)
        case .reader(let problem, let offset, let value, _):
            // libyaml counts the offset in bytes of the text; name the character's line and column.
            let detail = value >= 0 ? problem + " (U+" + String(value, radix: 16, uppercase: true).leftPadded(to: 4) + ")" : problem
            guard let offset else { return .error(file, .line(1), "malformed YAML: " + detail) }
            let prefix = text.utf8.prefix(offset)
            let line = prefix.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            let lineStart = prefix.lastIndex(of: 0x0A).map { prefix.index(after: $0) } ?? prefix.startIndex
            let column = String(decoding: prefix[lineStart...], as: UTF8.self).unicodeScalars.count + 1
            return .error(file, .line(line, column: column), "malformed YAML: " + detail)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .error(
                file, .line(context.mark.line, column: context.mark.column),
                "malformed YAML: the key(s) " + duplicates.sorted().map(quoted).joined(separator: ", ")
                    + " appear twice in the same mapping; keep one")
        default:
            return .error(file, .line(1), "malformed YAML: " + String(describing: error))
        }
    }

    static func unknownKeyMessage(_ path: [PathElement], root: ObjectShape) -> String {
        let parent = Array(path.dropLast())
        var message = "unknown key " + quoted(lastKey(path)) + " (a typo?); it is ignored"
        if case .object(let object)? = RecordShape.object(root).shape(at: parent) {
            message += "; known keys here: " + object.properties.map(\.name).joined(separator: ", ")
        }
        return message
    }

    private static func lastKey(_ path: [PathElement]) -> String {
        if case .key(let key)? = path.last { return key }
        return ""
    }

    /// One readable issue for a decoding error: the path, its line, what was expected and what was found.
    static func issue(for error: DecodingError, file: String, root: ObjectShape, source: SourceText) -> ContentIssue {
        let rootShape = RecordShape.object(root)
        switch error {
        case .keyNotFound(let key, let context):
            let path = context.codingPath.map(PathElement.init) + [PathElement(key)]
            let found = source.locate(path)
            let expectation = rootShape.shape(at: path)?.expectation ?? "a value"
            var location = ContentLocation(line: found.parentLine ?? found.line, jsonPath: path.jsonPath)
            if case .text = source { location = ContentLocation(line: found.line) }
            return .error(file, location, "missing required key " + quoted(key.stringValue) + " (expected " + expectation + ")")
        case .valueNotFound(let type, let context):
            let path = context.codingPath.map(PathElement.init)
            let expectation = rootShape.shape(at: path)?.expectation ?? describe(type)
            return .error(file, source.location(path), "expected " + expectation + ", got null")
        case .typeMismatch(let type, let context):
            let path = context.codingPath.map(PathElement.init)
            let found = source.locate(path)
            let expectation = rootShape.shape(at: path)?.expectation ?? describe(type)
            return .error(file, source.location(path), "expected " + expectation + ", got " + (found.got ?? "something else"))
        case .dataCorrupted(let context):
            let path = context.codingPath.map(PathElement.init)
            let found = source.locate(path)
            let got = found.got ?? "something else"
            switch rootShape.shape(at: path) {
            case .enumeration(let values)?:
                return .error(file, source.location(path), "expected one of " + values.joined(separator: ", ") + ", got " + got)
            case .integer?, .constant?, .number?, .boolean?:
                return .error(file, source.location(path), "expected " + rootShape.shape(at: path)!.expectation + ", got " + got)
            default:
                let detail = context.debugDescription
                if detail.hasPrefix("expected") {
                    // The model says what it expected; the file says what was there.
                    let got = detail.contains(", got ") ? "" : found.got.map { ", got " + $0 } ?? ""
                    return .error(file, source.location(path), detail + got)
                }
                if path.isEmpty { return .error(file, nil, "malformed record: " + detail) }
                return .error(file, source.location(path), detail)
            }
        @unknown default:
            return .error(file, nil, String(describing: error))
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        if type == String.self { return "a string" }
        if type == Int.self { return "an integer" }
        if type == Double.self { return "a number" }
        if type == Bool.self { return "true or false" }
        if name.hasPrefix("Array") || name.contains("Sequence") { return "a list" }
        if name.hasPrefix("Dictionary") || name.contains("Mapping") || name.contains("Keyed") { return "an object" }
        return "a value of type " + name
    }
}

extension String {
    /// The string with `0` in front up to `width` characters (`1` → `0001`).
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
