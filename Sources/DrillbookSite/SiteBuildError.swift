/// A step of the site build, in the order the builder runs them. Errors and timings name it.
public enum SiteBuildStep: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Refuse an output folder the build must not replace (`OutputGuard`): one that holds the
    /// content or the theme, the current or home folder, or files drillbook did not write.
    case checkOutput = "check output"
    /// Read every template of the theme and compile it once.
    case loadTheme = "load theme"
    /// Turn the history into flat page models (ids checked, action items resolved).
    case buildViewModels = "build view models"
    /// Create the temporary folder next to the output folder.
    case prepareOutput = "prepare output"
    /// Render each page through its template and write it.
    case renderPages = "render pages"
    /// Copy `assets/**` of the theme.
    case writeAssets = "write assets"
    /// Write files the caller passed in (`schema/*.json`, …).
    case writeExtraFiles = "write extra files"
    /// Replace the previous output with the new one.
    case swapOutput = "swap output"

    public var description: String { rawValue }
}

/// Why a site build failed: the step, the file or record concerned, and what to do about it.
///
/// A failed build leaves the previous output folder untouched and removes its temporary folder.
public struct SiteBuildError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The step that failed.
    public var step: SiteBuildStep
    /// The file (theme file, output path) or record id concerned, when there is one.
    public var path: String?
    /// What went wrong, in a sentence a user can act on.
    public var message: String

    /// An error of `step`, about `path` when there is one.
    public init(step: SiteBuildStep, path: String? = nil, message: String) {
        self.step = step
        self.path = path
        self.message = message
    }

    /// `site build failed in step "load theme" at templates/run.mustache: …`.
    public var description: String {
        var text = "site build failed in step \"\(step.rawValue)\""
        if let path { text += " at \(path)" }
        return text + ": " + message
    }
}

/// What a successful build wrote, and how long each step took.
public struct SiteBuildReport: Sendable, Hashable {
    /// The time one step took.
    public struct StepTiming: Sendable, Hashable {
        /// The step timed.
        public var step: SiteBuildStep
        /// Its wall-clock time in seconds (not part of the output, so not deterministic).
        public var seconds: Double
    }

    /// The output folder that now holds the site.
    public var outputPath: String
    /// HTML pages written, relative to the output folder, sorted.
    public var pages: [String]
    /// Theme assets copied, relative to the output folder, sorted.
    public var assets: [String]
    /// Extra files written, relative to the output folder, sorted.
    public var extraFiles: [String]
    /// Dot-files of the previous output carried over (`.gitkeep`, `.htaccess`), sorted.
    public var carriedOver: [String]
    /// Folders that interrupted builds left beside the output (`.site.building-…`,
    /// `.site.old-…`), removed before this build, sorted.
    public var removedLeftovers: [String] = []
    /// Each step's wall-clock time, in the order the steps ran.
    public var timings: [StepTiming]
    /// Files (pages, assets, extra files) that are new or whose bytes changed; the others keep
    /// their inode and modification time. Empty on a rebuild with no change.
    public var changedFiles: [String] = []
    /// False when nothing changed and the previous output was left in place untouched.
    public var outputReplaced = true

    /// Sum of all step timings, in seconds.
    public var totalSeconds: Double { timings.reduce(0) { $0 + $1.seconds } }
}
