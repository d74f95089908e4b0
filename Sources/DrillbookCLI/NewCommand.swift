public import ArgumentParser
import DrillbookModel
public import DrillbookRunner
import Foundation

/// `drillbook new incident|run|drill`: writes a new file from the playbook's templates.
public struct NewCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a new incident, run or drill file from the playbook's templates, with a fresh id.",
        usage: Usage.wrapped(["drillbook new <kind>", "[--output <dir>]", "[--drill <drill>]"]),
        discussion: """
            Never overwrites an existing file (exit code 2). A new incident takes the next id of \
            the year in the content's own scheme, INC-<YYYY>-<NNN> (INC-2026-079 after INC-2026-078 \
            in the folder). The file is full of placeholders such as [Root cause description]; \
            drillbook check rejects it, one located error per placeholder, until every one is \
            replaced.

            Examples:
              drillbook new incident --output content/incidents
              drillbook new run --drill redis-sentinel-failover --output content/runs/2026
              drillbook new drill --output content/drills
            """
    )

    @Argument(help: "What to create: incident, run or drill.")
    public var kind: PlaybookTemplates.Kind

    @Option(
        help: ArgumentHelp("Folder to write into (default: content/incidents, content/runs/<YYYY>, content/drills).", valueName: "dir"),
        completion: .directory)
    public var output: String?

    @Option(
        help: ArgumentHelp("For a run: the drill it records (its id).", valueName: "drill"),
        completion: .custom { _, _, _ in NewCommand.drillIds(in: "content") })
    public var drill: String = "drill-id"

    public init() {}

    public func run() async throws {
        let now = Timestamp(date: Date(), utcOffsetSeconds: TimeZone.current.secondsFromGMT())
        var file = PlaybookTemplates.newFile(kind, now: now, drillId: drill)
        let folder = URL(fileURLWithPath: output ?? file.defaultFolder)
        if kind == .incident {
            let templateId = String(file.name.prefix { $0 != "." })
            let id = Self.nextIncidentId(year: String(now.localDay.iso8601.prefix(4)), in: folder)
            file.text = file.text.replacingOccurrences(of: templateId, with: id)
            file.name = id + ".txt"
        }
        let url = folder.appendingPathComponent(file.name)
        if FileManager.default.fileExists(atPath: url.path) {
            printError("refused: \(url.path) already exists; nothing was written")
            throw ExitCodes.usage
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try RunRecordWriter.atomicWrite(Data(file.text.utf8), to: url)
        } catch {
            printError("could not write \(url.path): \(error)")
            throw ExitCodes.contentErrors
        }
        Diagnostics.printOut(url.path)
    }

    /// `INC-<year>-<NNN>`, one past the highest number of that year among the incident files of
    /// `folder` (`INC-2026-078.log` → `INC-2026-079`), `001` for the first of the year.
    static func nextIncidentId(year: String, in folder: URL) -> String {
        let prefix = "INC-" + year + "-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let highest = names.compactMap { name -> Int? in
            guard name.hasPrefix(prefix) else { return nil }
            let digits = name.dropFirst(prefix.count).prefix { $0.isNumber }
            return digits.isEmpty ? nil : Int(digits)
        }.max() ?? 0
        let number = String(highest + 1)
        return prefix + String(repeating: "0", count: max(0, 3 - number.count)) + number
    }

    /// The ids of the drills in `content/drills/` (completion for `--drill`).
    static func drillIds(in content: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: content + "/drills")) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .map { String($0.prefix { $0 != "." }) }.sorted()
    }
}

extension PlaybookTemplates.Kind: ExpressibleByArgument {}
