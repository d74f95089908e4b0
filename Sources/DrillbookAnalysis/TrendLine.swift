/// Whether a series is getting better, staying the same or getting worse.
public enum TrendDirection: String, Sendable, Hashable, CaseIterable {
    case improving
    case flat
    case worsening
    /// Fewer than `TrendLine.minimumSampleCount` points, or all on the same instant.
    case insufficientData = "insufficient-data"

    /// `Improving`, `Flat`, `Worsening`, `Not enough data`.
    public var title: String {
        switch self {
        case .improving: "Improving"
        case .flat: "Flat"
        case .worsening: "Worsening"
        case .insufficientData: "Not enough data"
        }
    }
}

/// A least-squares line through a metric over time, and what it means.
///
/// - x is time in **quarters**: seconds since 1970 of each run's start ÷ 86,400 ÷ 91.3125
///   (91.3125 = 365.25 / 4 days), measured from the first point so numbers stay small.
/// - `slopePerQuarter` is the change of the metric (in its own unit, seconds for recovery) per quarter.
/// - `relativeChangePerQuarter` is `slopePerQuarter / mean`; nil when the mean is 0.
/// - The direction is **flat** while `|relativeChangePerQuarter| ≤ flatBand` (5 % per quarter), or
///   when both slope and mean are 0. Outside the band, a falling line is **improving** when smaller
///   values are better (recovery and detection times) and **worsening** otherwise.
/// - Fewer than three points give `insufficientData` (the slope is still reported from two).
public struct TrendLine: Sendable, Hashable {
    /// Points the line was fitted to.
    public var sampleCount: Int
    /// Change per quarter, in the metric's unit; nil with fewer than two distinct instants.
    public var slopePerQuarter: Double?
    /// The fitted value at the first point.
    public var intercept: Double?
    /// Mean of the values.
    public var mean: Double?
    /// `slopePerQuarter / mean`, e.g. -0.12 = 12 % faster per quarter.
    public var relativeChangePerQuarter: Double?
    public var direction: TrendDirection

    /// Relative change per quarter within which the trend counts as flat.
    public static let flatBand = 0.05
    /// Points needed before a direction is given.
    public static let minimumSampleCount = 3
    /// Days per quarter used for x.
    public static let daysPerQuarter = 91.3125

    public init(
        sampleCount: Int, slopePerQuarter: Double?, intercept: Double?, mean: Double?,
        relativeChangePerQuarter: Double?, direction: TrendDirection
    ) {
        self.sampleCount = sampleCount
        self.slopePerQuarter = slopePerQuarter
        self.intercept = intercept
        self.mean = mean
        self.relativeChangePerQuarter = relativeChangePerQuarter
        self.direction = direction
    }

    /// Fits a line through `(secondsSince1970, value)` points. Non-finite points are dropped.
    public init(points: [(secondsSince1970: Double, value: Double)], smallerIsBetter: Bool = true) {
        let finite = points.filter { $0.secondsSince1970.isFinite && $0.value.isFinite }
        let n = finite.count
        guard n > 0 else {
            self.init(
                sampleCount: 0, slopePerQuarter: nil, intercept: nil, mean: nil, relativeChangePerQuarter: nil,
                direction: .insufficientData)
            return
        }
        let origin = finite.map(\.secondsSince1970).min()!
        let xs = finite.map { ($0.secondsSince1970 - origin) / 86_400 / Self.daysPerQuarter }
        let ys = finite.map(\.value)
        let meanX = xs.reduce(0, +) / Double(n)
        let meanY = ys.reduce(0, +) / Double(n)
        var sxx = 0.0
        var sxy = 0.0
        for index in 0..<n {
            sxx += (xs[index] - meanX) * (xs[index] - meanX)
            sxy += (xs[index] - meanX) * (ys[index] - meanY)
        }
        guard n >= 2, sxx > 0 else {
            self.init(
                sampleCount: n, slopePerQuarter: nil, intercept: nil, mean: meanY, relativeChangePerQuarter: nil,
                direction: .insufficientData)
            return
        }
        let slope = sxy / sxx
        let relative: Double? = meanY != 0 ? slope / abs(meanY) : nil
        let direction: TrendDirection
        if n < Self.minimumSampleCount {
            direction = .insufficientData
        } else if let relative {
            if abs(relative) <= Self.flatBand {
                direction = .flat
            } else {
                direction = (relative < 0) == smallerIsBetter ? .improving : .worsening
            }
        } else {
            direction = slope == 0 ? .flat : ((slope < 0) == smallerIsBetter ? .improving : .worsening)
        }
        self.init(
            sampleCount: n, slopePerQuarter: slope, intercept: meanY - slope * meanX, mean: meanY,
            relativeChangePerQuarter: relative, direction: direction)
    }
}
