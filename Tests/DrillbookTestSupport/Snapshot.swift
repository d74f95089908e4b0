public import Foundation
public import Testing

/// Compares `actual` with the golden file `Snapshots/<name>` beside the calling test, or re-records it
/// there when `RECORD_SNAPSHOTS=1`.
///
/// Golden files hold the output in its one-element-per-line form (``GoldenFile/lines(of:)``), so an SVG
/// chart or a page with inline SVG reads and diffs line by line; the product's bytes are untouched, and
/// the fresh output goes through the same reversible transform before the comparison, so any byte
/// change still fails. Golden files are read from the source folder (a fresh recording is compared at
/// once) and, when the sources are not around, from `bundle`'s `.copy("Snapshots")` resource.
public func expectSnapshot(
    _ actual: String, named name: String, bundle: Bundle? = nil, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
    let sourceFile = folder.appendingPathComponent(name)
    let recorded = GoldenFile.lines(of: actual)
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(recorded.utf8).write(to: sourceFile, options: .atomic)
        } catch {
            Issue.record("could not record Snapshots/\(name): \(error)", sourceLocation: sourceLocation)
        }
        return
    }
    let bundled = bundle?.url(forResource: "Snapshots", withExtension: nil)?.appendingPathComponent(name)
    guard let data = FileManager.default.contents(atPath: sourceFile.path) ?? bundled.flatMap({ FileManager.default.contents(atPath: $0.path) })
    else {
        Issue.record("no golden file Snapshots/\(name); run the tests with RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation)
        return
    }
    if let difference = GoldenFile.difference(expected: String(decoding: data, as: UTF8.self), actual: recorded, name: name) {
        Issue.record(Comment(rawValue: difference), sourceLocation: sourceLocation)
    }
}

/// The form golden files are stored in, and how two of them are told apart.
public enum GoldenFile {
    private static let newline = UInt8(ascii: "\n")
    private static let close = UInt8(ascii: ">")
    private static let open = UInt8(ascii: "<")

    /// `text` with one more newline in every gap between a `>` and the next `<` that holds nothing but
    /// newlines: `<a><b>` becomes `<a>\n<b>`, and `<a>\n<b>` becomes `<a>\n\n<b>`, so the form is
    /// reversible (``text(fromLines:)``) and two different outputs never share a golden file.
    public static func lines(of text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 16)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            out.append(byte)
            index += 1
            if byte == close {
                var next = index
                while next < bytes.count, bytes[next] == newline { next += 1 }
                if next < bytes.count, bytes[next] == open { out.append(newline) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The output a golden file in the one-element-per-line form stands for: the inverse of ``lines(of:)``.
    public static func text(fromLines lines: String) -> String {
        let bytes = Array(lines.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            out.append(byte)
            index += 1
            if byte == close {
                var next = index
                while next < bytes.count, bytes[next] == newline { next += 1 }
                if next > index, next < bytes.count, bytes[next] == open { index += 1 }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Nil when the two texts are equal; otherwise a message naming the first differing line and
    /// column with both versions of that line.
    public static func difference(expected: String, actual: String, name: String) -> String? {
        if expected == actual { return nil }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(expectedLines.count, actualLines.count)
        let want = line < expectedLines.count ? Array(expectedLines[line]) : []
        let got = line < actualLines.count ? Array(actualLines[line]) : []
        let column = zip(want, got).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(want.count, got.count)
        func shown(_ characters: [Character], present: Bool) -> String {
            present ? String(characters.prefix(400)) + (characters.count > 400 ? "…" : "") : "<end of file>"
        }
        return """
            Snapshots/\(name) differs at line \(line + 1), column \(column + 1) \
            (\(expectedLines.count) lines expected, \(actualLines.count) actual):
              expected: \(shown(want, present: line < expectedLines.count))
              actual:   \(shown(got, present: line < actualLines.count))
            Re-record with RECORD_SNAPSHOTS=1 if the change is intended.
            """
    }
}
