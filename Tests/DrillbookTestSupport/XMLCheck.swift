import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses `text` with Foundation's `XMLParser`: nil when it is well-formed XML, otherwise the first
/// error with its line and column.
///
/// The parser alone is not enough: on Linux it reports nothing for a document cut off inside a
/// tag (`<a`), an element left open at the end (`<svg><g></svg>`) or a second root (`<a/><b/>`)
/// (SiteLinkReportTests pins these), so the elements are also counted: exactly one root, closed.
public func xmlError(_ text: String) -> String? {
    final class Balance: NSObject, XMLParserDelegate {
        var depth = 0
        var roots = 0
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if depth == 0 { roots += 1 }
            depth += 1
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
        }
    }
    let parser = XMLParser(data: Data(text.utf8))
    let balance = Balance()
    parser.delegate = balance
    guard parser.parse() else {
        let error = parser.parserError.map { String(describing: $0) } ?? "parse failed"
        return "line \(parser.lineNumber), column \(parser.columnNumber): \(error)"
    }
    if balance.roots != 1 { return "\(balance.roots) root elements, one expected" }
    if balance.depth != 0 { return "\(balance.depth) element(s) not closed at the end" }
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
