import CCmark

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns the Markdown of records (summaries, observations, lessons, incident text) into HTML with
/// cmark, the CommonMark reference implementation.
///
/// This is the only Swift file that calls cmark. Every C string it gets back is freed with
/// `defer { free(...) }` on every path, and only Swift `String`s leave this file.
///
/// By default the renderer runs in cmark's safe mode: raw HTML blocks and inline HTML are replaced
/// by `<!-- raw HTML omitted -->`, and link or image URLs with the `javascript:`, `vbscript:`,
/// `file:` or `data:` schemes (any letter case) become empty. Text is HTML-escaped, including
/// quotes inside attributes. The output is therefore safe to print unescaped (`{{{…}}}`) in a page.
public struct MarkdownRenderer: Sendable {
    /// cmark options.
    public struct Options: OptionSet, Sendable, Hashable {
        public let rawValue: Int32

        public init(rawValue: Int32) { self.rawValue = rawValue }

        /// cmark's default: raw HTML omitted, dangerous URLs dropped. What the site uses.
        public static let safe: Options = []
        /// Passes raw HTML and every URL through. Never use it for content you did not write.
        public static let unsafe = Options(rawValue: CMARK_OPT_UNSAFE)
        /// Soft line breaks become `<br />`.
        public static let hardBreaks = Options(rawValue: CMARK_OPT_HARDBREAKS)
        /// Straight quotes become curly ones, `--` an en dash.
        public static let smart = Options(rawValue: CMARK_OPT_SMART)
    }

    /// The options every call uses.
    public let options: Options

    /// A renderer with the given options; safe mode unless `.unsafe` is included.
    public init(options: Options = .safe) {
        self.options = options
    }

    private var cmarkOptions: Int32 { options.rawValue | CMARK_OPT_VALIDATE_UTF8 }

    /// The HTML of a Markdown document: block elements (`<p>`, `<ul>`, `<pre>`, …), ending in a newline.
    /// Empty input gives an empty string.
    public func html(from markdown: String) -> String {
        let utf8 = Array(markdown.utf8)
        guard let raw = utf8.withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_markdown_to_html(chars.baseAddress, chars.count, cmarkOptions)
            }
        }) else { return "" }
        defer { free(raw) }
        return String(cString: raw)
    }

    /// The HTML of a one-line text such as a title or a table cell: when the Markdown is a single
    /// paragraph, its content without the wrapping `<p>`; otherwise the same as `html(from:)`
    /// without the trailing newline.
    public func inlineHTML(from markdown: String) -> String {
        let utf8 = Array(markdown.utf8)
        guard let document = utf8.withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parse_document(chars.baseAddress, chars.count, cmarkOptions)
            }
        }) else { return "" }
        defer { cmark_node_free(document) }
        let first = cmark_node_first_child(document)
        let isOneParagraph = first != nil && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH
            && cmark_node_next(first) == nil
        guard let raw = cmark_render_html(document, cmarkOptions) else { return "" }
        defer { free(raw) }
        var text = String(cString: raw)
        if isOneParagraph, text.hasPrefix("<p>"), text.hasSuffix("</p>\n") {
            text = String(text.dropFirst(3).dropLast(5))
        } else if text.hasSuffix("\n") {
            text.removeLast()
        }
        return text
    }
}
