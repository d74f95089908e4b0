import DrillbookModel
import Testing

@Suite struct TimestampTests {
    @Test func parsesOffsetsAndKeepsThem() throws {
        let t = try #require(Timestamp(iso8601: "2026-03-02T10:15:00+05:30"))
        #expect(t.iso8601UTC == "2026-03-02T04:45:00Z")
        #expect(t.iso8601 == "2026-03-02T10:15:00+05:30")
        #expect(t.localTimeOfDay == "10:15")
    }

    @Test(arguments: ["2026-03-02 10:15", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "yesterday", "2026-03-02T10:15:00"])
    func rejectsWhatIsNotStrictISO(_ text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func incidentFormsNeedAZone() throws {
        #expect(Timestamp(incidentTime: "2026-03-02 10:15 UTC")?.iso8601UTC == "2026-03-02T10:15:00Z")
        #expect(Timestamp(incidentTime: "2026-03-02 10:15:30 +0530")?.iso8601UTC == "2026-03-02T04:45:30Z")
        #expect(Timestamp(incidentTime: "2026-03-02 10:15:30Z")?.iso8601UTC == "2026-03-02T10:15:30Z")
        #expect(Timestamp(incidentTime: "2026-03-02 10:15") == nil)
        #expect(Timestamp(incidentTime: "2026-03-02 10:15 IST") == nil)
    }

    @Test func fractionalSecondsRoundTrip() throws {
        let t = try #require(Timestamp(iso8601: "2026-03-02T10:15:00.250Z"))
        #expect(t.iso8601 == "2026-03-02T10:15:00.250Z")
    }
}

@Suite struct CalendarDayTests {
    @Test func leapDaysAndMonthArithmetic() throws {
        let leap = try #require(CalendarDay(iso8601: "2028-02-29"))
        #expect(CalendarDay(iso8601: "2027-02-29") == nil)
        #expect(leap.adding(days: 1).iso8601 == "2028-03-01")
        #expect(CalendarDay(iso8601: "2026-01-31")!.adding(months: 1).iso8601 == "2026-02-28")
        #expect(CalendarDay(iso8601: "2026-11-30")!.adding(months: 3).iso8601 == "2027-02-28")
        #expect(CalendarDay(daysSince1970: 0).iso8601 == "1970-01-01")
        #expect(CalendarDay(iso8601: "1969-12-31")!.daysSince1970 == -1)
    }

    @Test func quartersAndWeekdays() throws {
        let day = try #require(CalendarDay(iso8601: "2026-03-31"))
        #expect(day.quarter.id == "2026-Q1")
        #expect(day.adding(days: 1).quarter.id == "2026-Q2")
        #expect(Quarter("2026-q4")?.lastDay.iso8601 == "2026-12-31")
        #expect(Quarter("2026-Q1")?.previous.id == "2025-Q4")
        #expect(CalendarDay(iso8601: "2026-11-29")?.weekday == 7)
    }
}

@Suite struct DurationTextTests {
    @Test(arguments: [("1h 25m", 5100.0), ("45 minutes", 2700), ("30s", 30), ("90", 90), ("1h30m", 5400), ("PT1H25M", 5100), ("2 hours", 7200)])
    func parses(_ text: String, _ seconds: Double) {
        #expect(DurationText.seconds(text) == seconds)
    }

    @Test(arguments: ["", "soon", "1 fortnight", "m5", "-3m"])
    func rejects(_ text: String) {
        #expect(DurationText.seconds(text) == nil)
    }

    @Test func formatsValuesWithoutLocale() {
        #expect(MetricFormat.value(8.25, unit: "s") == "8.25 s")
        #expect(MetricFormat.value(12000, unit: "ms") == "12,000 ms")
        #expect(MetricFormat.value(99.5, unit: "%") == "99.5 %")
        #expect(MetricFormat.duration(seconds: 5100) == "1h 25m")
        #expect(MetricFormat.duration(seconds: 125) == "2m 05s")
    }
}
