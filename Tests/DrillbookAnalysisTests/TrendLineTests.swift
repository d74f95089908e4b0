import DrillbookAnalysis
import Testing

@Suite struct TrendLineTests {
    /// One quarter in seconds, as the trend measures it.
    let quarter = 91.3125 * 86_400

    @Test func fallingRecoveryTimesAreImproving() {
        // 40, 30, 20 s one quarter apart: slope -10 s/quarter, mean 30, relative -1/3.
        let line = TrendLine(points: [(0, 40), (quarter, 30), (2 * quarter, 20)])
        #expect(line.sampleCount == 3)
        #expect(abs(line.slopePerQuarter! + 10) < 1e-9)
        #expect(abs(line.intercept! - 40) < 1e-9)
        #expect(abs(line.relativeChangePerQuarter! + 1.0 / 3.0) < 1e-9)
        #expect(line.direction == .improving)
    }

    @Test func risingTimesAreWorseningAndLargerIsBetterFlips() {
        let points: [(secondsSince1970: Double, value: Double)] = [(0, 20), (quarter, 30), (2 * quarter, 40)]
        #expect(TrendLine(points: points).direction == .worsening)
        #expect(TrendLine(points: points, smallerIsBetter: false).direction == .improving)
    }

    @Test func changesWithinFivePercentAreFlat() {
        // slope 1 s per quarter on a mean of 100 s: 1 % per quarter.
        let line = TrendLine(points: [(0, 99), (quarter, 100), (2 * quarter, 101)])
        #expect(line.direction == .flat)
    }

    @Test func allEqualValuesAreFlat() {
        let line = TrendLine(points: [(0, 12), (quarter, 12), (5 * quarter, 12)])
        #expect(line.slopePerQuarter == 0)
        #expect(line.direction == .flat)
        let zeros = TrendLine(points: [(0, 0), (quarter, 0), (2 * quarter, 0)])
        #expect(zeros.relativeChangePerQuarter == nil)
        #expect(zeros.direction == .flat)
    }

    @Test func tooFewPointsGiveNoDirection() {
        #expect(TrendLine(points: []).direction == .insufficientData)
        #expect(TrendLine(points: []).slopePerQuarter == nil)
        let one = TrendLine(points: [(0, 5)])
        #expect(one.direction == .insufficientData)
        #expect(one.mean == 5)
        let two = TrendLine(points: [(0, 10), (quarter, 20)])
        #expect(two.direction == .insufficientData)
        #expect(abs(two.slopePerQuarter! - 10) < 1e-9)
        let sameInstant = TrendLine(points: [(0, 10), (0, 20), (0, 30)])
        #expect(sameInstant.slopePerQuarter == nil)
        #expect(sameInstant.direction == .insufficientData)
    }

    @Test func nonFinitePointsAreDropped() {
        let line = TrendLine(points: [(0, 40), (quarter, .nan), (2 * quarter, 20), (3 * quarter, .infinity), (4 * quarter, 0)])
        #expect(line.sampleCount == 3)
        #expect(line.direction == .improving)
    }
}
