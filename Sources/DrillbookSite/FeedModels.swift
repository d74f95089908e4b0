// Flat view models of the Atom feed (`feed.xml`) and the sitemap (`sitemap.xml`): the same rules as
// PageModels.swift, for XML templates.

struct FeedEntry: Sendable, Encodable {
    var id: String
    var title: String
    var updated: String
    var published: String
    var href: String
    var summary: String
    var category: String
}

struct FeedPage: Sendable, Encodable {
    var title: String
    var id: String
    /// `<author><name>`: the organisation (`site.yaml`), else `drillbook`.
    var author: String
    var updated: String
    /// The `xml:base` when the site was built with `--base-url`.
    var baseURL: String?
    var entries: [FeedEntry]
}

struct SitemapPage: Sendable, Encodable {
    var urls: [SitemapURL]
}

struct SitemapURL: Sendable, Encodable {
    var loc: String
}
