import DrillbookModel
import Testing

/// The package's one number formatter: people's figures (`value`, `duration`, `number`), chart
/// labels (`compact`) and machine decimals (`fixed`: SVG coordinates, JUnit times).
@Suite("Metric format")
struct MetricFormatTests {
    @Test func compactLabelsAbbreviateFromTenThousand() {
        #expect(MetricFormat.compact(2e-6, decimals: 6) == "0.000002")
        #expect(MetricFormat.compact(6e8) == "600M")
        #expect(MetricFormat.compact(1e9) == "1G")
        #expect(MetricFormat.compact(12_500) == "12.5k")
        #expect(MetricFormat.compact(9_999) == "9999")
        #expect(MetricFormat.compact(-3.5) == "−3.5")
        #expect(MetricFormat.compact(-0.001) == "0")
        #expect(MetricFormat.compact(.nan) == "–")
    }

    @Test func fixedDecimalsAreMachineReadable() {
        #expect(MetricFormat.fixed(0.1 + 0.2, decimals: 9) == "0.3")
        #expect(MetricFormat.fixed(12_345.678, decimals: 2) == "12345.68")
        #expect(MetricFormat.fixed(-2.25, decimals: 2) == "-2.25")
        #expect(MetricFormat.fixed(-0.001, decimals: 2) == "0")
        #expect(MetricFormat.fixed(.infinity, decimals: 2) == "0")
        #expect(MetricFormat.fixed(1e20, decimals: 2) == "100000000000000000000")
    }

    /// The figures people read group thousands and use a typographic minus; `fixed` does neither.
    @Test func peopleAndMachinesGetTheirOwnForm() {
        #expect(MetricFormat.number(12_345.5) == "12,345.5")
        #expect(MetricFormat.number(-2.25) == "−2.25")
        #expect(MetricFormat.value(2, unit: "s") == "2 s")
        #expect(MetricFormat.value(0.5, unit: "s") == "0.5 s")
    }
}
