import DrillbookContent
import DrillbookModel
import DrillbookSite
import DrillbookTestSupport
import DrillbookText
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Every machine-readable file of the site stays well-formed whatever the records hold: each is
/// read back with a real parser (XML with `XMLParser`, JSON with `JSONSerialization`, CSV and
/// iCalendar with the strict readers below).
@Suite("Machine-readable outputs")
struct MachineOutputValidityTests {
    /// Every C0 control, DEL, U+FFFE, U+FFFF, U+FFFD and what the content loader makes of a JSON
    /// `\ud800` (a lone surrogate cannot live in a Swift string).
    static func hostileText() throws -> String {
        var text = ""
        for value in 0..<0x20 { text.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        text += "\u{7F}\u{FFFE}\u{FFFF}\u{FFFD}"
        return text + (try loadedLoneSurrogate() ?? "\u{FFFD}") + " **bold** [link](x) <&\"'>,;\\ "
    }

    /// The incident type of a JSON record whose type is `x\ud800y`, as the loader reads it; nil
    /// when the loader refuses the file.
    static func loadedLoneSurrogate() throws -> String? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drillbook-surrogate-" + UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: folder) }
        let incidents = folder.appendingPathComponent("incidents", isDirectory: true)
        try FileManager.default.createDirectory(at: incidents, withIntermediateDirectories: true)
        let json = #"{"id": "INC-1", "severity": "P4", "type": "x\ud800y", "description": "d", "declaredAt": "2026-02-11T16:00:00Z"}"#
        try Data(json.utf8).write(to: incidents.appendingPathComponent("INC-1.json"))
        let loaded = ContentLoader(contentDirectory: folder).load()
        guard !loaded.hasErrors else { return nil }
        return loaded.history.incidents.first.map { String($0.type.dropFirst().dropLast()) }
    }

    /// The loader turns a lone surrogate into U+FFFD (or, stricter, refuses the file); either way
    /// nothing unrepresentable reaches the outputs.
    @Test func loneSurrogateBecomesTheReplacementCharacter() throws {
        let loaded = try Self.loadedLoneSurrogate()
        #expect(loaded == nil || loaded == "\u{FFFD}", "\(loaded.map { Array($0.unicodeScalars) } ?? [])")
    }

    /// The fixture with the hostile text around every free-text field and in a run, an incident and
    /// an action item id.
    static func hostileHistory() throws -> DrillHistory {
        let hostile = try hostileText()
        var history = HistoryFixture.history { hostile + $0 + hostile }
        history.runs[0].id = hostile + history.runs[0].id
        history.incidents[0].id = hostile + history.incidents[0].id
        history.incidents[0].actionItems[0].id = hostile + "AI-1"
        return history
    }

