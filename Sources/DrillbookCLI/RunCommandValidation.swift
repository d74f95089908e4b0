import ArgumentParser
import DrillbookContent
import DrillbookModel
import DrillbookRunner
import Foundation

extension RunCommand {
    /// A drill file that does not exist exits 4 before anything else (3 is kept for a definition
    /// that exists but is invalid). Kept apart from `RunCommand.swift`, whose logic another branch owns.
    public func validate() throws {
        _ = try DrillArgument.existingURL(for: drill)
    }

    /// An environment file as read for a run: the environment, and the file's name and text (its
    /// problems are located in it).
    struct TargetEnvironment {
        var environment: RunEnvironment
        var file: String
        var text: String
    }

    /// The environment file this run targets: `--environment-file`, else the file of
    /// `--environment NAME` (`EnvironmentFile.find`), else none (a local realisation). Exits 2
    /// when a named environment has no file or the two options disagree, 3 when the file is
    /// invalid (every problem printed, located).
    func targetEnvironment(drillFile: URL) throws -> TargetEnvironment? {
        let name = environment?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let url: URL
        if let environmentFile {
            url = URL(fileURLWithPath: environmentFile)
        } else {
            guard !name.isEmpty, name.lowercased() != "local" else { return nil }
            guard let found = EnvironmentFile.find(name, drillFile: drillFile) else {
                var places: [String] = []
                let folder = drillFile.deletingLastPathComponent()
                if folder.lastPathComponent == "drills" {
                    places.append(folder.deletingLastPathComponent().appendingPathComponent("environments/\(name).yaml").relativePath)
                }
                places.append("content/environments/\(name).yaml")
                printError("refused: no environment file for \(name): looked for \(places.joined(separator: " and ")); write one (docs/executor.md, Environments), pass --environment-file FILE, or run the local realisation (--environment local)")
                throw ExitCode(2)
            }
            url = found
        }
        let display = url.relativePath
        guard let data = FileManager.default.contents(atPath: url.path) else {
            printError("refused: cannot read the environment file \(display)")
            throw ExitCode(2)
        }
        let text = String(decoding: data, as: UTF8.self)
        let (read, issues) = EnvironmentFile.read(url, display: display)
        for issue in issues { printError(issue.description) }
        guard let read, !issues.contains(where: \.isError) else { throw ExitCode(3) }
        let fileName = read.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if !name.isEmpty, name != fileName {
            printError("refused: --environment \(name) and \(display) (the environment \(fileName)) disagree; give one of them")
            throw ExitCode(2)
        }
        return TargetEnvironment(environment: read, file: display, text: text)
    }

    /// The drill as it runs: in the environment (`EnvironmentRealisation.apply`) or as written,
    /// once every target is checked against the run's blast radius before anything starts.
    /// Exits 2 with one located line per target outside it.
    func realised(_ definition: DrillDefinition, in target: TargetEnvironment?, drillFile: URL) throws -> DrillDefinition {
        var drill = definition
        if let target {
            switch EnvironmentRealisation.apply(target.environment, to: definition) {
            case .success(let adjusted): drill = adjusted
            case .failure(let refusal):
                printError("refused: " + refusal.message)
                throw ExitCode(2)
            }
        }
        let text = FileManager.default.contents(atPath: drillFile.path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let radius = RunTarget(definition, environment: environment, file: target?.environment).blastRadius
        let outside = DrillPreflight.blastRadius(
            definition, drillFile: drillFile.relativePath, drillText: text, environment: target?.environment,
            environmentFile: target?.file, environmentText: target?.text, radius: radius)
        if !outside.isEmpty {
            for issue in outside { printError("refused: " + issue.description) }
            throw ExitCode(2)
        }
        return drill
    }
}
