import DrillbookTestSupport
import Foundation
import Testing

/// `drillbook announce` names the organisation of the content folder's `site.yaml`, and no
/// organisation when there is none: nothing is built in.
@Suite("Announce organisation")
struct AnnounceOrganisationTests {
    @Test func subjectNamesTheConfiguredOrganisation() async throws {
        let folder = try temporaryFolder("announce")
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(DrillbookBinary.tinyDrill().utf8).write(to: folder.appendingPathComponent("tiny.yaml"))
        let content = folder.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)

        let bare = try await DrillbookBinary.run(["announce", "./tiny.yaml", "--at", "2026-12-07 10:00 UTC"], in: folder)
        #expect(bare.status == 0, "\(bare.standardError)")
        #expect(bare.standardOutput.hasPrefix("Subject: Chaos Engineering Drill - Tiny drill - 2026-12-07 10:00 UTC\n"))

        try Data("organisation: Example Co\n".utf8).write(to: content.appendingPathComponent("site.yaml"))
        let named = try await DrillbookBinary.run(["announce", "./tiny.yaml", "--at", "2026-12-07 10:00 UTC"], in: folder)
        #expect(named.standardOutput.hasPrefix("Subject: Example Co Chaos Engineering Drill - Tiny drill - 2026-12-07 10:00 UTC\n"))

        // A hostile organisation is a located error, never printed into the mail.
        try Data("organisation: \"Evil\\e]0;pwned\\a\"\n".utf8).write(to: content.appendingPathComponent("site.yaml"))
        let hostile = try await DrillbookBinary.run(["announce", "./tiny.yaml", "--at", "2026-12-07 10:00 UTC"], in: folder)
        #expect(hostile.status == 3)
        #expect(hostile.standardOutput.isEmpty)
        #expect(hostile.standardError.contains("content/site.yaml:1: $.organisation: expected one line of text without control characters"), "\(hostile.standardError)")
    }
}
