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

// MARK: - Plain text

extension MarkdownRenderer {
    /// The text of a Markdown document without its formatting, for outputs that take plain text
    /// (Atom feed summaries): text, code spans and code blocks as written; links and images give
    /// their text (the URL is dropped); raw HTML is left out, as safe mode leaves it out of HTML;
    /// soft and hard line breaks become one space; each block (paragraph, heading, list item, code
    /// block) starts a new line. Leading and trailing white space is trimmed. cmark 0.30 has no
    /// plain-text renderer, so this walks the document with cmark's iterator.
    public func plainText(from markdown: String) -> String {
        let utf8 = Array(markdown.utf8)
        guard let document = utf8.withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parse_document(chars.baseAddress, chars.count, cmarkOptions)
            }
        }) else { return "" }
        defer { cmark_node_free(document) }
        guard let iterator = cmark_iter_new(document) else { return "" }
        defer { cmark_iter_free(iterator) }
        var text = ""
        var blockEnded = false
        func add(_ piece: String) {
            guard !piece.isEmpty else { return }
            if blockEnded && !text.isEmpty { text += "\n" }
            blockEnded = false
            text += piece
        }
        func literal(_ node: OpaquePointer?) -> String {
            cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
        }
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            let node = cmark_iter_get_node(iterator)
            switch cmark_node_get_type(node) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                add(literal(node))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                add(" ")
            case CMARK_NODE_CODE_BLOCK:
                blockEnded = true
                var code = literal(node)
                while code.hasSuffix("\n") { code.removeLast() }
                add(code)
                blockEnded = true
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_ITEM, CMARK_NODE_THEMATIC_BREAK:
                blockEnded = true
            default:
                break
            }
        }
        return text.trimmingWhiteSpace
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line breaks.
    fileprivate var trimmingWhiteSpace: String {
        let scalars = unicodeScalars
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
