/// Maps a numeric domain onto a pixel range, with "nice" 1-2-5 ticks.
///
/// A degenerate domain (empty data, one value, all values equal) is widened so that positions are
/// always finite: around 0 to `0…1`, otherwise by half the value on each side.
public struct LinearScale: Sendable, Hashable {
    public var domainLower: Double
    public var domainUpper: Double
    public var rangeLower: Double
    public var rangeUpper: Double

    /// A scale from `domain` to `range` (the range may be reversed, e.g. y from bottom to top).
    public init(domain: (Double, Double), range: (Double, Double)) {
        var lower = domain.0.isFinite ? domain.0 : 0
        var upper = domain.1.isFinite ? domain.1 : 0
        if lower > upper { swap(&lower, &upper) }
        if lower == upper {
            if lower == 0 {
                upper = 1
            } else {
                let half = abs(lower) / 2
                lower -= half
                upper += half
            }
        }
        domainLower = lower
        domainUpper = upper
        rangeLower = range.0.isFinite ? range.0 : 0
        rangeUpper = range.1.isFinite ? range.1 : 0
    }

    /// A scale covering the finite `values` (plus 0 when `includingZero`), widened to nice tick bounds.
    public init(covering values: [Double], includingZero: Bool, range: (Double, Double), tickCount: Int = 5) {
        var finite = values.filter(\.isFinite)
        if includingZero { finite.append(0) }
        let lower = finite.min() ?? 0
        let upper = finite.max() ?? 1
        let raw = LinearScale(domain: (lower, upper), range: range)
        let step = Self.niceStep(lower: raw.domainLower, upper: raw.domainUpper, count: tickCount)
        let niceLower = (raw.domainLower / step + 1e-9).rounded(.down) * step
        let niceUpper = (raw.domainUpper / step - 1e-9).rounded(.up) * step
        self.init(domain: (Self.clean(niceLower, step: step), Self.clean(niceUpper, step: step)), range: range)
    }

    /// The position of `value`; values outside the domain extrapolate. Non-finite values map to the range start.
    public func position(_ value: Double) -> Double {
        guard value.isFinite else { return rangeLower }
        let t = (value - domainLower) / (domainUpper - domainLower)
        let result = rangeLower + t * (rangeUpper - rangeLower)
        return result.isFinite ? result : rangeLower
    }

    /// Nice ticks inside the domain, about `count` of them.
    public func ticks(count: Int = 5) -> [Double] { Self.ticks(lower: domainLower, upper: domainUpper, count: count) }

    /// The tick step for `ticks(count:)`.
    public func tickStep(count: Int = 5) -> Double { Self.niceStep(lower: domainLower, upper: domainUpper, count: count) }

    /// Decimals needed to print ticks of `step` exactly (0 for steps ≥ 1, at most 9).
    public static func decimals(forStep step: Double) -> Int {
        guard step.isFinite, step > 0, step < 1 else { return 0 }
        var decimals = 0
        var scaled = step
        while decimals < 9 && abs(scaled - scaled.rounded()) > 1e-9 * max(1, scaled) {
            scaled *= 10
            decimals += 1
        }
        return decimals
    }

    /// A 1-2-5 step so that about `count` steps cover `lower…upper`.
    public static func niceStep(lower: Double, upper: Double, count: Int) -> Double {
        let span = upper - lower
        guard span.isFinite, span > 0 else { return 1 }
        let raw = span / Double(max(1, count))
        guard raw.isFinite, raw > 0 else { return 1 }
        // Powers of ten are parsed from text ("1e-7") so they are the nearest doubles, not products
        // that drift; the same holds for the chosen step ("5e-7").
        let exponent = raw.log10Floor
        let magnitude = Self.powerOfTen(exponent)
        let residual = raw / magnitude
        let nice = residual <= 1 + 1e-9 ? 1 : residual <= 2 + 1e-9 ? 2 : residual <= 5 + 1e-9 ? 5 : 10
        return Double(String(nice) + "e" + String(exponent)) ?? Double(nice) * magnitude
    }

    static func powerOfTen(_ exponent: Int) -> Double { Double("1e" + String(exponent)) ?? 1 }

    /// Multiples of the nice step between `lower` and `upper` (inclusive), at most 1,000.
    public static func ticks(lower: Double, upper: Double, count: Int) -> [Double] {
        guard lower.isFinite, upper.isFinite, lower <= upper else { return [] }
        if lower == upper { return [clean(lower, step: 1)] }
        let step = niceStep(lower: lower, upper: upper, count: count)
        let first = (lower / step - 1e-9).rounded(.up)
        let last = (upper / step + 1e-9).rounded(.down)
        guard first <= last else { return [] }
        var result: [Double] = []
        var index = first
        while index <= last && result.count < 1000 {
            result.append(clean(index * step, step: step))
            index += 1
        }
        return result
    }

    /// Rounds away floating-point noise (`0.30000000000000004` → `0.3`) and `-0`.
    static func clean(_ value: Double, step: Double) -> Double {
        let decimals = decimals(forStep: step)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        return rounded == 0 ? 0 : rounded
    }
}

extension Double {
    /// ⌊log10(self)⌋ for positive finite values, without Foundation.
    var log10Floor: Int {
        guard isFinite, self > 0 else { return 0 }
        var exponent = 0
        while exponent < 400 && LinearScale.powerOfTen(exponent + 1) <= self { exponent += 1 }
        while exponent > -400 && LinearScale.powerOfTen(exponent) > self { exponent -= 1 }
        return exponent
    }
}

/// Evenly spaced bands for categories (bars per month or quarter).
public struct BandScale: Sendable, Hashable {
    public var categories: [String]
    public var rangeLower: Double
    public var rangeUpper: Double
    /// Share of each step left empty between bands (0–0.9).
    public var padding: Double

    public init(categories: [String], range: (Double, Double), padding: Double = 0.2) {
        self.categories = categories
        rangeLower = range.0
        rangeUpper = range.1
        self.padding = min(max(padding, 0), 0.9)
    }

    /// Distance from one band's start to the next.
    public var step: Double { categories.isEmpty ? 0 : (rangeUpper - rangeLower) / Double(categories.count) }
    /// Width of one band.
    public var bandwidth: Double { step * (1 - padding) }
    /// Start of band `index`.
    public func start(_ index: Int) -> Double { rangeLower + step * Double(index) + step * padding / 2 }
    /// Centre of band `index`.
    public func center(_ index: Int) -> Double { start(index) + bandwidth / 2 }
}
