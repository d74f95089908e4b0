import DrillbookCharts
import DrillbookModel
import Testing

@Suite struct ScaleTests {
    @Test func niceTicksUseOneTwoFiveSteps() {
        #expect(LinearScale.ticks(lower: 0, upper: 100, count: 5) == [0, 20, 40, 60, 80, 100])
        #expect(LinearScale.ticks(lower: 0, upper: 1, count: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(LinearScale.ticks(lower: 0, upper: 37, count: 5) == [0, 10, 20, 30])
        #expect(LinearScale.ticks(lower: 0.1, upper: 0.35, count: 5) == [0.1, 0.15, 0.2, 0.25, 0.3, 0.35])
        #expect(LinearScale.niceStep(lower: 0, upper: 7, count: 5) == 2)
    }

    @Test func negativeValues() {
        #expect(LinearScale.ticks(lower: -45, upper: 12, count: 5) == [-40, -20, 0])
        #expect(LinearScale.ticks(lower: -45, upper: 12, count: 10) == [-40, -30, -20, -10, 0, 10])
        let scale = LinearScale(covering: [-3, -7], includingZero: true, range: (100, 0))
        #expect(scale.domainLower == -8)
        #expect(scale.domainUpper == 0)
        #expect(scale.position(0) == 0)
        #expect(scale.position(-8) == 100)
    }

    @Test func degenerateDomains() {
        let empty = LinearScale(covering: [], includingZero: false, range: (0, 100))
        #expect((empty.domainLower, empty.domainUpper) == (0, 1))
        let one = LinearScale(covering: [42], includingZero: false, range: (0, 100))
        #expect(one.domainLower < 42 && one.domainUpper > 42)
        #expect(one.position(42).isFinite)
        let equal = LinearScale(covering: [5, 5, 5], includingZero: true, range: (0, 100))
        #expect((equal.domainLower, equal.domainUpper) == (0, 5))
        let zeros = LinearScale(covering: [0, 0], includingZero: true, range: (0, 100))
        #expect((zeros.domainLower, zeros.domainUpper) == (0, 1))
        let garbage = LinearScale(covering: [.nan, .infinity, -.infinity], includingZero: false, range: (0, 100))
        #expect((garbage.domainLower, garbage.domainUpper) == (0, 1))
        #expect(LinearScale.ticks(lower: 3, upper: 3, count: 5) == [3])
        #expect(LinearScale.ticks(lower: .nan, upper: 3, count: 5).isEmpty)
        #expect(empty.position(.nan) == 0)
    }

    @Test func hugeAndTinyRanges() {
        let huge = LinearScale(covering: [1e-6, 1e9], includingZero: false, range: (0, 100))
        #expect(huge.ticks(count: 5) == [0, 2e8, 4e8, 6e8, 8e8, 1e9])
        let tiny = LinearScale(covering: [1e-6, 5e-6], includingZero: false, range: (0, 100))
        let ticks = tiny.ticks(count: 4)
        #expect(ticks == [1e-6, 2e-6, 3e-6, 4e-6, 5e-6])
        #expect(LinearScale.decimals(forStep: tiny.tickStep(count: 4)) == 6)
        #expect(MetricFormat.compact(2e-6, decimals: 6) == "0.000002")
    }

    @Test func fixedPrecisionNumbers() {
        #expect(SVGFormat.number(1.005) == "1" || SVGFormat.number(1.005) == "1.01")
        #expect(SVGFormat.number(12.5) == "12.5")
        #expect(SVGFormat.number(12.499) == "12.5")
        #expect(SVGFormat.number(3) == "3")
        #expect(SVGFormat.number(-0.0) == "0")
        #expect(SVGFormat.number(-0.001) == "0")
        #expect(SVGFormat.number(-2.25) == "-2.25")
        #expect(SVGFormat.number(.nan) == "0")
        #expect(SVGFormat.number(.infinity) == "0")
        #expect(SVGFormat.number(1e20) == "100000000000000000000")
    }

