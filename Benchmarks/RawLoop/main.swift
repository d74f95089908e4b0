// drillbook-rawloop: the floor the issue measures drillbook's site build against.
//
//     drillbook-rawloop FOLDER
//
// Reads every `.md` file under FOLDER (the Hugo site's `content/` that bench/run.sh writes: YAML
// front matter with a `title:` line, then a Markdown body), then, in one thread and in memory,
// renders each body through cmark (MarkdownRenderer) and a minimal Mustache layout (the same one
// the bench gives Hugo, compiled by drillbook's one template renderer, DrillbookTemplates) and sums
// the bytes of the pages. Only that loop is timed. Prints
// `seconds pages bytes` on one line; the bytes are printed so the work cannot be optimised away.
// Nothing is written to disk.

import DrillbookMarkdown
import Foundation
import DrillbookTemplates

/// One page as Hugo would get it: a title from the front matter and the Markdown below it.
struct SourcePage {
    var title: String
    var body: String

    /// Splits `---\ntitle: "…"\n…\n---\n` front matter from the body; a file without front matter
    /// is all body, titled by its name.
    init(text: String, name: String) {
        title = name
        body = text
        guard text.hasPrefix("---\n") else { return }
        let rest = text.dropFirst(4)
        guard let end = rest.range(of: "\n---\n") else { return }
        for line in rest[..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: true)
        where line.hasPrefix("title:") {
            var value = line.dropFirst("title:".count).drop(while: { $0 == " " })
            if value.count >= 2, value.first == "\"", value.last == "\"" {
                value = value.dropFirst().dropLast()
            }
            title = String(value)
        }
        body = String(rest[end.upperBound...])
    }
}

/// The layout bench/run.sh gives Hugo's single pages, in Mustache.
let layout = "<!doctype html><html><head><title>{{ title }}</title></head><body><h1>{{ title }}</h1>{{{ content }}}</body></html>\n"

/// At most this many files are read, so a wrong folder cannot run away.
let fileLimit = 5_000_000

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("drillbook-rawloop: " + message + "\n").utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else { fail("usage: drillbook-rawloop FOLDER (a folder of .md files)") }
let folder = URL(fileURLWithPath: arguments[1], isDirectory: true)

// Read every page first (not timed), in a stable order.
guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else {
    fail("cannot read the folder " + folder.path)
}
var paths: [String] = []
while let path = enumerator.nextObject() as? String, paths.count < fileLimit {
    if path.hasSuffix(".md") { paths.append(path) }
}
paths.sort()
var pages: [SourcePage] = []
pages.reserveCapacity(paths.count)
for path in paths {
    let url = folder.appendingPathComponent(path)
    guard let data = FileManager.default.contents(atPath: url.path) else { fail("cannot read " + url.path) }
    let name = url.deletingPathExtension().lastPathComponent
    pages.append(SourcePage(text: String(decoding: data, as: UTF8.self), name: name))
}
guard !pages.isEmpty else { fail("no .md files under " + folder.path) }

let templates: CompiledTemplates
do {
    templates = try CompiledTemplates(sources: ["layout": layout])
} catch {
    fail("the layout does not compile: \(error)")
}
let renderer = MarkdownRenderer()

// The loop: cmark, then Mustache, one page after the other, in one thread.
var bytes = 0
let elapsed = ContinuousClock().measure {
    for page in pages {
        let content = renderer.html(from: page.body)
        var html = RenderBuffer()
        _ = templates.render(.fields(["title": .string(page.title), "content": .string(content)]), withTemplate: "layout", into: &html)
        bytes += html.count
    }
}
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print(String(format: "%.4f", seconds), pages.count, bytes)
