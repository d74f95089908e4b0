public import Foundation

/// The links of a built site checked against its files: what was checked and what is wrong.
public struct SiteLinkReport: Sendable {
    /// Links that name a file of the site (fragment-only links not counted).
    public var checked = 0
    /// One line per bad link: `page: link` and what is wrong with it.
    public var problems: [String] = []

    /// Checks every `href` and `src` of every `.html` page under `site`: external links
    /// (`scheme://`, `mailto:`) are skipped; every other link must be relative and non-empty, resolve
    /// (percent- and `&amp;`-decoded) to a file inside the site, and a `#fragment` on the same page must
    /// name an element's `id`.
    public init(site: URL) throws {
        let root = site.standardizedFileURL.path + "/"
        for page in try files(in: site) where page.path.hasSuffix(".html") {
            let html = String(decoding: page.data, as: UTF8.self)
            let folder = site.appendingPathComponent(page.path).deletingLastPathComponent()
            for written in attributeValues("href", in: html) + attributeValues("src", in: html) {
                let link = written.replacingOccurrences(of: "&amp;", with: "&")
                if link.contains("://") || link.hasPrefix("mailto:") { continue }
                if link.isEmpty || link.hasPrefix("/") {
                    problems.append("\(page.path): \"\(link)\" is not a relative link")
                    continue
                }
                let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let target = String(parts[0])
                if target.isEmpty {
                    let fragment = parts.count > 1 ? String(parts[1]) : ""
                    if !html.contains("id=\"\(fragment)\"") { problems.append("\(page.path): no element with id \(fragment)") }
                    continue
                }
                let resolved = folder.appendingPathComponent(target.removingPercentEncoding ?? target).standardizedFileURL
                if !resolved.path.hasPrefix(root) {
                    problems.append("\(page.path): \(link) leaves the site")
                } else if !FileManager.default.fileExists(atPath: resolved.path) {
                    problems.append("\(page.path): \(link) does not resolve")
                }
                checked += 1
            }
        }
    }
}

/// Attribute values of `name` (`href`, `src`) in an HTML text, as written (entities not decoded).
public func attributeValues(_ name: String, in html: String) -> [String] {
    var values: [String] = []
    var rest = Substring(html)
    let marker = " " + name + "=\""
    while let start = rest.range(of: marker) {
        rest = rest[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { break }
        values.append(String(rest[..<end]))
        rest = rest[end...]
    }
    return values
}