    /// A scalar XML 1.0 forbids, or one the hostile text holds and no output may carry raw.
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        !MarkupText.isXMLCharacter(scalar)
    }

    @Test func everyOutputOfAHostileHistoryParses() async throws {
        let workspace = try SiteWorkspace()
        var builder = workspace.builder()
        builder.baseURL = "https://drills.example.com/"
        let report = try await builder.build(try Self.hostileHistory())
        #expect(report.pages.contains("sitemap.xml"))

        // XML: the feed, the sitemap, every .svg file and every chart inlined in a page.
        for path in ["feed.xml", "sitemap.xml"] {
            let text = try workspace.text(path)
            #expect(xmlError(text) == nil, "\(path): \(xmlError(text) ?? "")")
            #expect(!text.unicodeScalars.contains(where: Self.isForbidden), "\(path)")
        }
        var svgs = 0
        for file in try files(in: workspace.output) {
            let text = String(decoding: file.data, as: UTF8.self)
            if file.path.hasSuffix(".svg") {
                svgs += 1
                #expect(xmlError(text) == nil, "\(file.path): \(xmlError(text) ?? "")")
            }
            guard file.path.hasSuffix(".html") else { continue }
            for svg in inlineSVGs(in: text) {
                svgs += 1
                #expect(xmlError(svg) == nil, "\(file.path): \(xmlError(svg) ?? "")")
                #expect(!svg.unicodeScalars.contains(where: Self.isForbidden), "\(file.path)")
            }
        }
        #expect(svgs > 5)

        // The feed's text is the records' text with U+FFFD in place of what XML forbids.
        let feed = try workspace.text("feed.xml")
        #expect(feed.contains("\u{FFFD}\t\n\u{FFFD}\u{FFFD}\r\u{FFFD}"))
        #expect(feed.contains("&lt;&amp;&quot;&#39;&gt;"))

        // JSON: parses, and carries the text exactly (control characters as \u00XX escapes).
        let jsonData = try Data(contentsOf: workspace.output.appendingPathComponent("actions/actions.json"))
        let records = try #require(try JSONSerialization.jsonObject(with: jsonData) as? [[String: Any]])
        #expect(records.count == 6)
        let hostile = try Self.hostileText()
        let titles = records.compactMap { $0["title"] as? String }
        #expect(titles.count == records.count)
        #expect(titles.allSatisfy { $0.hasPrefix(hostile) })
        let jsonText = String(decoding: jsonData, as: UTF8.self)
        #expect(jsonText.contains(#"\u0000\u0001"#))
        #expect(!jsonText.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })

        // CSV: RFC 4180, one field per column in every row, no formula, nothing XML forbids.
        let csv = try workspace.text("actions/actions.csv")
        let rows = try #require(Self.rfc4180Rows(csv), "actions.csv is not RFC 4180")
        #expect(rows.count == records.count + 1)
        #expect(rows.allSatisfy { $0.count == ActionItemExport.csvHeader.count })
        for field in rows.joined() {
            #expect(!field.unicodeScalars.contains(where: Self.isForbidden), "\(field)")
            if let first = field.unicodeScalars.first { #expect(!["=", "+", "-", "@", "\t", "\r"].contains(first), "\(field)") }
        }
        // The title column is plain text on one line; forbidden characters are U+FFFD.
        #expect(rows[1][1].contains("\u{FFFD}") && !rows[1][1].contains("\n") && !rows[1][1].contains("\r"))

        // iCalendar: CRLF lines of at most 75 octets that split no UTF-8 sequence, escaped TEXT.
        let icsData = try Data(contentsOf: workspace.output.appendingPathComponent("actions/actions.ics"))
        let problems = Self.iCalendarProblems(icsData)
        #expect(problems.isEmpty, "\(problems)")
        let ics = String(decoding: icsData, as: UTF8.self)
        #expect(ics.contains("VEVENT"))
        #expect(ics.replacingOccurrences(of: "\r\n ", with: "").contains(#"\,\;\\ "#))
    }

    /// The HTML pages get the same replacement wherever the templates escape record text. (Markdown
    /// fields reach the pages as cmark's HTML, printed unescaped, and are not covered here.)
    @Test func pagesCarryNoControlCharactersFromPlainFields() async throws {
        let workspace = try SiteWorkspace()
        let report = try await workspace.builder().build(try Self.hostileHistory())
        #expect(report.pages.contains("index.html"))
        let incidents = try workspace.text("incidents/index.html")
        // The incident type is a plain field: escaped, with U+FFFD in place of the controls.
        #expect(incidents.contains("\u{FFFD}\t\n\u{FFFD}\u{FFFD}\r\u{FFFD}"))
        #expect(!incidents.unicodeScalars.contains(where: Self.isForbidden))
    }

    /// Markdown fields too: cmark keeps controls, so the renderer replaces them before it parses.
    /// No page of the hostile site carries a character XML 1.0 forbids.
    @Test func noPageCarriesAForbiddenCharacter() async throws {
        let workspace = try SiteWorkspace()
        let report = try await workspace.builder().build(try Self.hostileHistory())
        var offenders: [String] = []
        for page in report.pages where page.hasSuffix(".html") {
            if try workspace.text(page).unicodeScalars.contains(where: Self.isForbidden) { offenders.append(page) }
        }
        #expect(offenders.isEmpty, "pages with forbidden characters: \(offenders)")
    }

    /// The issue's case: one U+0001 in an incident type made `feed.xml` ill-formed.
    @Test func aControlCharacterInAnIncidentTypeKeepsTheFeedWellFormed() async throws {
        let workspace = try SiteWorkspace()
        var history = HistoryFixture.history()
        history.incidents[0].type = "Data\u{1}provider outage"
        _ = try await workspace.builder().build(history)
        let feed = try workspace.text("feed.xml")
        #expect(xmlError(feed) == nil, "\(xmlError(feed) ?? "")")
        #expect(feed.contains("Data\u{FFFD}provider outage"))
    }

    /// Feed summaries are plain text: the Markdown's formatting is gone, its words stay.
    @Test func feedSummariesArePlainText() async throws {
        let workspace = try SiteWorkspace()
        var history = HistoryFixture.history()
        history.incidents[0].description = "**bold** [link](x)"
        history.runDetails[history.runs[0].id]?.summary = "A `code` *span*,\nthen <b>raw</b> HTML.\n\n- one\n- two"
        _ = try await workspace.builder().build(history)
        let feed = try workspace.text("feed.xml")
        let summaries = feed.components(separatedBy: "<summary>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        #expect(summaries.contains("bold link"))
        #expect(summaries.contains { $0.hasSuffix(" A code span, then raw HTML.\none\ntwo") }, "\(summaries)")
        #expect(!summaries.contains { $0.contains("**") || $0.contains("](") })
    }

    /// A huge summary is cut before cmark reads it, and the cut is marked.
    @Test func aHugeSummaryIsCutInTheFeed() async throws {
        let workspace = try SiteWorkspace()
        var history = HistoryFixture.history()
        history.incidents[0].description = String(repeating: "word ", count: 10_000)
        _ = try await workspace.builder().build(history)
        let feed = try workspace.text("feed.xml")
        let summary = try #require(feed.components(separatedBy: "<summary>").dropFirst().map { String($0.prefix { $0 != "<" }) }
            .first { $0.hasPrefix("word word") })
        #expect(summary.hasSuffix("word …"))
        #expect(summary.unicodeScalars.count < 4_100)
    }

    // MARK: - Readers

    /// The rows of an RFC 4180 text whose fields are all quoted (as drillbook writes them), or nil
    /// when the text breaks the grammar: a quote inside a field not doubled, anything but `,` or CR LF
    /// between fields, a missing final CR LF.
    static func rfc4180Rows(_ text: String) -> [[String]]? {
        var rows: [[String]] = []
        var row: [String] = []
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            guard scalars[i] == "\"" else { return nil }
            i += 1
            var field = String.UnicodeScalarView()
            while true {
                guard i < scalars.count else { return nil }
                if scalars[i] == "\"" {
                    if i + 1 < scalars.count, scalars[i + 1] == "\"" {
                        field.append("\"")
                        i += 2
                        continue
                    }
                    i += 1
                    break
                }
                field.append(scalars[i])
                i += 1
            }
            row.append(String(field))
            guard i < scalars.count else { return nil }
            if scalars[i] == "," {
                i += 1
            } else if scalars[i] == "\r", i + 1 < scalars.count, scalars[i + 1] == "\n" {
                rows.append(row)
                row = []
                i += 2
            } else {
                return nil
            }
        }
        return row.isEmpty ? rows : nil
    }

    /// What breaks RFC 5545's line rules in `data`: a line end other than CR LF, a physical line
    /// over 75 octets or not valid UTF-8 on its own (a fold inside a character), a control
    /// character, or a backslash that starts no TEXT escape.
    static func iCalendarProblems(_ data: Data) -> [String] {
        var problems: [String] = []
        let bytes = [UInt8](data)
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D {
                if i + 1 < bytes.count, bytes[i + 1] == 0x0A {
                    lines.append(current)
                    current = []
                    i += 2
                    continue
                }
                problems.append("bare CR after line \(lines.count)")
            } else if bytes[i] == 0x0A {
                problems.append("bare LF after line \(lines.count)")
            } else {
                current.append(bytes[i])
            }
            i += 1
        }
        if !current.isEmpty { problems.append("no CR LF after the last line") }
        for (number, line) in lines.enumerated() {
            if line.count > 75 { problems.append("line \(number + 1): \(line.count) octets") }
            guard let text = String(validating: line, as: UTF8.self) else {
                problems.append("line \(number + 1): not UTF-8 on its own")
                continue
            }
            if text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
                problems.append("line \(number + 1): control character")
            }
        }
        // Unfolded, every backslash starts \\, \;, \, or \n.
        let unfolded = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n ", with: "")
        for line in unfolded.components(separatedBy: "\r\n") {
            let scalars = Array(line.unicodeScalars)
            var j = 0
            while j < scalars.count {
                if scalars[j] == "\\" {
                    guard j + 1 < scalars.count, ["\\", ";", ",", "n", "N"].contains(scalars[j + 1]) else {
                        problems.append("bad escape in \(line)")
                        break
                    }
                    j += 2
                } else {
                    j += 1
                }
            }
        }
        return problems
    }
}

extension MachineOutputValidityTests {
    /// A base URL is printed in the feed and the sitemap: control characters are refused, not replaced.
    @Test func aBaseURLWithAControlCharacterIsRefused() async throws {
        let workspace = try SiteWorkspace()
        var builder = workspace.builder()
        builder.baseURL = "https://drills.example.com/a\u{1}b/"
        await #expect(throws: SiteBuildError.self) { try await builder.build(HistoryFixture.history()) }
        builder.baseURL = "https://drills.example.com/a\u{FFFF}b/"
        await #expect(throws: SiteBuildError.self) { try await builder.build(HistoryFixture.history()) }
        builder.baseURL = "https://drills.example.com/ünï/"
        _ = try await builder.build(HistoryFixture.history())
        #expect(xmlError(try workspace.text("sitemap.xml")) == nil)
    }
}
