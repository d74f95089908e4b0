// swift-tools-version:6.1
import PackageDescription

/// Strict settings for every target, applied in one loop (as swift-log and Hummingbird do).
let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "drillbook",
    // Built and tested on Linux only (Debian 12, Swift 6.3; CI in `.ci/run`). No `platforms:` entry:
    // SwiftPM has none for Linux, and macOS is not tested. Linux-only still: the process-group
    // watchdog (SOCK_CLOEXEC), `ProcessTable` (reads /proc); `renameat2` has a portable fallback.
    products: [
        .executable(name: "drillbook", targets: ["drillbook"]),
        .library(name: "DrillbookCLI", targets: ["DrillbookCLI"]),
        // The benchmark's floor: cmark + Mustache over the bench's Markdown bodies, one thread, in memory.
        .executable(name: "drillbook-rawloop", targets: ["RawLoop"]),
    ],
    dependencies: [
        // Command-line parsing, the ecosystem's standard.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Drill definitions are YAML; Yams keeps node marks so errors carry line numbers.
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Tests only: the oracle drillbook's own Mustache renderer (DrillbookTemplates) must match byte for
        // byte, on the default theme's pages and on a corpus of every construct it supports.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The executor's HTTP probes, HTTP fault actions and load step: one pooled keep-alive client per
        // run (SwiftNIO underneath) instead of a hand-written HTTP/1.1 parser and a connection per request.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // The load step's latency percentiles: a fixed-size histogram (microseconds, 3 significant
        // digits) rather than every sample kept and sorted, so a 10x burst costs no more memory than 1x.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // Already in the graph through async-http-client; named so the runner may import NIOCore (deadlines,
        // byte buffers), NIOHTTP1 (methods, headers) and NIOPosix (the event loop the runner owns and stops).
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        // The executor's one-shot commands (steps, probes, actions): spawned in their own process group and
        // waited for on swift-subprocess's monitor thread, never by polling on a Swift concurrency thread.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        // Already in the graph through swift-subprocess and SwiftNIO; named so the launcher may import
        // SystemPackage (the FilePath and FileDescriptor of a command's output file).
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        // The one escaper per output language (XML/HTML, JSON, CSV, terminal); knows nothing of drills.
        .target(name: "DrillbookText"),
        .target(name: "DrillbookModel"),
        .target(
            name: "DrillbookContent",
            // DrillbookMarkdown: `check` runs the renderer's own pre-scan for texts cmark would parse in quadratic time.
            dependencies: ["DrillbookModel", "DrillbookText", "DrillbookMarkdown", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "DrillbookAnalysis", dependencies: ["DrillbookModel"]),
        // DrillbookModel: days are `CalendarDay`, figures `MetricFormat`, as on the pages around the charts.
        .target(name: "DrillbookCharts", dependencies: ["DrillbookModel", "DrillbookText"]),
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        .target(name: "DrillbookMarkdown", dependencies: ["CCmark", "DrillbookText"]),
        // The one Mustache renderer of user-editable themes; knows nothing of drills. DrillbookText:
        // the package's one markup escaper (`MarkupText.escapeUTF8`).
        .target(name: "DrillbookTemplates", dependencies: ["DrillbookText"]),
        // The output folder and nothing else: the guard, the staging folder and its swap, the build state.
        // Knows nothing of pages; DrillbookContent: `RealPath`, the one containment test of canonical paths.
        .target(name: "DrillbookOutput", dependencies: ["DrillbookModel", "DrillbookContent"]),
        .target(
            name: "DrillbookSite",
            dependencies: [
                "DrillbookModel", "DrillbookContent", "DrillbookAnalysis", "DrillbookCharts",
                "DrillbookMarkdown", "DrillbookTemplates", "DrillbookText", "DrillbookOutput",
            ]
        ),
        .target(
            name: "DrillbookRunner",
            dependencies: [
                // One-shot commands run through swift-subprocess; background servers keep a small posix_spawn
                // launcher (ProcessLauncher.swift): they outlive any closure scope, and kill/signal actions
                // need their pids.
                "DrillbookModel", "DrillbookContent", "DrillbookText",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // `drillbook serve`: a small HTTP server on BSD sockets (no dependency: see LoopbackServer.swift),
        // the content watcher (inotify) and live reload, over the same SiteGenerator `build` runs.
        .target(
            name: "DrillbookServe",
            dependencies: ["DrillbookSite", "DrillbookContent", "DrillbookOutput", "DrillbookText"]
        ),
        .target(name: "DrillbookCorpus", dependencies: ["DrillbookModel", "DrillbookContent"]),
        // What the binary carries so it works from any folder: the default theme, the playbook's drills and
        // schedule, the `drillbook init` starter. Generated at build time (never committed) by the plugin
        // from themes/default, content/drills, content/schedule.yaml and starter/.
        // The plugin runs Plugins/EmbedFilesPlugin/embed-files.sh (POSIX sh and coreutils).
        .target(name: "DrillbookEmbedded", plugins: ["EmbedFilesPlugin"]),
        .plugin(name: "EmbedFilesPlugin", capability: .buildTool()),
        .target(
            name: "DrillbookCLI",
            dependencies: [
                "DrillbookModel", "DrillbookContent", "DrillbookSite", "DrillbookCorpus", "DrillbookEmbedded",
                "DrillbookServe",
                "DrillbookRunner", "DrillbookText", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "drillbook",
            dependencies: ["DrillbookCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .executableTarget(
            name: "RawLoop",
            dependencies: ["DrillbookMarkdown", "DrillbookTemplates"],
            path: "Benchmarks/RawLoop"
        ),

        // What the test targets share: golden files, file listings, XML and link checks. Depends on nothing of ours.
        .target(name: "DrillbookTestSupport", path: "Tests/DrillbookTestSupport"),
        .testTarget(name: "DrillbookTextTests", dependencies: ["DrillbookText", "DrillbookTestSupport"]),
        .testTarget(name: "DrillbookModelTests", dependencies: ["DrillbookModel"]),
        .testTarget(name: "DrillbookContentTests", dependencies: ["DrillbookContent"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DrillbookAnalysisTests", dependencies: ["DrillbookAnalysis"]),
        .testTarget(name: "DrillbookChartsTests", dependencies: ["DrillbookCharts", "DrillbookModel", "DrillbookText", "DrillbookTestSupport"], resources: [.copy("Snapshots")]),
        .testTarget(name: "DrillbookMarkdownTests", dependencies: ["DrillbookMarkdown"]),
        // swift-mustache: the oracle the compiled templates are compared with (see the package's dependencies).
        .testTarget(
            name: "DrillbookTemplatesTests",
            dependencies: ["DrillbookTemplates", .product(name: "Mustache", package: "swift-mustache")]
        ),
        .testTarget(
            name: "DrillbookSiteTests",
            dependencies: [
                "DrillbookSite", "DrillbookOutput", "DrillbookTemplates", "DrillbookText", "DrillbookTestSupport",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Snapshots")]
        ),
        .testTarget(name: "DrillbookOutputTests", dependencies: ["DrillbookOutput"]),
        .testTarget(name: "DrillbookRunnerTests", dependencies: ["DrillbookRunner", "DrillbookText", "DrillbookTestSupport"]),
        .testTarget(
            name: "DrillbookCorpusTests",
            dependencies: ["DrillbookCorpus", "DrillbookContent", "DrillbookSite", "DrillbookTestSupport", "DrillbookOutput", "DrillbookModel"]
        ),
        .testTarget(name: "DrillbookServeTests", dependencies: ["DrillbookServe", "DrillbookSite", "DrillbookContent", "DrillbookModel"]),
        .testTarget(
            name: "DrillbookCLITests",
            dependencies: [
                "DrillbookCLI", "DrillbookTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
    ]
)

for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}
