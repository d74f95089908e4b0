import DrillbookModel
import DrillbookSite
import DrillbookTestSupport
import Foundation

/// A scratch folder per test, removed at the end, with helpers to read the built site.
struct SiteWorkspace: ~Copyable {
    let root: URL
    var output: URL { root.appendingPathComponent("site", isDirectory: true) }

    static let defaultTheme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes/default", isDirectory: true)

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-site-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func builder(theme: URL = SiteWorkspace.defaultTheme, output: URL? = nil, parallel: Bool = true) -> SiteBuilder {
        SiteBuilder(themeDirectory: theme, outputDirectory: output ?? self.output, asOf: HistoryFixture.asOf, parallel: parallel)
    }

    func text(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: output.appendingPathComponent(path)), as: UTF8.self)
    }

    /// Copies the default theme so a test can break it.
    func copyOfDefaultTheme() throws -> URL {
        let copy = root.appendingPathComponent("theme", isDirectory: true)
        try FileManager.default.copyItem(at: Self.defaultTheme, to: copy)
        return copy
    }
}

/// The text of every tag (`<a href="…">`, without the brackets) in an HTML text.
func tags(in html: String) -> [String] {
    var result: [String] = []
    var rest = Substring(html)
    while let open = rest.firstIndex(of: "<") {
        rest = rest[rest.index(after: open)...]
        guard let close = rest.firstIndex(of: ">") else { break }
        result.append(String(rest[..<close]))
        rest = rest[rest.index(after: close)...]
    }
    return result
}

/// One parsed start tag: its name and attributes (values as written, entities not decoded).
struct StartTag {
    var name: String
    var attributes: [(name: String, value: String)]
}

/// Start tags of an HTML text, parsed the way a browser would split attributes, so a test can tell
/// an attribute (`onerror=…`) from the same letters inside an escaped text or a quoted value.
func startTags(in html: String) -> [StartTag] {
    var result: [StartTag] = []
    let chars = Array(html.unicodeScalars)
    var i = 0
    func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\n" || c == "\t" || c == "\r" || c == "\u{0C}" }
    while i < chars.count {
        guard chars[i] == "<", i + 1 < chars.count, chars[i + 1].properties.isAlphabetic else { i += 1; continue }
        i += 1
        var name = ""
        while i < chars.count, !isSpace(chars[i]), chars[i] != ">", chars[i] != "/" { name.unicodeScalars.append(chars[i]); i += 1 }
        var attributes: [(name: String, value: String)] = []
        while i < chars.count, chars[i] != ">" {
            if isSpace(chars[i]) || chars[i] == "/" { i += 1; continue }
            var attribute = ""
            while i < chars.count, !isSpace(chars[i]), chars[i] != "=", chars[i] != ">" { attribute.unicodeScalars.append(chars[i]); i += 1 }
            var value = ""
            if i < chars.count, chars[i] == "=" {
                i += 1
                if i < chars.count, chars[i] == "\"" || chars[i] == "'" {
                    let quote = chars[i]
                    i += 1
                    while i < chars.count, chars[i] != quote { value.unicodeScalars.append(chars[i]); i += 1 }
                    i += 1
                } else {
                    while i < chars.count, !isSpace(chars[i]), chars[i] != ">" { value.unicodeScalars.append(chars[i]); i += 1 }
                }
            }
            attributes.append((attribute.lowercased(), value))
        }
        result.append(StartTag(name: name.lowercased(), attributes: attributes))
        i += 1
    }
    return result
}
