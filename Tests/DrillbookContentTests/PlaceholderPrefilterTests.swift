@testable import DrillbookContent
import Foundation
import Testing

/// The byte test that lets a JSON record skip the placeholder walk (`PlaceholderChecks.mayHoldPlaceholder`)
/// never hides a placeholder: however a JSON file spells one (plain, `\u` escapes, a non-ASCII
/// capital, inside a list), the located error is still there.
@Suite struct PlaceholderPrefilterTests {
    private func placeholderErrors(summary: String? = nil, observations: String? = nil) throws -> [String] {
        var extra = ""
        if let summary { extra += "\n  \"summary\": \"" + summary + "\"," }
        if let observations { extra += "\n  \"observations\": " + observations + "," }
        let scratch = try ScratchContent([
            "drills/redis-sentinel-failover.yaml": minimalDrillYAML,
            "runs/r.json": runJSON(extra: extra),
        ])
        defer { scratch.remove() }
        return scratch.descriptions().filter { $0.contains("template placeholder") }.map { description in
            description.hasPrefix("content/runs/r.json") ? String(description[description.range(of: "template placeholder")!.lowerBound...]) : description
        }
    }

    /// The error's text after its location. (The location itself is not pinned here: a run's
    /// placeholder is reported at `$.details.summary` without a line today, a separate matter.)
    private func message(_ line: Int, _ path: String, _ placeholder: String) -> String {
        "template placeholder \"\(placeholder)\" is still in the record; replace it with what happened"
    }

    @Test func aPlainPlaceholderInAJSONRunIsAnError() throws {
        #expect(try placeholderErrors(summary: "Cause: [Root cause description].") == [message(9, "$.summary", "[Root cause description]")])
    }

    /// The negative control of the tests below: the same run with the placeholder filled in is clean,
    /// and its bytes take the fast path.
    @Test func aFilledInRunIsCleanAndSkipsTheWalk() throws {
        #expect(try placeholderErrors(summary: "Cause: a full disk.", observations: "[\"All good\", \"[NR] tag\"]") == [])
        let linked = runJSON(extra: "\n  \"summary\": \"See [the runbook](https://example.com).\",\n  \"observations\": [\"x\", [1, -2]],")
        #expect(!PlaceholderChecks.mayHoldPlaceholder(json: Array(linked.utf8)))
    }

    @Test func escapedBracketsAndCapitalsAreStillFound() throws {
        #expect(try placeholderErrors(summary: #"\u005bName of the owner]"#) == [message(9, "$.summary", "[Name of the owner]")])
        #expect(try placeholderErrors(summary: #"[\u0054ime of day]"#) == [message(9, "$.summary", "[Time of day]")])
        #expect(try placeholderErrors(summary: "[Émile's notes]") == [message(9, "$.summary", "[Émile's notes]")])
    }

    @Test func aPlaceholderInAListIsFound() throws {
        #expect(try placeholderErrors(observations: "[\"[Item 1]\", \"fine\"]") == [message(9, "$.observations[0]", "[Item 1]")])
    }

    /// Random strings over the characters that matter, written as JSON by `JSONEncoder` and with
    /// random `\u` escapes: whenever the string holds a placeholder, the byte test says it may.
    @Test func theByteTestNeverMissesAPlaceholder() throws {
        let alphabet: [String] = ["[", "[", "]", "]", "A", "T", "a", "z", "e", "o", "É", "é", " ", "1", "-", "'", "(", ":", "\"", "\\", "\n", "{", "ß", "\u{301}", "Ⅳ"]
        let capitals = ["A", "T", "É", "Ⅳ", "a", "1"]
        let inner = ["a", "e", "z", "é", "ß", " ", "1", "-", "'", "B", "\u{301}", "(", "["]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var withPlaceholders = 0
        for _ in 0..<8_000 {
            func noise() -> String { (0..<next(6)).map { _ in alphabet[next(alphabet.count)] }.joined() }
            // Half of the strings are built around a bracketed phrase that often is a placeholder.
            let phrase = next(2) == 0 ? "" : "[" + capitals[next(capitals.count)] + (0..<(1 + next(5))).map { _ in inner[next(inner.count)] }.joined() + "]"
            let text = noise() + phrase + noise()
            let found = !PlaceholderChecks.placeholders(in: text).isEmpty
            if found { withPlaceholders += 1 }
            let plain = try JSONEncoder().encode(["summary": [text]])
            #expect(!found || PlaceholderChecks.mayHoldPlaceholder(json: Array(plain)), "\(text)")
            // The same string with some characters written as \u escapes.
            var escaped = Array("{\"summary\":\"".utf8)
            for scalar in text.unicodeScalars {
                if next(3) == 0 || scalar == "\"" || scalar == "\\" || scalar == "\n" {
                    escaped += Array(String(format: "\\u%04X", scalar.value).utf8)
                } else {
                    escaped += Array(String(scalar).utf8)
                }
            }
            escaped += Array("\"}".utf8)
            #expect(!found || PlaceholderChecks.mayHoldPlaceholder(json: escaped), "\(text)")
        }
        #expect(withPlaceholders > 500)
    }
}
