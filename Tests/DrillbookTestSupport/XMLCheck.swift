import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses `text` with Foundation's `XMLParser`: nil when it is well-formed XML, otherwise the first
/// error (with its line and column when the parser gives one).
///
/// The parser alone is not enough: on Linux it reports nothing for a document cut off inside a
/// tag (`<a`), an element left open at the end (`<svg><g></svg>`), a second root (`<a/><b/>`) or text
/// after the root (SiteLinkReportTests pins these). So the document is parsed a second time inside a
/// wrapper element (its XML declaration and doctype set aside), where the parser must read to the
/// wrapper's end tag, and the wrapper must hold exactly one element and no other text.
public func xmlError(_ text: String) -> String? {
    let parser = XMLParser(data: Data(text.utf8))
    guard parser.parse() else {
        let error = parser.parserError.map { String(describing: $0) } ?? "parse failed"
        return "line \(parser.lineNumber), column \(parser.columnNumber): \(error)"
    }
    final class Wrapper: NSObject, XMLParserDelegate {
        var depth = 0
        var roots = 0
        var strayText = ""
        var closed = false
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if depth == 1 { roots += 1 }
            depth += 1
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            if depth == 0 { closed = true }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if depth == 1 { strayText += string.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
    }
    var body = Substring(text)
    for prologue in ["<?xml", "<!DOCTYPE"] {
        body = body.drop { $0.isWhitespace }
        if body.hasPrefix(prologue), let end = body.firstIndex(of: ">") { body = body[body.index(after: end)...] }
    }
    let wrapped = XMLParser(data: Data(("<drillbook-xml-check>" + body + "</drillbook-xml-check>").utf8))
    let wrapper = Wrapper()
    wrapped.delegate = wrapper
    guard wrapped.parse(), wrapper.closed else {
        let error = wrapped.parserError.map { String(describing: $0) } ?? "the document ends early"
        return "the document is cut off or has an element left open: \(error)"
    }
    if wrapper.roots != 1 { return "\(wrapper.roots) root elements, one expected" }
    if !wrapper.strayText.isEmpty { return "text outside the root element: \(wrapper.strayText.prefix(40))" }
    return nil
}

/// Element names of `text` in document order, for structure checks.
public func xmlElements(_ text: String) -> [String] {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            elements.append(name)
        }
    }
    let parser = XMLParser(data: Data(text.utf8))
    let collector = Collector()
    parser.delegate = collector
    _ = parser.parse()
    return collector.elements
}

/// The text of every `element` of `text` in document order.
public func xmlTexts(_ text: String, element: String) -> [String] {
    final class Collector: NSObject, XMLParserDelegate {
        let name: String
        var inside = false
        var current = ""
        var texts: [String] = []
        init(name: String) { self.name = name }
        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if elementName == name {
                inside = true
                current = ""
            }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { if inside { current += string } }
        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            if elementName == name {
                inside = false
                texts.append(current)
            }
        }
    }
    let parser = XMLParser(data: Data(text.utf8))
    let collector = Collector(name: element)
    parser.delegate = collector
    _ = parser.parse()
    return collector.texts
}
