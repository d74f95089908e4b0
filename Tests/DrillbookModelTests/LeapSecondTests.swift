import DrillbookModel
import Foundation
import Testing

/// A leap second has no exact value in a day of 86,400 seconds: it is refused with a message that
/// names it, never moved to the next day.
@Suite struct LeapSecondTests {
    @Test(arguments: ["2026-12-31T23:59:60Z", "2026-12-31T23:59:60.5Z", "2026-12-31T18:59:60-05:00"])
    func leapSecondsAreRefused(_ text: String) {
        #expect(Timestamp(iso8601: text) == nil)
        #expect(Timestamp.leapSecond(in: text) != nil)
    }

    @Test func theLeapSecondIsNamedAsWritten() {
        #expect(Timestamp.leapSecond(in: "2026-12-31T23:59:60Z") == "23:59:60")
        #expect(Timestamp.leapSecond(in: "2026-12-31T18:59:60-05:00") == "18:59:60")
        #expect(Timestamp.leapSecond(in: "2026-12-31 23:59:60 UTC", incidentTime: true) == "23:59:60")
        #expect(Timestamp(incidentTime: "2026-12-31 23:59:60 UTC") == nil)
    }

    // Negative controls: other failures are not called leap seconds, and :59 still parses.
    @Test func otherTimesAreNotLeapSeconds() {
        #expect(Timestamp(iso8601: "2026-12-31T23:59:59Z")?.iso8601 == "2026-12-31T23:59:59Z")
        #expect(Timestamp.leapSecond(in: "2026-12-31T23:59:59Z") == nil)
        #expect(Timestamp.leapSecond(in: "2026-12-31T23:59:61Z") == nil)
        #expect(Timestamp.leapSecond(in: "2026-12-31T23:59:60") == nil)  // no offset: wrong for another reason
        #expect(Timestamp.leapSecond(in: "2026-12-31 23:59:60 UTC") == nil)  // not strict ISO 8601
        #expect(Timestamp.leapSecond(in: "2026-02-30T23:59:60Z") == nil)
    }

    @Test func decodingSaysLeapSecondsAreNotSupported() {
        struct Record: Decodable { var at: Timestamp }
        #expect {
            try JSONDecoder().decode(Record.self, from: Data(#"{"at": "2026-12-31T23:59:60Z"}"#.utf8))
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.debugDescription
                == #"leap seconds are not supported: 23:59:60 in "2026-12-31T23:59:60Z"; drillbook counts 86,400 seconds a day, so write the second before (:59) or the next day's 00:00:00"#
        }
    }
}
