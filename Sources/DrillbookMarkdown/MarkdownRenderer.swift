import CCmark
import DrillbookText

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a Markdown text is not given to cmark: it would make cmark 0.30 run in more than linear
/// time (see `MarkdownRenderer.hazard(in:)`). The site shows such a text as escaped plain
/// paragraphs, and `drillbook check` reports it with this message.
public struct MarkdownHazard: Sendable, Hashable, CustomStringConvertible {
    /// Which of cmark's quadratic loops the text would run.
    public enum Kind: Sendable, Hashable {
        /// Many `![` image openers left open while links close (`![[]()` repeated).
        case imageBrackets
        /// Containers (`>` quotes, list items) nested deeper than the text's size allows.
        case deepNesting
    }

    /// Which loop.
    public var kind: Kind
    /// The 1-based line of the text where the work passed the budget.
    public var line: Int
    /// At that point: the `![` openers seen in the paragraph (`.imageBrackets`, a lower bound of
    /// the text's), or the nesting depth (`.deepNesting`).
    public var depth: Int

    /// A hazard as `MarkdownRenderer.hazard(in:)` reports it.
    public init(kind: Kind, line: Int, depth: Int) {
        self.kind = kind
        self.line = line
        self.depth = depth
    }

    /// What was found and what the site does with it, e.g. `this Markdown has at least 5561 image
    /// openers ("![") in one paragraph with brackets closing after them, which cmark 0.30 parses in
    /// quadratic time; the site shows it as plain text. …`
    public var description: String {
        let place = line > 1 ? " (line \(line) of the text)" : ""
        switch kind {
        case .imageBrackets:
            return "this Markdown has at least \(depth) image openers (\"![\") in one paragraph with brackets closing after them\(place), which cmark 0.30 parses in quadratic time; the site shows it as plain text. Give each \"![\" its \"](url)\", write \"\\![\" for a literal one, or split the text into paragraphs"
        case .deepNesting:
            return "this Markdown nests quotes or lists \(depth) deep\(place), which cmark 0.30 parses in quadratic time; the site shows it as plain text. Nest at most a few levels"
        }
    }
}

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

    // MARK: - Inputs cmark 0.30 cannot parse in linear time

    /// The same text as escaped plain paragraphs: split at blank lines, `&`, `<`, `>` and `"`
    /// escaped as cmark escapes text (`MarkupText.Rules.cmark`), every character XML 1.0 forbids
    /// replaced by U+FFFD, no Markdown interpreted. What `html(from:)` gives for a text with a
    /// `MarkdownHazard`.
    public static func plainHTML(from markdown: String) -> String {
        plainParagraphs(markdown).map { "<p>" + $0 + "</p>\n" }.joined()
    }

    /// The escaped text of each paragraph (runs of non-blank lines, joined by `\n`); with
    /// `escaping` false, the text only made markup-safe (for plain-text outputs).
    static func plainParagraphs(_ markdown: String, escaping: Bool = true) -> [String] {
        let escaped: (String) -> String =
            escaping ? { MarkupText.escape($0, rules: .cmark) } : { MarkupText.replacingForbiddenCharacters($0) }
        var paragraphs: [String] = []
        var current: [Substring] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if !current.isEmpty { paragraphs.append(escaped(current.joined(separator: "\n"))) }
                current = []
            } else {
                current.append(trimmed)
            }
        }
        if !current.isEmpty { paragraphs.append(escaped(current.joined(separator: "\n"))) }
        return paragraphs
    }

    /// Texts shorter than this can reach no hazard's budget (either bound is at most n² steps for
    /// n bytes, below the budget of 100,000 + 32n), so they are not scanned.
    static let shortestHazard = 320

    /// The first reason cmark 0.30 (the version Debian ships as libcmark-dev) would take more
    /// than linear time on `markdown`, or nil for every ordinary text.
    ///
    /// Why a pre-scan and not a timeout or a size limit: cmark cannot be interrupted, a size limit
    /// refuses long honest summaries and still lets a 480 KB attack take 17 s, and a second
    /// Markdown parser would be two implementations of one job. So the one Markdown wrapper
    /// measures, in one linear pass over the bytes, an upper bound of the work of exactly the
    /// two loops cmark 0.30.2 is known to run in quadratic time, and refuses to hand the text to
    /// cmark when that bound passes a budget linear in the text's size
    /// (`100,000 + 32 × bytes` steps, a few milliseconds). Both `drillbook check` (through the
    /// content loader, as a located warning) and the renderer (which then prints the text as
    /// escaped plain paragraphs) call this one function, so `check` names exactly the texts the
    /// build does not render as Markdown. The bounds over-count (they ignore code spans,
    /// escapes and HTML), never under-count, so a text that passes is linear in cmark:
    ///
    /// - **Image openers (`.imageBrackets`).** When cmark 0.30 closes a link (`]`), it walks
    ///   back through the whole stack of open brackets to deactivate earlier link openers,
    ///   stepping over every `![` image opener still open (`handle_close_bracket` in
    ///   inlines.c; CVE-2023-22486, fixed in cmark 0.30.3 by a `no_link_openers` flag). On
    ///   `![[]()` repeated, every repetition leaves one `![` open and closes one link, so the
    ///   walk is n²/2 steps: 16.8 s for 480 KB. The bound: at each `]`, add the number of `![`
    ///   seen so far in the paragraph (a blank line ends a paragraph and cmark's bracket stack).
    /// - **Deep block nesting (`.deepNesting`).** cmark 0.30 visits every open container for
    ///   each blank line inside nested lists (`check_open_blocks`) and walks up the whole tree for
    ///   each inline it inserts (`S_insert_emph`); both fixed in cmark 0.31.0
    ///   (GHSA-66g8-4hjf-77xh). The bound: the deepest nesting any line can open or continue
    ///   (its `>` and list markers, plus one level per two columns of indentation) times the
    ///   text's size.
    public static func hazard(in markdown: String) -> MarkdownHazard? {
        let size = markdown.utf8.count
        guard size >= shortestHazard else { return nil }
        let budget = 100_000 + 32 * size
        let depthLimit = budget / size

        var line = 1
        var imageOpeners = 0
        var bracketWork = 0
        // The line's container prefix: `>`, list markers and indentation before its text.
        var inPrefix = true
        var lineIsBlank = true
        var markers = 0
        var indent = 0
        var pendingMarker = false
        var afterDigits = false
        var afterQuote = false
        var previous: UInt8 = 0

        func endOfPrefix() -> MarkdownHazard? {
            inPrefix = false
            if markers + indent / 2 > depthLimit {
                return MarkdownHazard(kind: .deepNesting, line: line, depth: markers + indent / 2)
            }
            return nil
        }

        for byte in markdown.utf8 {
            if byte == UInt8(ascii: "\n") {
                if inPrefix {
                    if pendingMarker { markers += 1 }
                    if !lineIsBlank, let hazard = endOfPrefix() { return hazard }
                }
                if lineIsBlank { imageOpeners = 0 }
                line += 1
                inPrefix = true
                lineIsBlank = true
                markers = 0
                indent = 0
                pendingMarker = false
                afterDigits = false
                afterQuote = false
                previous = byte
                continue
            }
            if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") && byte != UInt8(ascii: "\r") { lineIsBlank = false }
            if inPrefix {
                let followsQuote = afterQuote
                afterQuote = false
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    // The space that ends a list marker or follows `>` belongs to it, not to the indentation.
                    if pendingMarker {
                        markers += 1
                    } else if !followsQuote {
                        indent += byte == UInt8(ascii: "\t") ? 4 : 1
                    }
                    pendingMarker = false
                    afterDigits = false
                case UInt8(ascii: ">"):
                    markers += 1
                    pendingMarker = false
                    afterDigits = false
                    afterQuote = true
                case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "*"):
                    if pendingMarker || afterDigits {
                        if let hazard = endOfPrefix() { return hazard }
                    } else {
                        pendingMarker = true
                    }
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if pendingMarker {
                        if let hazard = endOfPrefix() { return hazard }
                    } else {
                        afterDigits = true
                    }
                case UInt8(ascii: "."), UInt8(ascii: ")"):
                    if afterDigits {
                        afterDigits = false
                        pendingMarker = true
                    } else if let hazard = endOfPrefix() {
                        return hazard
                    }
                case UInt8(ascii: "\r"):
                    break
                default:
                    if let hazard = endOfPrefix() { return hazard }
                }
            }
            if byte == UInt8(ascii: "[") && previous == UInt8(ascii: "!") {
                imageOpeners += 1
            } else if byte == UInt8(ascii: "]") {
                bracketWork += imageOpeners
                if bracketWork > budget {
                    return MarkdownHazard(kind: .imageBrackets, line: line, depth: imageOpeners)
                }
            }
            previous = byte
        }
        if inPrefix && !lineIsBlank {
            if pendingMarker { markers += 1 }
            if let hazard = endOfPrefix() { return hazard }
        }
        return nil
    }

    // MARK: - Rendering

    /// cmark's document tree of `markdown` made markup-safe, for the caller to free with
    /// `cmark_node_free`; nil when cmark cannot allocate it.
    private func document(of markdown: String) -> OpaquePointer? {
        let utf8 = Array(MarkupText.replacingForbiddenCharacters(markdown).utf8)
        return utf8.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parse_document(chars.baseAddress, chars.count, cmarkOptions)
            }
        }
    }

    /// The HTML of a Markdown document: block elements (`<p>`, `<ul>`, `<pre>`, …), ending in a newline.
    /// Empty input gives an empty string. A text with a `MarkdownHazard` is not given to cmark: it
    /// becomes escaped plain paragraphs (`plainHTML(from:)`), so no text makes a build superlinear.
    public func html(from markdown: String) -> String {
        if Self.hazard(in: markdown) != nil { return Self.plainHTML(from: markdown) }
        let utf8 = Array(MarkupText.replacingForbiddenCharacters(markdown).utf8)
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
    /// without the trailing newline. A text with a `MarkdownHazard` becomes escaped plain text, as in
    /// `html(from:)`.
    public func inlineHTML(from markdown: String) -> String {
        if Self.hazard(in: markdown) != nil {
            let paragraphs = Self.plainParagraphs(markdown)
            if paragraphs.count == 1 { return paragraphs[0] }
            return paragraphs.map { "<p>" + $0 + "</p>" }.joined(separator: "\n")
        }
        guard let document = document(of: markdown) else { return "" }
        defer { cmark_node_free(document) }
        let first = cmark_node_first_child(document)
        let isOneParagraph = first != nil && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH
            && cmark_node_next(first) == nil
        guard let raw = cmark_render_html(document, cmarkOptions) else { return "" }
        defer { free(raw) }
        var text = String(cString: raw)
        if isOneParagraph, text.hasPrefix("<p>"), text.hasSuffix("</p>\n") {
            // Both ends are ASCII characters no other character is equivalent to, so they are
            // exactly these 3 and 5 bytes: cut by bytes, not by walking the characters.
            let utf8 = text.utf8
            text = String(Substring(utf8[utf8.index(utf8.startIndex, offsetBy: 3)..<utf8.index(utf8.endIndex, offsetBy: -5)]))
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
    /// plain-text renderer, so this walks the document with cmark's iterator. A text with a
    /// `MarkdownHazard` is not parsed: its paragraphs come back as written, one a line.
    public func plainText(from markdown: String) -> String {
        if Self.hazard(in: markdown) != nil {
            return Self.plainParagraphs(markdown, escaping: false).joined(separator: "\n")
        }
        guard let document = document(of: markdown) else { return "" }
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
