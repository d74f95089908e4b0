/// Text widths for chart layout, from the advance widths of DejaVu Sans (Book), the font Chromium and
/// most Linux desktops fall back to for the theme's `system-ui, …, sans-serif` stack. DejaVu Sans is
/// wider than Segoe UI, Roboto, Helvetica and Arial, so text laid out to fit it fits them too: legends
/// and axis labels measured here never collide in any of the stack's fonts.
///
/// The table holds the advance widths (in font units, 2048 per em) of the printable ASCII characters
/// U+0020…U+007E, read from `DejaVuSans.ttf` (`hmtx` table); a few other characters charts print are
/// listed in `otherWidths`, and anything else counts as a full em (as wide as the widest glyphs,
/// CJK included), so a label is never measured narrower than it draws.
public enum TextMetrics {
    static let unitsPerEm = 2048.0

    /// Advance widths of U+0020 (space) … U+007E (`~`).
    static let asciiWidths: [Int] = [
        651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690,
        1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087,
        2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612,
        1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024,
        1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253,
        1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,
    ]

    /// Characters outside ASCII that chart labels use (dashes, arrows, comparison signs, no-break space).
    static let otherWidths: [Unicode.Scalar: Int] = [
        "\u{00A0}": 651, "\u{00B7}": 651, "\u{00E9}": 1260, "\u{2013}": 1024, "\u{2014}": 2048, "\u{2026}": 2048,
        "\u{2192}": 1716, "\u{2212}": 1716, "\u{2264}": 1716, "\u{2265}": 1716, "\u{00D7}": 1716,
        "\u{25B2}": 1575, "\u{25BC}": 1575,
    ]

    /// A full em, used for characters not in the tables.
    static let fallbackWidth = 2048

    /// The width of `text` in CSS px at `fontSize` px, as DejaVu Sans draws it (no kerning, which only
    /// ever narrows text).
    public static func width(_ text: String, fontSize: Double = 12) -> Double {
        var units = 0
        for scalar in text.unicodeScalars {
            let value = Int(scalar.value)
            if value >= 0x20 && value <= 0x7E {
                units += asciiWidths[value - 0x20]
            } else if let width = otherWidths[scalar] {
                units += width
            } else if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .format {
                continue
            } else {
                units += fallbackWidth
            }
        }
        return Double(units) / unitsPerEm * fontSize
    }
}
