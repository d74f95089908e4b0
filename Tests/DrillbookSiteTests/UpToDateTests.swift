import DrillbookModel
@testable import DrillbookOutput
@testable import DrillbookSite
import Foundation
import Testing

/// The "up to date" shortcut skips a rebuild only when every input of the output is as the last
/// build saw it: options, theme, the tool, and the bytes behind links.
@Suite("Up to date", .serialized)
struct UpToDateTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let asOf = CalendarDay(year: 2026, month: 11, day: 29)!

    /// A scratch copy of the repository's content and theme, and an output folder beside them.
    struct Scratch: ~Copyable {
        let root: URL
        var content: URL { root.appendingPathComponent("content") }
        var theme: URL { root.appendingPathComponent("theme") }
        var output: URL { root.appendingPathComponent("site") }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-uptodate-" + UUID().uuidString)
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: UpToDateTests.repository.appendingPathComponent("content"), to: content)
            try FileManager.default.copyItem(at: UpToDateTests.repository.appendingPathComponent("themes/default"), to: theme)
        }
        deinit { try? FileManager.default.removeItem(at: root) }

        func build(baseURL: String? = nil) async throws -> SiteGenerator.Result {
            var builder = SiteBuilder(themeDirectory: theme, outputDirectory: output, asOf: UpToDateTests.asOf)
            builder.baseURL = baseURL
            return try await SiteGenerator(contentDirectory: content, builder: builder).generate()
        }

        func text(_ path: String) throws -> String {
            try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
        }
    }

    @Test func aDifferentBaseURLRebuildsTheFeedAndTheSitemap() async throws {
        let scratch = try Scratch()
        let first = try await scratch.build()
        #expect(!first.upToDate && first.warnings.isEmpty)
        #expect(try await scratch.build().upToDate)  // nothing changed
        let sitemap = scratch.output.appendingPathComponent("sitemap.xml").path
        #expect(!FileManager.default.fileExists(atPath: sitemap))

        let absolute = try await scratch.build(baseURL: "https://drills.example.com/")
        #expect(!absolute.upToDate)
        #expect(absolute.report.changedFiles.contains("feed.xml"))
        #expect(try scratch.text("feed.xml").contains("xml:base=\"https://drills.example.com/\""))
        #expect(try scratch.text("sitemap.xml").contains("<loc>https://drills.example.com/index.html</loc>"))
        #expect(try await scratch.build(baseURL: "https://drills.example.com/").upToDate)

        let moved = try await scratch.build(baseURL: "https://intranet.example/drills/")
        #expect(!moved.upToDate)
        #expect(try scratch.text("sitemap.xml").contains("<loc>https://intranet.example/drills/index.html</loc>"))

        let relative = try await scratch.build()
        #expect(!relative.upToDate)
        #expect(!FileManager.default.fileExists(atPath: sitemap))
        #expect(try !scratch.text("feed.xml").contains("xml:base"))
    }

    @Test func anEditBehindALinkedTemplateIsSeen() async throws {
        let scratch = try Scratch()
        // The footer partial lives outside the theme, shared with other themes.
        let shared = scratch.root.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        let partial = try Self.linkedOut(
            "templates/" + Self.someTemplate(in: scratch.theme), of: scratch.theme, into: shared)
        _ = try await scratch.build()
        #expect(try await scratch.build().upToDate)

        let bytes = try String(contentsOf: partial, encoding: .utf8)
        try (bytes + "<!-- edited behind the link -->\n").write(to: partial, atomically: false, encoding: .utf8)
        let edited = try await scratch.build()
        #expect(!edited.upToDate)
        #expect(!edited.report.changedFiles.isEmpty)
    }

    @Test func anEditBehindALinkedRecordInsideTheContentIsSeen() async throws {
        let scratch = try Scratch()
        // runs/2026/<run>.json -> ../../archive/<run>.json: the record itself sits outside runs/.
        let runs = scratch.content.appendingPathComponent("runs/2026")
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasSuffix(".json") }.sorted().first)
        let archive = scratch.content.appendingPathComponent("archive")
        try FileManager.default.createDirectory(at: archive, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: runs.appendingPathComponent(name), to: archive.appendingPathComponent(name))
        try FileManager.default.createSymbolicLink(
            atPath: runs.appendingPathComponent(name).path, withDestinationPath: "../../archive/" + name)
        let first = try await scratch.build()
        #expect(first.warnings.isEmpty, "\(first.warnings)")
        #expect(try await scratch.build().upToDate)

        let record = archive.appendingPathComponent(name)
        let text = try String(contentsOf: record, encoding: .utf8)
        let id = String(name.dropLast(".json".count))
        try text.replacingOccurrences(of: "\"summary\" : \"", with: "\"summary\" : \"Edited behind the link. ")
            .replacingOccurrences(of: "\"summary\": \"", with: "\"summary\": \"Edited behind the link. ")
            .write(to: record, atomically: false, encoding: .utf8)
        let edited = try await scratch.build()
        #expect(!edited.upToDate)
        #expect(edited.report.changedFiles.contains("runs/" + id + ".html"))
        #expect(try scratch.text("runs/" + id + ".html").contains("Edited behind the link."))
    }

    @Test func otherOptionsAndTheToolArePartOfTheFingerprint() throws {
        let scratch = try Scratch()
        let fingerprint = { (content: URL, theme: URL, asOf: CalendarDay, base: String?) in
            BuildState.inputs(content: content, theme: theme, asOf: asOf, baseURL: base)
        }
        let reference = fingerprint(scratch.content, scratch.theme, Self.asOf, nil)
        #expect(reference != nil)
        #expect(fingerprint(scratch.content, scratch.theme, Self.asOf, nil) == reference)
        #expect(fingerprint(scratch.content, scratch.theme, CalendarDay(year: 2026, month: 11, day: 30)!, nil) != reference)
        #expect(fingerprint(scratch.content, scratch.theme, Self.asOf, "https://a.example/") != reference)
        #expect(fingerprint(scratch.content, scratch.theme, Self.asOf, "") != reference)
        // The same files at another path: another theme folder.
        let copy = scratch.root.appendingPathComponent("theme-copy")
        try FileManager.default.copyItem(at: scratch.theme, to: copy)
        #expect(fingerprint(scratch.content, copy, Self.asOf, nil) != reference)
        // The executable's path and stamp are in it.
        let executable = try #require(Bundle.main.executablePath)
        #expect(BuildState.targetStamp(executable) != nil)
    }

    // MARK: - Helpers

    /// A template every page uses (a partial such as the footer when there is one).
    static func someTemplate(in theme: URL) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: theme.appendingPathComponent("templates").path).sorted()
        return try #require(names.first { $0.contains("footer") || $0.contains("layout") } ?? names.first)
    }

    /// Moves `relative` of `folder` into `other` and leaves a link to it; returns the moved file.
    static func linkedOut(_ relative: String, of folder: URL, into other: URL) throws -> URL {
        let original = folder.appendingPathComponent(relative)
        let moved = other.appendingPathComponent(original.lastPathComponent)
        try FileManager.default.moveItem(at: original, to: moved)
        try FileManager.default.createSymbolicLink(atPath: original.path, withDestinationPath: moved.path)
        return moved
    }
}
