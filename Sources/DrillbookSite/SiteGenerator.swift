public import DrillbookContent
import DrillbookModel
import DrillbookOutput
public import Foundation

/// The whole `drillbook build`: load and validate a content folder, then build the site from it.
///
/// Content errors stop the build before anything is written, so the previous output stays intact;
/// warnings are returned with the result for the caller to show.
public struct SiteGenerator: Sendable {
    public var contentDirectory: URL
    public var builder: SiteBuilder
    /// Decoded records kept between generations (`drillbook serve`); nil decodes every file each time.
    public var recordCache: RecordCache?

    public init(contentDirectory: URL, builder: SiteBuilder) {
        self.contentDirectory = contentDirectory
        self.builder = builder
    }

    /// What a successful generation did.
    public struct Result: Sendable {
        /// Warnings found while loading (errors stop the build instead).
        public var warnings: [ContentIssue]
        /// Seconds spent loading and validating content.
        public var loadSeconds: Double
        /// Counts of what was loaded.
        public var drills: Int
        public var runs: Int
        public var incidents: Int
        public var report: SiteBuildReport
        /// True when the content, theme, `asOf`, tool and output were exactly as the last
        /// successful build left them, so nothing was loaded or written (`report` lists no pages).
        public var upToDate = false
    }

    /// Why generation stopped.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The content folder has errors (warnings come along so every problem is shown).
        case content([ContentIssue])
        /// The site build failed in one of its steps.
        case build(SiteBuildError, warnings: [ContentIssue])
        /// The output folder may not be replaced (`OutputGuard`); nothing was read or written.
        case refused(SiteBuildError)

        public var description: String {
            switch self {
            case .content(let issues):
                let errors = issues.filter(\.isError).count
                return "\(errors) error\(errors == 1 ? "" : "s") in the content; the site was not built"
            case .build(let error, _):
                return error.description
            case .refused(let error):
                return "refusing to build: " + error.message
            }
        }
    }

    /// Checks the output folder may be replaced, then loads, validates and builds. The output
    /// folder changes only when everything succeeded.
    public func generate() async throws(Failure) -> Result {
        let clock = ContinuousClock()
        let start = clock.now
        let output = builder.outputDirectory
        do throws(OutputError) {
            try OutputGuard.checkPlacement(
                of: output, protecting: [("content folder", contentDirectory), ("theme folder", builder.themeDirectory)])
            try OutputGuard.checkReplaceable(output)
        } catch {
            throw .refused(SiteBuildError(step: .checkOutput, path: error.path, message: error.message))
        }
        let inputs = BuildState.inputs(
            content: contentDirectory, theme: builder.themeDirectory, asOf: builder.asOf, baseURL: builder.baseURL)
        if let inputs, let state = BuildState.read(for: output), state.inputs == inputs,
            state.output == BuildState.output(output)
        {
            return Result(
                warnings: [], loadSeconds: 0, drills: state.drills, runs: state.runs, incidents: state.incidents,
                report: SiteBuildReport(
                    outputPath: output.path, pages: [], assets: [], extraFiles: [], carriedOver: [],
                    removedLeftovers: OutputFolder.removeLeftovers(of: output), timings: [], changedFiles: [],
                    outputReplaced: false),
                upToDate: true)
        }
        // A build that fails or is interrupted must not leave a state that vouches for its output.
        BuildState.forget(for: output)
        var loader = ContentLoader(contentDirectory: contentDirectory)
        loader.cache = recordCache
        let loaded = loader.load()
        let loadDuration = clock.now - start
        if loaded.hasErrors { throw .content(loaded.issues) }
        let warnings = loaded.issues.filter { !$0.isError }
        let schemas = RecordSchemas.files.map { (path: "schema/" + $0.name, contents: Data($0.json.utf8)) }
        do {
            let report = try await builder.build(loaded.history, extraFiles: schemas)
            if let inputs, warnings.isEmpty, let built = BuildState.output(output) {
                BuildState(
                    inputs: inputs, output: built, drills: loaded.history.drills.count, runs: loaded.history.runs.count,
                    incidents: loaded.history.incidents.count, pages: report.pages.count
                ).write(for: output)
            }
            let parts = loadDuration.components
            return Result(
                warnings: warnings, loadSeconds: Double(parts.seconds) + Double(parts.attoseconds) / 1e18,
                drills: loaded.history.drills.count, runs: loaded.history.runs.count,
                incidents: loaded.history.incidents.count, report: report)
        } catch {
            // The builder checks the output again; a refusal there (the folder changed meanwhile) is one still.
            if error.step == .checkOutput { throw .refused(error) }
            throw .build(error, warnings: warnings)
        }
    }
}