    @Test func bandScale() {
        let bands = BandScale(categories: ["a", "b", "c", "d"], range: (0, 100), padding: 0.2)
        #expect(bands.step == 25)
        #expect(bands.bandwidth == 20)
        #expect(bands.start(0) == 2.5)
        #expect(bands.center(3) == 87.5)
        #expect(BandScale(categories: [], range: (0, 100)).bandwidth == 0)
    }

    func day(_ y: Int, _ m: Int, _ d: Int) -> Double { Double(CalendarDay(year: y, month: m, day: d)!.daysSince1970) * 86_400 }

    /// The charts count days as `CalendarDay` does (the model's one civil-date type).
    @Test func civilDates() {
        #expect(CalendarDay(year: 2028, month: 2, day: 29)!.daysSince1970 == 21_243)
        #expect(CalendarDay(daysSince1970: 21_243) == CalendarDay(year: 2028, month: 2, day: 29))
        #expect(CalendarDay(daysSince1970: 21_244) == CalendarDay(year: 2028, month: 3, day: 1))
        #expect(CalendarDay(daysSince1970: 0).weekday == 4)
        #expect(CalendarDay(daysSince1970: -1).iso8601 == "1969-12-31")
        #expect(CalendarDay.dayNumber(secondsSince1970: -1) == -1)
        #expect(CalendarDay.dayNumber(secondsSince1970: .nan) == 0)
        #expect(CalendarDay(daysSince1970: 0).monthAbbreviation == "Jan")
    }

    @Test func timeTicksOnDayWeekMonthQuarterYear() {
        let days = TimeScale(domain: (day(2026, 3, 1), day(2026, 3, 5)), range: (0, 400)).ticks(maxCount: 7)
        #expect(days.map(\.label) == ["1 Mar 2026", "2 Mar", "3 Mar", "4 Mar", "5 Mar"])
        let weeks = TimeScale(domain: (day(2026, 3, 1), day(2026, 4, 10)), range: (0, 400)).ticks(maxCount: 7)
        #expect(weeks.map(\.label) == ["2 Mar 2026", "9 Mar", "16 Mar", "23 Mar", "30 Mar", "6 Apr"])
        #expect(weeks.allSatisfy { CalendarDay(daysSince1970: Int($0.value / 86_400)).weekday == 1 })
        let months = TimeScale(domain: (day(2025, 11, 15), day(2026, 4, 20)), range: (0, 400)).ticks(maxCount: 7)
        #expect(months.map(\.label) == ["Dec 2025", "Jan 2026", "Feb", "Mar", "Apr"])
        let quarters = TimeScale(domain: (day(2025, 1, 10), day(2026, 6, 1)), range: (0, 400)).ticks(maxCount: 7)
        #expect(quarters.map(\.label) == ["Q2 2025", "Q3 2025", "Q4 2025", "Q1 2026", "Q2 2026"])
        let years = TimeScale(domain: (day(2000, 6, 1), day(2030, 1, 1)), range: (0, 400)).ticks(maxCount: 7)
        #expect(years.map(\.label) == ["2005", "2010", "2015", "2020", "2025", "2030"])
    }

    @Test func timeTicksAcrossALeapFebruary() {
        let ticks = TimeScale(domain: (day(2028, 2, 27), day(2028, 3, 2)), range: (0, 100)).ticks(maxCount: 7)
        #expect(ticks.map(\.label) == ["27 Feb 2028", "28 Feb", "29 Feb", "1 Mar", "2 Mar"])
    }

    @Test func degenerateTimeScales() {
        let single = TimeScale(covering: [day(2026, 1, 1)], range: (0, 100))
        #expect(single.position(day(2026, 1, 1)) == 50)
        #expect(!single.ticks().isEmpty)
        let empty = TimeScale(covering: [], range: (0, 100))
        #expect(!empty.ticks().isEmpty)
        let nan = TimeScale(domain: (.nan, .infinity), range: (0, 100))
        #expect(nan.position(0).isFinite)
        let huge = TimeScale(domain: (-1e12, 1e12), range: (0, 100))
        #expect(huge.ticks(maxCount: 7).count <= 7)
    }
}
