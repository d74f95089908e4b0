/// Ids and permalinks for the headings of rendered Markdown: `<h2>Root cause</h2>` becomes
/// `<h2 id="md-root-cause">Root cause <a class="heading-anchor" href="#md-root-cause" aria-label="Link to this heading">#</a></h2>`.
///
/// Works on cmark's HTML, whose heading tags carry no attributes (safe mode leaves raw HTML out,
/// so every `<hN>` in it is a heading cmark made). An id is the prefix and the heading's letters
/// and digits in lower case, words joined by `-` (`heading` when none is left), numbered `-2`,
/// `-3`, … when it repeats, so ids are unique in the text and the same text always gets the same
/// ids. Ids contain only `a`–`z`, `0`–`9` and `-`, so they need no escaping.
public enum HeadingAnchors {
    /// `html` with an id and a `#` link on every heading; ids start with `prefix` (`md-`), so
    /// texts rendered with different prefixes on one page never share an id.
    public static func adding(to html: String, prefix: String) -> String {
        guard containsHeadingOpener(html) else { return html }
        var result = ""
        result.reserveCapacity(html.utf8.count + 128)
        var used: Set<String> = []
        var rest = Substring(html)
        while let open = rest.firstRange(of: "<h") {
            let afterOpen = rest[open.upperBound...]
            guard let level = afterOpen.first, ("1"..."6").contains(level),
                afterOpen.dropFirst().first == ">",
                let close = afterOpen.firstRange(of: "</h" + String(level) + ">")
            else {
                result += rest[..<open.upperBound]
                rest = afterOpen
                continue
            }
            let content = afterOpen[afterOpen.index(afterOpen.startIndex, offsetBy: 2)..<close.lowerBound]
            var id = prefix + slug(ofHTML: content)
            if !used.insert(id).inserted {
                var number = 2
                while !used.insert(id + "-" + String(number)).inserted { number += 1 }
                id += "-" + String(number)
            }
            result += rest[..<open.lowerBound]
            result += "<h" + String(level) + " id=\"" + id + "\">" + content
            result += " <a class=\"heading-anchor\" href=\"#" + id + "\" aria-label=\"Link to this heading\">#</a>"
            result += "</h" + String(level) + ">"
            rest = afterOpen[close.upperBound...]
        }
        return result + rest
    }

    /// Whether `html` has a `<h` anywhere, from its UTF-8 bytes (what `contains("<h")` answers,
    /// without the generic substring search).
    static func containsHeadingOpener(_ html: String) -> Bool {
        var html = html
        return html.withUTF8 { bytes in
            guard bytes.count > 1 else { return false }
            for index in 0..<(bytes.count - 1) where bytes[index] == UInt8(ascii: "<") && bytes[index + 1] == UInt8(ascii: "h") {
                return true
            }
            return false
        }
    }

    /// `root-cause` from `Root <em>cause</em>`: tags and character references left out, letters
    /// and digits of ASCII lower-cased, everything else a word break; at most 60 characters.
    static func slug(ofHTML html: Substring) -> String {
        var slug = ""
        var inTag = false
        var inEntity = false
        var pendingDash = false
        for scalar in html.unicodeScalars {
            if inTag { if scalar == ">" { inTag = false }; continue }
            if inEntity { if scalar == ";" { inEntity = false }; continue }
            switch scalar {
            case "<": inTag = true
            case "&": inEntity = true; pendingDash = true
            case "a"..."z", "0"..."9":
                if pendingDash && !slug.isEmpty { slug += "-" }
                pendingDash = false
                slug.unicodeScalars.append(scalar)
            case "A"..."Z":
                if pendingDash && !slug.isEmpty { slug += "-" }
                pendingDash = false
                slug.unicodeScalars.append(Unicode.Scalar(scalar.value + 32)!)
            default: pendingDash = true
            }
            if slug.unicodeScalars.count >= 60 { break }
        }
        return slug.isEmpty ? "heading" : slug
    }
}
