@testable import DrillbookContent
import DrillbookModel
import Foundation
import Testing

/// `RecordShape` is the one description of each record format beside the model's synthesized
/// `Codable` code: the loader uses it for unknown-key warnings and "expected …" messages, it
/// writes the published JSON Schemas and the tables of `docs/formats.md` (`RecordDocsTests`).
/// These tests hold model and shape together both ways: every record of the repository's
/// `content/` folder encodes to declared keys only, and a document with every declared key
/// decodes and encodes back to exactly those keys, so a field added to one and not the other
/// fails here rather than as a spurious warning for users.
@Suite struct RecordShapeTests {
    static let content = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("content", isDirectory: true)
    let history = ContentLoader(contentDirectory: Self.content).load().history

    /// Key paths like `criteria[].verdict`; the values of a string map are `extra.*`.
    static func shapePaths(_ shape: ObjectShape, prefix: String = "") -> Set<String> {
        var paths: Set<String> = []
        for property in shape.properties {
            let path = prefix + property.name
            paths.insert(path)
            paths.formUnion(shapePaths(property.shape, at: path))
        }
        return paths
    }

    static func shapePaths(_ shape: RecordShape, at path: String) -> Set<String> {
        switch shape {
        case .object(let object): shapePaths(object, prefix: path + ".")
        case .array(let element): shapePaths(element, at: path + "[]")
        case .stringMap: [path + ".*"]
        default: []
        }
    }

    static func encodedPaths(_ value: Any, at path: String, maps: Set<String>) -> Set<String> {
        var paths: Set<String> = []
        if let object = value as? [String: Any] {
            if maps.contains(path) {
                return object.isEmpty ? [] : [path + ".*"]
            }
            for (key, child) in object {
                let childPath = path.isEmpty ? key : path + "." + key
                paths.insert(childPath)
                paths.formUnion(encodedPaths(child, at: childPath, maps: maps))
            }
        } else if let array = value as? [Any] {
            for element in array { paths.formUnion(encodedPaths(element, at: path + "[]", maps: maps)) }
        }
        return paths
    }

    /// Every key the model writes for `records`, as key paths.
    static func encodedPaths<Record: Encodable>(_ records: [Record], shape: ObjectShape) throws -> Set<String> {
        let maps = Set(shapePaths(shape).filter { $0.hasSuffix(".*") }.map { String($0.dropLast(2)) })
        var paths: Set<String> = []
        for record in records {
            let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(record))
            paths.formUnion(encodedPaths(json, at: "", maps: maps))
        }
        return paths
    }

    /// A record with every key the shape declares, each with a value of its shape.
    static func fullRecord(_ shape: ObjectShape) -> [String: Any] {
        var object: [String: Any] = [:]
        for property in shape.properties { object[property.name] = sample(property.shape) }
        return object
    }

    static func sample(_ shape: RecordShape) -> Any {
        switch shape {
        case .string(.plain): "text"
        case .string(.timestamp): "2026-03-02T10:15:00+05:30"
        case .string(.day): "2026-03-02"
        case .string(.duration): "1h 30m"
        case .integer(let minimum, _): minimum ?? 1
        case .constant(let value): value
        case .number: 1.5
        case .boolean: true
        case .enumeration(let values): values[0]
        case .array(let element): [sample(element)]
        case .object(let object): fullRecord(object)
        case .stringMap: ["key": "value"]
        }
    }

    /// Checks the model against the shape both ways: every key the model writes for the sample
    /// content is declared, and a record with every declared key decodes and writes them all back
    /// (so the model neither ignores a declared key nor needs an undeclared one).
    func check<Record: Codable>(_ records: [Record], shape: ObjectShape, kind: String) throws {
        #expect(!records.isEmpty, "the sample content has no \(kind)")
        let declared = Self.shapePaths(shape)
        let undeclared = try Self.encodedPaths(records, shape: shape).subtracting(declared).sorted()
        #expect(undeclared == [], "the model writes \(kind) keys that RecordShape does not declare: \(undeclared)")

        let full = try JSONSerialization.data(withJSONObject: Self.fullRecord(shape))
        let decoded = try JSONDecoder().decode(Record.self, from: full)
        let written = try Self.encodedPaths([decoded], shape: shape)
        #expect(declared.subtracting(written).sorted() == [], "declared \(kind) keys the model drops")
        #expect(written.subtracting(declared).sorted() == [], "\(kind) keys the model adds")
    }

    @Test func drillDefinitionsMatchTheirShape() throws {
        try check(history.drills, shape: RecordShapes.drillDefinition, kind: "drill")
    }

    @Test func runsMatchTheirShape() throws {
        try check(history.fullRuns, shape: RecordShapes.drillRun, kind: "run")
    }

    @Test func incidentsMatchTheirShape() throws {
        try check(history.incidents, shape: RecordShapes.incident, kind: "incident")
    }

    @Test func actionUpdatesMatchTheirShape() throws {
        try check([ActionUpdatesFile(updates: history.actionUpdates)], shape: RecordShapes.actionUpdates, kind: "action updates")
    }

    @Test func scheduleMatchesItsShape() throws {
        try check([history.schedule], shape: RecordShapes.schedule, kind: "schedule")
    }
}
