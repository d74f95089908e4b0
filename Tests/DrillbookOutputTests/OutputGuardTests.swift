@testable import DrillbookOutput
import Foundation
import Testing

/// The output folder a build would replace whole is checked first: never the content or theme,
/// the current or home folder, `/`, nor a folder of files drillbook did not write.
@Suite("Output guard")
struct OutputGuardTests {
    /// `root/content`, `root/theme`, `root/work` (the current folder), `root/home`, and links to them.
    struct Layout: ~Copyable {
        let root: URL
        init() throws {
            let made = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-guard-" + UUID().uuidString)
            for folder in ["content/runs", "theme/assets", "work/notes", "home/user"] {
                try FileManager.default.createDirectory(
                    at: made.appendingPathComponent(folder), withIntermediateDirectories: true)
            }
            try FileManager.default.createSymbolicLink(
                atPath: made.appendingPathComponent("link-to-content").path, withDestinationPath: "content")
            // The real path, so messages can be compared (`/tmp` may itself be a link).
            root = URL(fileURLWithPath: OutputGuard.realPath(made.path, workingDirectory: "/"))
        }
        deinit { try? FileManager.default.removeItem(at: root) }

        func path(_ relative: String) -> String { root.path + "/" + relative }

        /// The refusal's message for `output`, or nil when the placement is allowed.
        func refusal(_ output: String) -> String? {
            do {
                try OutputGuard.checkPlacement(
                    of: URL(fileURLWithPath: output, relativeTo: URL(fileURLWithPath: path("work") + "/")),
                    protecting: [
                        ("content folder", URL(fileURLWithPath: path("content"))),
                        ("theme folder", URL(fileURLWithPath: path("theme"))),
                    ],
                    workingDirectory: path("work"), home: path("home/user"))
                return nil
            } catch {
                return error.message
            }
        }
    }

    static let remedy =
        "; a build replaces its output folder whole, so pass --output a folder of its own (such as output) outside the content and theme folders"

    @Test func theContentFolderItsInsideAndItsAncestorsAreRefused() throws {
        let layout = try Layout()
        let content = layout.path("content")
        #expect(layout.refusal(content) == "the output folder \(content) is the content folder \(content)" + Self.remedy)
        #expect(layout.refusal(content + "/runs")?.hasPrefix("the output folder \(content)/runs lies inside the content folder \(content);") == true)
        // Not created yet: its nearest existing ancestor is resolved.
        #expect(layout.refusal(content + "/site/deeper")?.contains("lies inside the content folder \(content);") == true)
        #expect(layout.refusal(layout.root.path)?.hasPrefix("the output folder \(layout.root.path) contains the content folder \(content);") == true)
        // Through `..` and through a link: real paths are compared.
        #expect(layout.refusal("../content")?.hasPrefix("the output folder \"../content\" (\(content)) is the content folder") == true)
        #expect(layout.refusal(layout.path("link-to-content")) != nil)
        #expect(layout.refusal(layout.path("link-to-content/new-site"))?.contains("lies inside the content folder") == true)
    }

    @Test func theThemeFolderIsRefused() throws {
        let layout = try Layout()
        #expect(layout.refusal(layout.path("theme"))?.contains("is the theme folder \(layout.path("theme"))") == true)
        #expect(layout.refusal(layout.path("theme/assets"))?.contains("lies inside the theme folder") == true)
    }

    @Test func theCurrentFolderItsAncestorsRootAndHomeAreRefused() throws {
        let layout = try Layout()
        let work = layout.path("work")
        #expect(layout.refusal(".") == "the output folder \".\" (\(work)) is the current folder \(work)" + Self.remedy)
        #expect(layout.refusal("..")?.contains("contains the content folder") == true)
        #expect(layout.refusal("/") == "the output folder / is the root folder /" + Self.remedy)
        #expect(layout.refusal(layout.path("home/user"))?.contains("is the home folder \(layout.path("home/user"))") == true)
        #expect(layout.refusal(layout.path("home"))?.contains("contains the home folder") == true)
    }

    @Test func aFolderOfItsOwnIsAllowed() throws {
        let layout = try Layout()
        #expect(layout.refusal(layout.path("site")) == nil)
        #expect(layout.refusal("output") == nil)
        #expect(layout.refusal(layout.path("work/notes/site")) == nil)
        #expect(layout.refusal(layout.path("home/user/drills/site")) == nil)
        // A sibling whose name starts like the content folder's is not inside it.
        #expect(layout.refusal(layout.path("content-site")) == nil)
    }

    // MARK: - Replacing an existing folder

    /// The message for replacing `folder`, or nil when it may be replaced.
    func replaceRefusal(_ folder: URL) -> String? {
        do {
            try OutputGuard.checkReplaceable(folder)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func onlyEmptyFoldersAndDrillbookSitesAreReplaced() throws {
        let layout = try Layout()
        let site = layout.root.appendingPathComponent("site")
        #expect(replaceRefusal(site) == nil)  // missing
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        #expect(replaceRefusal(site) == nil)  // empty
        try Data().write(to: site.appendingPathComponent(".gitkeep"))
        #expect(replaceRefusal(site) == nil)  // the repository's output/
        try Data("notes".utf8).write(to: site.appendingPathComponent("notes.txt"))
        #expect(
            replaceRefusal(site)
                == "the output folder \(site.path) is not empty and has no .drillbook-site file, so drillbook did not "
                + "build it and replacing it would delete its files; empty it or remove it, or pass --output another folder")
        try Data(OutputGuard.markerText.utf8).write(to: site.appendingPathComponent(OutputGuard.markerName))
        #expect(replaceRefusal(site) == nil)

        // What looks like a site but has no marker is not guessed to be one.
        let older = layout.root.appendingPathComponent("older")
        try FileManager.default.createDirectory(at: older.appendingPathComponent("schema"), withIntermediateDirectories: true)
        try Data().write(to: older.appendingPathComponent("index.html"))
        try Data().write(to: older.appendingPathComponent("schema/drill-run.schema.json"))
        #expect(replaceRefusal(older) != nil)

        let file = layout.root.appendingPathComponent("file")
        try Data().write(to: file)
        #expect(replaceRefusal(file) == "the output path \(file.path) is a file, not a folder; pass --output a folder for the site")
    }
}
