import DrillbookText
import Testing

@Suite("CSV text")
struct CSVTextTests {
    @Test func quotesEveryFieldAndGuardsAgainstFormulas() {
        #expect(CSVText.field("plain") == "\"plain\"")
        #expect(CSVText.field("a,b") == "\"a,b\"")
        #expect(CSVText.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVText.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVText.field("=SUM(A1:A9)") == "\"'=SUM(A1:A9)\"")
        #expect(CSVText.field("+1") == "\"'+1\"")
        #expect(CSVText.field("-1") == "\"'-1\"")
        #expect(CSVText.field("@cmd") == "\"'@cmd\"")
        #expect(CSVText.field("\tx") == "\"'\tx\"")
        #expect(CSVText.field("\rx") == "\"'\rx\"")
        #expect(CSVText.field("a=b") == "\"a=b\"")
        #expect(CSVText.field("") == "\"\"")
    }

    /// A quote followed by a combining mark is one `Character` but still a quote to double.
    @Test func aQuoteIsDoubledEvenBeforeACombiningMark() {
        #expect(CSVText.field("\"\u{301}") == "\"\"\"\u{301}\"")
    }

    @Test func forbiddenCharactersBecomeTheReplacementCharacter() {
        #expect(CSVText.field("a\u{0}b\u{FFFE}") == "\"a\u{FFFD}b\u{FFFD}\"")
        #expect(CSVText.record(["a", "b\"c"]) == "\"a\",\"b\"\"c\"\r\n")
    }
}
