import DrillbookRunner
import Foundation
import Testing

@Suite("Drill file reader")
struct DrillFileReaderTests {
    /// `drillbook run` reports a drill file that is not UTF-8 as `check` does: at the bad byte.
    @Test func aFileThatIsNotUTF8IsAnErrorAtItsFirstBadByte() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drill-reader-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("latin1.yaml")
        try Data(Array("id: caf".utf8) + [0xE9, 0x0A]).write(to: file)
        do {
            _ = try DrillFileReader.read(file)
            Issue.record("a Latin-1 drill file was accepted")
        } catch {
            #expect(
                error.description
                    == file.relativePath
                    + ":1:8: not valid UTF-8: byte 0xE9 at byte offset 7 (a Latin-1 or Windows-1252 file?); save the file as UTF-8")
        }
    }
}
