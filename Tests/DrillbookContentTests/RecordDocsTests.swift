@testable import DrillbookContent
import Foundation
import Testing

/// `docs/formats.md` shows every record format as tables written from `RecordShapes`, the shapes
/// the loader checks and the JSON Schemas publish: a key added to a shape and not to the page (or
/// the other way round) fails here. `RECORD_SNAPSHOTS=1` rewrites the tables in place.
@Suite struct RecordDocsTests {
    static let page = RecordShapeTests.content.deletingLastPathComponent().appendingPathComponent("docs/formats.md")

    @Test func formatsPageTablesAreTheShapes() throws {
        let text = try String(contentsOf: Self.page, encoding: .utf8)
        #expect(RecordDocs.missingHeadings(in: text) == [])
        let expected = RecordDocs.updating(text)
        if expected != text, ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try expected.write(to: Self.page, atomically: true, encoding: .utf8)
            return
        }
        let have = text.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let differing = zip(have, want).enumerated().filter { $0.element.0 != $0.element.1 }.prefix(5)
            .map { "line \($0.offset + 1): \($0.element.0)\n  shape: \($0.element.1)" }
        let report = "docs/formats.md differs from RecordShapes (run with RECORD_SNAPSHOTS=1 to rewrite its tables):\n"
            + differing.joined(separator: "\n")
        #expect(expected == text, Comment(rawValue: report))
    }

    @Test func everyObjectShapeOfTheFormatsIsDocumentedOrDescribedElsewhere() {
        // Reachable from the five roots; DrillExecution's parts are docs/executor.md's.
        func objects(_ shape: RecordShape) -> [ObjectShape] {
            switch shape {
            case .object(let object): object.name == "DrillExecution" ? [] : [object] + object.properties.flatMap { objects($0.shape) }
            case .array(let item): objects(item)
            default: []
            }
        }
        let roots = [
            RecordShapes.drillDefinition, RecordShapes.drillRun, RecordShapes.incident, RecordShapes.actionUpdates,
            RecordShapes.schedule, RecordShapes.site,
        ]
        let reachable = Set(roots.flatMap { objects(.object($0)) }.map(\.name))
        #expect(reachable == Set(RecordDocs.documented.map(\.name)))
    }
}
