import DrillbookContent
import DrillbookTemplates
import Foundation

/// A theme folder, read and compiled once per build: `templates/*.mustache` and `assets/**`.
///
/// A user copies `themes/default`, edits it and passes it with `--theme`. Every page template
/// named in `Theme.pageTemplates` must exist; templates share the layout through Mustache's
/// template inheritance (`{{<layout}}…{{/layout}}`) and partials (`{{>name}}`). Every template
/// compiles for drillbook's one renderer (`CompiledTemplates`); one that uses Mustache it does
/// not support (set delimiters, pragmas, transforms, dynamic partials, …) stops the
/// theme loading with its file and line, before any page is rendered.
struct Theme: Sendable {
    /// The templates the builder renders pages with, plus the layout they all extend.
    static let pageTemplates = [
        "action-item", "actions", "drill", "drill-runs", "drills", "feed", "home", "incident", "incidents", "layout",
        "lessons", "not-found", "review", "reviews", "run", "runs", "schedule", "search", "sitemap",
    ]

    /// Every template of the theme, compiled.
    let templates: CompiledTemplates
    /// Files under `assets/`, relative to it (`style.css`), sorted, with their location.
    let assets: [(path: String, url: URL)]
    /// The digest of every template's name and text (`ContentDigest`), for the build cache's page fingerprints.
    var digest: UInt64 = 0

    static func load(from directory: URL) throws(SiteBuildError) -> Theme {
        let fileManager = FileManager.default
        let templatesFolder = directory.appendingPathComponent("templates", isDirectory: true)
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: templatesFolder.path)
                .filter { $0.hasSuffix(".mustache") }.sorted()
        } catch {
            throw SiteBuildError(
                step: .loadTheme, path: templatesFolder.path,
                message: "cannot read the theme's templates folder (\(error.localizedDescription)); pass a theme folder that holds templates/*.mustache")
        }
        var parsed: [String: CompiledTemplate] = [:]
        var digest = ContentDigest()  // of the templates as parsed: the build cache's page fingerprints
        for file in names {
            let name = String(file.dropLast(".mustache".count))
            let path = "templates/" + file
            let text: String
            do {
                text = try String(contentsOf: templatesFolder.appendingPathComponent(file), encoding: .utf8)
            } catch {
                throw SiteBuildError(step: .loadTheme, path: path, message: "cannot read the template as UTF-8 text")
            }
            digest.add(file)
            digest.add(text)
            do throws(TemplateError) {
                parsed[name] = try CompiledTemplate(text, name: name)
            } catch {
                throw unsupported(error, in: directory)
            }
        }
        for required in pageTemplates where parsed[required] == nil {
            throw SiteBuildError(
                step: .loadTheme, path: "templates/" + required + ".mustache",
                message: "the theme has no \"\(required)\" template; copy it from themes/default")
        }
        // A theme with a typo in a partial's name fails here, with the file that names it.
        for name in parsed.keys.sorted() {
            for reference in parsed[name]!.references where parsed[reference] == nil {
                throw SiteBuildError(
                    step: .loadTheme, path: "templates/" + name + ".mustache",
                    message: "refers to the partial \"\(reference)\", but templates/\(reference).mustache does not exist")
            }
        }
        let templates: CompiledTemplates
        do throws(TemplateError) {
            templates = try CompiledTemplates(templates: parsed)
        } catch {
            throw unsupported(error, in: directory)
        }
        return Theme(
            templates: templates, assets: try assets(in: directory.appendingPathComponent("assets", isDirectory: true)),
            digest: digest.value)
    }

    /// `error` as a load-theme failure located at `themes/x/templates/name.mustache:LINE`.
    static func unsupported(_ error: TemplateError, in directory: URL) -> SiteBuildError {
        var folder = directory.relativePath
        while folder.count > 1, folder.hasSuffix("/") { folder.removeLast() }
        return SiteBuildError(
            step: .loadTheme, path: folder + "/templates/" + error.template + ".mustache:\(error.line)", message: error.message)
    }

    /// A template's name that no field of the page's model can supply, as a render failure located
    /// at `templates/run.mustache:LINE` (found when the first page of that model type renders).
    static func misnamed(_ error: TemplateNameError) -> SiteBuildError {
        SiteBuildError(step: .renderPages, path: "templates/" + error.template + ".mustache:\(error.line)", message: error.problem)
    }

    private static func assets(in folder: URL) throws(SiteBuildError) -> [(path: String, url: URL)] {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return []
        }
        let base = folder.standardizedFileURL.resolvingSymlinksInPath().path
        guard let enumerator = fileManager.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else {
            throw SiteBuildError(step: .loadTheme, path: folder.path, message: "cannot list the theme's assets folder")
        }
        var found: [(path: String, url: URL)] = []
        for case let url as URL in enumerator {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let full = url.standardizedFileURL.resolvingSymlinksInPath().path
            guard full.hasPrefix(base + "/") else { continue }
            found.append((String(full.dropFirst(base.count + 1)), url))
        }
        return found.sorted { $0.path < $1.path }
    }
}
