import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses `text` as XML and returns the first error, or nil when it is well-formed.
func xmlError(_ text: String) -> String? {
    let parser = XMLParser(data: Data(text.utf8))
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var texts: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append(name)
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }
    }
    let collector = Collector()
    parser.delegate = collector
    if parser.parse() { return nil }
    return parser.parserError.map { String(describing: $0) } ?? "parse failed"
}

/// Element names in document order, for structure checks.
func xmlElements(_ text: String) -> [String] {
    let parser = XMLParser(data: Data(text.utf8))
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append(name)
        }
    }
    let collector = Collector()
    parser.delegate = collector
    _ = parser.parse()
    return collector.elements
}
