public import DrillbookModel
public import Foundation
import Yams

/// A drill file that could not be read, naming the file and the line.
public struct DrillFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    /// 1-based line, when known.
    public var line: Int?
    public var message: String

    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `content/drills/x.yaml:12: execution.fault[0].wait: expected a number`.
    public var description: String { path + (line.map { ":\($0)" } ?? "") + ": " + message }
}

/// Reads a drill definition from YAML with Yams, keeping line numbers for errors. (The shared
/// content loader will take this over; this reader only serves `drillbook run`.)
public enum DrillFileReader {
    public static func read(_ url: URL) throws(DrillFileError) -> DrillDefinition {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw DrillFileError(path: url.path, line: nil, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try decode(String(decoding: data, as: UTF8.self), path: url.path)
    }

    public static func decode(_ yaml: String, path: String) throws(DrillFileError) -> DrillDefinition {
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else {
                throw DrillFileError(path: path, line: 1, message: "the file is empty; expected a drill definition")
            }
            node = composed
        } catch let error as DrillFileError {
            throw error
        } catch let error as YamlError {
            throw yamlError(error, path: path)
        } catch {
            throw DrillFileError(path: path, line: nil, message: "\(error)")
        }
        do {
            return try YAMLDecoder().decode(DrillDefinition.self, from: node)
        } catch let error as DecodingError {
            throw decodingError(error, node: node, path: path)
        } catch let error as YamlError {
            throw yamlError(error, path: path)
        } catch {
            throw DrillFileError(path: path, line: nil, message: "\(error)")
        }
    }

    static func yamlError(_ error: YamlError, path: String) -> DrillFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return DrillFileError(path: path, line: mark.line, message: "invalid YAML: \(problem)")
        default:
            return DrillFileError(path: path, line: nil, message: "invalid YAML: \(error)")
        }
    }

    static func decodingError(_ error: DecodingError, node: Node, path: String) -> DrillFileError {
        let context: DecodingError.Context
        let message: String
        switch error {
        case .keyNotFound(let key, let c):
            context = c
            message = "missing key `\(key.stringValue)`"
        case .typeMismatch(let type, let c):
            context = c
            if let scalar = Self.node(root: node, path: c.codingPath)?.scalar {
                message = "expected \(describe(type)), found \"\(scalar.string)\""
            } else {
                message = "expected \(describe(type))"
            }
        case .valueNotFound(let type, let c):
            context = c
            message = "expected \(describe(type)), found nothing"
        case .dataCorrupted(let c):
            context = c
            message = c.debugDescription
        @unknown default:
            return DrillFileError(path: path, line: nil, message: "\(error)")
        }
        let keyPath = dotted(context.codingPath)
        let line = deepestMark(node, path: context.codingPath)?.line
        return DrillFileError(path: path, line: line, message: (keyPath.isEmpty ? "" : keyPath + ": ") + message)
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "text"
        case is Double.Type, is Int.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)".hasPrefix("Array") ? "a list" : "\(type)".contains("Dictionary") ? "a mapping" : "a \(type)"
        }
    }

    /// `execution.fault[0].wait`.
    static func dotted(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
        }
        return text
    }

    /// The node at exactly `path`, or nil.
    static func node(root: Node, path: [any CodingKey]) -> Node? {
        var current = root
        for key in path {
            if let index = key.intValue, let sequence = current.sequence, sequence.indices.contains(index) {
                current = sequence[index]
            } else if let mapping = current.mapping, let next = mapping[key.stringValue] {
                current = next
            } else {
                return nil
            }
        }
        return current
    }

    /// The mark of the deepest node the coding path reaches (the parent, when the key is missing).
    static func deepestMark(_ root: Node, path: [any CodingKey]) -> Mark? {
        var current = root
        for key in path {
            if let index = key.intValue, let sequence = current.sequence, sequence.indices.contains(index) {
                current = sequence[index]
            } else if let mapping = current.mapping, let next = mapping[key.stringValue] {
                current = next
            } else {
                break
            }
        }
        return current.mark
    }
}
