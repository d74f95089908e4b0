/// Text for XML and HTML: the package's one markup escaper. Markup characters become entities and
/// every character XML 1.0 forbids becomes U+FFFD, so pages, feeds, SVG charts and JUnit reports stay
/// well-formed whatever a record holds. Text that needs neither comes back unchanged.
///
/// One byte-level loop (`escapeUTF8(_:rules:copy:insert:)`) does the work for every caller: the
/// templates run it over a page's buffer, `escape(_:rules:)` over a string. What differs between
/// outputs is only which characters are escaped, a `Rules` value.
public enum MarkupText {
    /// Which characters become references, as a mask over the byte values below 64 (every byte
    /// that can be one of them: the markup characters and the C0 controls are ASCII). The
    /// characters XML forbids are in every rule set.
    public struct Rules: Sendable, Hashable {
        @usableFromInline let mask: UInt64

        @inlinable init(mask: UInt64) { self.mask = mask }

        /// The C0 controls other than tab, LF and CR: forbidden in XML 1.0, replaced by U+FFFD.
        @usableFromInline static let forbiddenControls: UInt64 = 0xFFFF_FFFF & ~(1 << 0x9 | 1 << 0xA | 1 << 0xD)

        /// HTML and XML text and attribute values: `<`, `>`, `&`, `"` and `'` (as `&#39;`, as
        /// swift-mustache and most HTML escapers write it). The site's pages, feed, sitemap and charts.
        public static let markup = Rules(mask: 1 << 0x3C | 1 << 0x3E | 1 << 0x26 | 1 << 0x22 | 1 << 0x27 | forbiddenControls)

        /// `<`, `>`, `&` and `"`, as cmark escapes text: for paragraphs shown beside cmark's HTML.
        public static let cmark = Rules(mask: 1 << 0x3C | 1 << 0x3E | 1 << 0x26 | 1 << 0x22 | forbiddenControls)

        /// `markup` plus tab, LF and CR as character references (`&#9;`, `&#10;`, `&#13;`), which an
        /// XML parser would otherwise fold to spaces in an attribute value (JUnit reports).
        public static let xmlAttribute = Rules(mask: markup.mask | 1 << 0x9 | 1 << 0xA | 1 << 0xD)
    }

    /// `text` escaped by `rules`; the text itself when nothing needed escaping (the common case).
    public static func escape(_ text: String, rules: Rules = .markup) -> String {
        var text = text
        text.makeContiguousUTF8()
        let escaped = text.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            var result: [UInt8] = []
            var changed = false
            escapeUTF8(
                bytes, rules: rules,
                copy: { range in result.append(contentsOf: bytes[range]) },
                insert: { entity in
                    if !changed {
                        changed = true
                        result.reserveCapacity(bytes.count + 16)
                    }
                    result.append(contentsOf: UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
                })
            return changed ? String(decoding: result, as: UTF8.self) : nil
        }
        return (escaped ?? nil) ?? text
    }

    /// The character that stands in for one XML 1.0 forbids, wherever drillbook writes markup, CSV
    /// or iCalendar text: U+FFFD REPLACEMENT CHARACTER, so a reader sees that something was there.
    public static let replacementCharacter: Unicode.Scalar = "\u{FFFD}"

    /// True for a character XML 1.0 allows (its `Char` production): tab, line feed, carriage return,
    /// U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF. Every other C0 control, U+FFFE and
    /// U+FFFF are forbidden (surrogates cannot occur in a Swift string; the content loader reads a
    /// JSON `\ud800` as U+FFFD). HTML5 treats the same controls as parse errors.
    public static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return value == 0x9 || value == 0xA || value == 0xD || (0x20...0xD7FF).contains(value)
            || (0xE000...0xFFFD).contains(value) || (0x10000...0x10FFFF).contains(value)
    }

    /// `text` with every character XML 1.0 forbids replaced by `replacementCharacter`, nothing else
    /// changed: for outputs that quote rather than escape (CSV), and for what reaches cmark.
    public static func replacingForbiddenCharacters(_ text: String) -> String {
        guard hasForbiddenCharacter(text) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { result.append(isXMLCharacter(scalar) ? scalar : replacementCharacter) }
        return String(result)
    }

    /// Whether `text` holds a character `isXMLCharacter` refuses, from its UTF-8 bytes: a C0
    /// control other than tab, LF and CR (one byte below 0x20), or U+FFFE or U+FFFF (`EF BF BE`,
    /// `EF BF BF`). Surrogates cannot occur in a `String`, so no other byte sequence is forbidden.
    @usableFromInline static func hasForbiddenCharacter(_ text: String) -> Bool {
        var text = text
        let found = text.withUTF8 { bytes -> Bool in
            let count = bytes.count
            var index = 0
            // Eight bytes at a time while none is below 0x20 or is 0xEF (the lead byte of U+FFFE
            // and U+FFFF): the usual text has neither, so it never reaches the byte loop.
            if let base = bytes.baseAddress {
                let ones: UInt64 = 0x0101_0101_0101_0101
                let highs: UInt64 = 0x8080_8080_8080_8080
                while index + 8 <= count {
                    let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                    let below20 = (word &- ones &* 0x20) & ~word & highs
                    let flipped = word ^ (ones &* 0xEF)
                    let isEF = (flipped &- ones) & ~flipped & highs
                    if below20 | isEF != 0 { break }
                    index += 8
                }
            }
            while index < count {
                let byte = bytes[index]
                if byte < 0x20 {
                    if byte != 0x9 && byte != 0xA && byte != 0xD { return true }
                } else if byte == 0xEF, index + 2 < count, bytes[index + 1] == 0xBF, bytes[index + 2] >= 0xBE {
                    return true
                }
                index += 1
            }
            return false
        }
        return found
    }

    /// The escaping of valid UTF-8 `bytes` as a sequence of steps: `copy(range)` for bytes kept as
    /// they are, `insert(text)` for what replaces the byte or bytes between two copies (`&lt;`,
    /// `&gt;`, `&amp;`, `&quot;`, `&#39;`, `&#9;`, `&#10;`, `&#13;` as `rules` say, or U+FFFD for a
    /// C0 control other than tab, LF and CR, and for U+FFFE and U+FFFF). Byte-exact to
    /// `escape(_:rules:)`, without building strings.
    @inlinable
    public static func escapeUTF8(
        _ bytes: UnsafeBufferPointer<UInt8>, rules: Rules = .markup, copy: (Range<Int>) -> Void,
        insert: (StaticString) -> Void
    ) {
        let mask = rules.mask
        var run = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte < 64 {
                guard mask & (1 << UInt64(byte)) != 0 else {
                    index += 1
                    continue
                }
                if run < index { copy(run..<index) }
                switch byte {
                case 0x3C: insert("&lt;")
                case 0x3E: insert("&gt;")
                case 0x26: insert("&amp;")
                case 0x22: insert("&quot;")
                case 0x27: insert("&#39;")
                case 0x09: insert("&#9;")
                case 0x0A: insert("&#10;")
                case 0x0D: insert("&#13;")
                default: insert("\u{FFFD}")
                }
                index += 1
                run = index
            } else if byte == 0xEF, index + 2 < count, bytes[index + 1] == 0xBF, bytes[index + 2] >= 0xBE {
                // U+FFFE (EF BF BE) and U+FFFF (EF BF BF).
                if run < index { copy(run..<index) }
                insert("\u{FFFD}")
                index += 3
                run = index
            } else {
                index += 1
            }
        }
        if run < count { copy(run..<count) }
    }
}
