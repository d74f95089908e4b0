import DrillbookTestSupport
import Foundation
import Testing

/// `drillbook build` as a new user might call it in a folder of their own: an output folder the
/// build would replace whole is refused with exit 2 and one message, and nothing is touched.
@Suite("Build refusals", .serialized)
struct BuildRefusalTests {
    /// A scratch project: `content/` (the sample content), `NOTES.md`, `src/main.c`.
    static func project() throws -> URL {
        let root = try temporaryFolder("e2e")
        let real = URL(fileURLWithPath: root.resolvingSymlinksInPath().path)
        try FileManager.default.copyItem(atPath: EndToEndTests.content, toPath: real.appendingPathComponent("content").path)
        try Data("notes\n".utf8).write(to: real.appendingPathComponent("NOTES.md"))
        try FileManager.default.createDirectory(at: real.appendingPathComponent("src"), withIntermediateDirectories: true)
        try Data("int main(void) { return 0; }\n".utf8).write(to: real.appendingPathComponent("src/main.c"))
        return real
    }

    /// Every file under `folder` with its bytes.
    static func snapshot(_ folder: URL) throws -> [String: Data] {
        Dictionary(uniqueKeysWithValues: try files(in: folder).map { ($0.path, $0.data) })
    }

    static func build(_ output: String, in folder: URL, home: String? = nil) async throws -> BuiltTool.Outcome {
        try await BuiltTool.find().run(
            ["build", "--content", "content", "--theme", EndToEndTests.theme, "--output", output, "--as-of", "2026-11-29"],
            in: folder, environment: home.map { ["HOME": $0] } ?? [:])
    }

    static let remedy =
        "; a build replaces its output folder whole, so pass --output a folder of its own (such as output) outside the content and theme folders; nothing was written\n"

    @Test func theCurrentFolderIsRefusedAndKept() async throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let before = try Self.snapshot(project)
        let outcome = try await Self.build(".", in: project)
        #expect(outcome.status == 2)
        #expect(
            outcome.standardError
                == "drillbook: error: refusing to build: the output folder \".\" (\(project.path)) is the current folder \(project.path)" + Self.remedy)
        #expect(outcome.standardOutput == "")
        #expect(try Self.snapshot(project) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: project.path).sorted() == ["NOTES.md", "content", "src"])
    }

    @Test func theContentFolderAndFoldersAroundOrInsideItAreRefused() async throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let before = try Self.snapshot(project)
        let content = project.path + "/content"
        let cases = [
            ("content", "the output folder \"content\" (\(content)) is the content folder \(content)"),
            ("content/site", "the output folder \"content/site\" (\(content)/site) lies inside the content folder \(content)"),
            ("./content/../content", "the output folder \"./content/../content\" (\(content)) is the content folder \(content)"),
            ("..", "the output folder \"..\" (\(project.deletingLastPathComponent().path)) contains the content folder \(content)"),
            (EndToEndTests.theme, "the output folder \(EndToEndTests.theme) is the theme folder \(EndToEndTests.theme)"),
            ("/", "the output folder / is the root folder /"),
        ]
        for (output, message) in cases {
            let outcome = try await Self.build(output, in: project)
            #expect(outcome.status == 2, "--output \(output)")
            #expect(outcome.standardError == "drillbook: error: refusing to build: " + message + Self.remedy)
        }
        #expect(try Self.snapshot(project) == before)
    }

    @Test func theHomeFolderIsRefused() async throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let home = project.appendingPathComponent("src").path
        let outcome = try await Self.build(home, in: project, home: home)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("is the home folder \(home);"))
        #expect(FileManager.default.fileExists(atPath: home + "/main.c"))
    }

    @Test func aFolderOfOtherFilesIsRefusedAnEmptyOrGitkeepOneIsBuilt() async throws {
        let project = try Self.project()
        defer { try? FileManager.default.removeItem(at: project) }
        let refused = try await Self.build("src", in: project)
        #expect(refused.status == 2)
        #expect(
            refused.standardError
                == "drillbook: error: refusing to build: the output folder \(project.path)/src is not empty and has no .drillbook-site "
                + "file, so drillbook did not build it and replacing it would delete its files; empty it or remove it, "
                + "or pass --output another folder; nothing was written\n")
        #expect(FileManager.default.fileExists(atPath: project.path + "/src/main.c"))

        // The repository's output/ holds only .gitkeep: built, .gitkeep kept, the marker added.
        let output = project.appendingPathComponent("output")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data().write(to: output.appendingPathComponent(".gitkeep"))
        let built = try await Self.build("output", in: project)
        #expect(built.status == 0, "\(built.standardError)")
        let files = try DrillbookTestSupport.files(in: output).map(\.path)
        #expect(files.contains(".gitkeep") && files.contains(".drillbook-site") && files.contains("index.html"))
        // A site drillbook built is replaced again, or found up to date.
        let again = try await Self.build("output", in: project)
        #expect(again.status == 0)
        #expect(again.standardOutput.hasPrefix("Up to date: output/"))
    }
}
