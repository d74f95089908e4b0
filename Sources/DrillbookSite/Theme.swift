import DrillbookModel
import Foundation
import Mustache

/// A theme folder, read and compiled once per build: `templates/*.mustache` and `assets/**`.
///
/// A user copies `themes/default`, edits it and passes it with `--theme`. Every page template
/// named in `Theme.pageTemplates` must exist; templates share the layout through
/// swift-mustache's template inheritance (`{{<layout}}…{{/layout}}`) and partials (`{{>name}}`).
struct Theme: Sendable {
    /// The templates the builder renders pages with, plus the layout they all extend.
    static let pageTemplates = [
        "action-item", "actions", "drill", "drill-runs", "drills", "feed", "home", "incident", "incidents", "layout",
        "lessons", "review", "reviews", "run", "schedule", "sitemap",
    ]

    let library: MustacheLibrary
    /// The templates `CompiledTemplate` covers (all of the default theme).
    let compiled: CompiledTemplates
    /// Files under `assets/`, relative to it (`style.css`), sorted, with their location.
    let assets: [(path: String, url: URL)]

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
        var library = MustacheLibrary()
        var sources: [String: String] = [:]
        for file in names {
            let name = String(file.dropLast(".mustache".count))
            let path = "templates/" + file
            let text: String
            do {
                text = try String(contentsOf: templatesFolder.appendingPathComponent(file), encoding: .utf8)
            } catch {
                throw SiteBuildError(step: .loadTheme, path: path, message: "cannot read the template as UTF-8 text")
            }
            do {
                library.register(try MustacheTemplate(string: text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw SiteBuildError(
                    step: .loadTheme, path: path,
                    message: "line \(error.context.lineNumber), column \(error.context.columnNumber): "
                        + "template does not parse (\(error.error)) near \"\(error.context.line.trimmingSpaces)\"")
            } catch {
                throw SiteBuildError(step: .loadTheme, path: path, message: "template does not parse (\(error))")
            }
            sources[name] = text
        }
        for required in pageTemplates where sources[required] == nil {
            throw SiteBuildError(
                step: .loadTheme, path: "templates/" + required + ".mustache",
                message: "the theme has no \"\(required)\" template; copy it from themes/default")
        }
        // swift-mustache renders a missing partial as nothing; a theme with a typo should fail instead.
        for name in sources.keys.sorted() {
            for reference in partialReferences(in: sources[name]!) where sources[reference] == nil {
                throw SiteBuildError(
                    step: .loadTheme, path: "templates/" + name + ".mustache",
                    message: "refers to the partial \"\(reference)\", but templates/\(reference).mustache does not exist")
            }
        }
        return Theme(library: library, compiled: CompiledTemplates(sources: sources), assets: try assets(in: directory.appendingPathComponent("assets", isDirectory: true)))
    }

    /// Names used as `{{>name}}` or `{{<name}}` (dynamic `{{>*name}}` partials are skipped).
    /// A page rendered by swift-mustache alone (the reference `CompiledTemplate` must match).
    func referenceRender(_ model: Any, withTemplate template: String) -> String? {
        library.render(ReflectedModel.box(model) as Any, withTemplate: template)
    }

    static func partialReferences(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            let tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if let first = tag.first, first == ">" || first == "<" {
                let name = tag.dropFirst().trimmingCharacters(in: .whitespaces)
                if !name.isEmpty, !name.hasPrefix("*") { names.append(name) }
            }
            rest = rest[close.upperBound...]
        }
        return names
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
