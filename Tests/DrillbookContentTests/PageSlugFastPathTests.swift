import DrillbookContent
import Testing

/// `PageSlug.slug` takes ASCII ids byte by byte; it must name the same page as the scalar rule
/// (lower-case mapping per scalar) for every ASCII byte, every run of separators and the cut at
/// 100 characters, and other ids must still go through the scalar rule.
@Suite("Page slug fast path")
struct PageSlugFastPathTests {
    /// The scalar rule as `PageSlug.slug` states it, for comparison.
    static func reference(_ id: String) -> String? {
        var result = ""
        var pendingDash = false
        for scalar in id.unicodeScalars {
            let lowered = scalar.properties.lowercaseMapping
            if lowered.unicodeScalars.count == 1, let c = lowered.unicodeScalars.first,
                (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "-" || c == "_"
            {
                if pendingDash && !result.isEmpty { result += "-" }
                pendingDash = false
                result.unicodeScalars.append(c)
            } else {
                pendingDash = true
            }
        }
        if result.count > 100 {
            result = String(result.prefix(100))
            while result.hasSuffix("-") { result.removeLast() }
        }
        return result.isEmpty ? nil : result
    }

    @Test func everyASCIIByteAgreesWithTheScalarRule() {
        for value in 0..<128 {
            let character = String(UnicodeScalar(UInt8(value)))
            for id in [character, "a" + character + "b", character + character + "Z9", "--" + character, "RUN " + character + " 2026/03"] {
                #expect(PageSlug.slug(id) == Self.reference(id), "byte \(value)")
            }
        }
    }

    @Test(arguments: [
        "", "///", "INC/1", "inc-1", "2026-03-02 Redis Failover", String(repeating: "ab", count: 60),
        String(repeating: "-", count: 100) + "a", String(repeating: "x", count: 99) + "--y", String(repeating: "x", count: 99) + " y",
        "\u{212A}elvin", "İstanbul", "café-1", "ＡＢＣ",
    ])
    func idsAgreeWithTheScalarRule(_ id: String) {
        #expect(PageSlug.slug(id) == Self.reference(id))
    }
}
