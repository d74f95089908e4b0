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
        // The load step's latency percentiles: a fixed-size histogram (microseconds, 3 significant
        // digits) rather than every sample kept and sorted, so a 10x burst costs no more memory than 1x.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // The executor's one-shot commands (steps, probes, actions): spawned in their own process group and
        // waited for on swift-subprocess's monitor thread, never by polling on a Swift concurrency thread.
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        // Already in the graph through swift-subprocess; named so the launcher may import
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
        // The executor's HTTP client (probes, HTTP actions, the load step): the system's libcurl (OpenSSL,
        // the system trust store), called from one file (DrillbookRunner/CurlLoop.swift). It replaced
        // async-http-client, whose 20 packages (swift-nio, swift-nio-ssl's BoringSSL, nio-http2, swift-crypto,
        // tracing, …) made 524 steps of a fresh release build; now 7 packages, 49 steps. Measured on this
        // machine (2 cores, load average ~19; docs/executor.md, "The HTTP client"): against a server sleeping
        // 50 ms, p50 61 ms and p95 92 ms where the server's own p95 was 77 ms (URLSession: 85 and 175 ms);
        // 40 sequential requests over 1 connection; a refused connect and a cancelled request end at once.
        // URLSession (FoundationNetworking, libcurl too, nothing to compile) cannot take a CA file on Linux
        // (swift-corelibs-foundation reads URLSessionCertificateAuthorityInfoFile only on Android) and keeps
        // whole bodies; SwiftNIO alone has no TLS (swift-nio-ssl is BoringSSL again). A fresh clone's
        // `make site` (release), both runs side by side with seven other engineers' builds: before, 1,051 s
        // of CPU (user+sys) and 93.7 min of wall; after, 418 s of CPU and 32.5 min of wall (load average 8-25).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
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
                "CCurl",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // `drillbook serve`: a small HTTP server on BSD sockets (no dependency: see LoopbackServer.swift),
        // the content watcher (inotify) and live reload, over the same SiteGenerator `build` runs.
        .target(
            name: "DrillbookServe",
            dependencies: ["DrillbookSite", "DrillbookContent", "DrillbookOutput", "DrillbookText"]
        ),
        .target(name: "DrillbookCorpus", dependencies: ["DrillbookModel", "DrillbookContent"]),
        // Records from other tools' output: a Chaos Toolkit journal.json as a drill run (`drillbook import`).
        .target(name: "DrillbookImport", dependencies: ["DrillbookModel", "DrillbookContent", "DrillbookText"]),
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
                "DrillbookServe", "DrillbookImport",
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
        .testTarget(name: "DrillbookImportTests", dependencies: ["DrillbookImport", "DrillbookContent", "DrillbookModel", "DrillbookSite"], resources: [.copy("Fixtures")]),
        .testTarget(name: "DrillbookRunnerTests", dependencies: ["DrillbookRunner", "DrillbookText", "DrillbookTestSupport"]),
        .testTarget(
            name: "DrillbookCorpusTests",
            dependencies: ["DrillbookCorpus", "DrillbookContent", "DrillbookSite", "DrillbookTestSupport", "DrillbookOutput", "DrillbookModel"]
        ),
        .testTarget(name: "DrillbookServeTests", dependencies: ["DrillbookServe", "DrillbookSite", "DrillbookContent", "DrillbookModel", "DrillbookTestSupport"]),
        .testTarget(
            name: "DrillbookCLITests",
            dependencies: [
                "DrillbookCLI", "DrillbookTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
    ]
)

/// Build time (docs/architecture.md, "Build time"): the targets whose work is waiting on processes, sockets
/// and the terminal (the executor, the command line, `serve`'s socket loop, `import`, the corpus
/// generator, `main`) are not optimised even in a release build; the page pipeline (site, templates,
/// markdown, content, model, analysis, charts, output, text) keeps `-O`, so `make site` over thousands
/// of runs is as fast as before. Measured on a fresh clone's release build (CPU of each module's
/// frontend job, user+sys): the runner 49.6 s at `-O`, the CLI 14.5 s, corpus 10.0 s, import 6.8 s,
/// serve 3.6 s of 390 s in all; see the docs for the figures after. `-Onone` placed after SwiftPM's `-O`
/// wins (the flag order is configuration, then these settings, then `-Xswiftc`).
let unoptimisedInRelease: Set<String> = [
    "DrillbookRunner", "DrillbookCLI", "DrillbookServe", "DrillbookImport", "DrillbookCorpus", "drillbook",
]

for target in package.targets where target.type != .system && target.type != .plugin {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
    if unoptimisedInRelease.contains(target.name) {
        target.swiftSettings! += [.unsafeFlags(["-Onone"], .when(configuration: .release))]
    }
}
