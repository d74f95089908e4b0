import DrillbookModel
import DrillbookText

/// Colours of every chart, as CSS custom properties with fallbacks, so a theme can restyle charts
/// from its stylesheet without touching the SVG.
///
/// The series hues are Okabe–Ito's (safe for colour-blind readers), with orange, sky blue and yellow
/// darkened so every series has at least 3:1 contrast against a white and a dark (`#171d24`)
/// background (WCAG 1.4.11 for graphics): blue 5.19 / 3.27, amber 3.70 / 4.59, green 3.42 / 4.96,
/// purple 3.06 / 5.54, sky 3.85 / 4.40, vermillion 3.87 / 4.39, olive 3.43 / 4.95, black 21 / —
/// (a dark theme sets `--chart-8` to a light colour).
///
/// | variable | used for | fallback |
/// | --- | --- | --- |
/// | `--chart-1` … `--chart-8` | series, in order | `#0072B2` blue, `#B87700` amber, `#009E73` green, `#CC79A7` purple, `#3A87C5` sky, `#D55E00` vermillion, `#9A8C00` olive, `#000000` black |
/// | `--chart-text` | labels | `#222222` |
/// | `--chart-axis` | axis lines | `#555555` |
/// | `--chart-grid` | grid lines | `#dddddd` |
/// | `--chart-target` | target lines (dashed) | `#333333` |
/// | `--chart-pass` | pass markers (circles) | `#009E73` |
/// | `--chart-fail` | fail markers (crosses) | `#D55E00` |
/// | `--chart-surface` | marker outlines, heatmap gaps | `#ffffff` |
/// | `--chart-heat-0` … `--chart-heat-4` | heatmap levels | `#ebedf0`, `#c6dbef`, `#6baed6`, `#2171b5`, `#08306b` |
///
/// A series may instead name its own variable (`ChartColor`), e.g. a severity colour the theme also
/// gives its badges. Every element also carries a class (`series-1`, `target`, `marker-pass`, `heat-2`, …).
public enum ChartPalette {
    static let series = ["#0072B2", "#B87700", "#009E73", "#CC79A7", "#3A87C5", "#D55E00", "#9A8C00", "#000000"]
    static let heat = ["#ebedf0", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]

    /// `var(--chart-N, #hex)` for series `index` (0-based; wraps after eight).
    public static func seriesColor(_ index: Int) -> String {
        let slot = ((index % series.count) + series.count) % series.count
        return "var(--chart-" + String(slot + 1) + ", " + series[slot] + ")"
    }

    /// The colour of series `index`: its own `ChartColor` when it has one, else the palette's.
    static func seriesColor(_ index: Int, _ color: ChartColor?) -> String {
        color?.css ?? seriesColor(index)
    }

    /// `var(--chart-heat-N, #hex)` for heat level 0–4.
    public static func heatColor(_ level: Int) -> String {
        let slot = min(max(level, 0), heat.count - 1)
        return "var(--chart-heat-" + String(slot) + ", " + heat[slot] + ")"
    }

    static let text = "var(--chart-text, #222222)"
    static let axis = "var(--chart-axis, #555555)"
    static let grid = "var(--chart-grid, #dddddd)"
    static let target = "var(--chart-target, #333333)"
    static let pass = "var(--chart-pass, #009E73)"
    static let fail = "var(--chart-fail, #D55E00)"
    static let surface = "var(--chart-surface, #ffffff)"
}

/// A series colour named by the theme: the CSS custom property `--<variable>` with a fallback for
/// renderers without the stylesheet, e.g. `ChartColor(variable: "severity-p1", fallback: "#D55E00")`.
public struct ChartColor: Sendable, Hashable {
    /// The property name without `--`; only `a-z`, `0-9` and `-` are kept.
    public var variable: String
    /// A `#rrggbb` colour; anything else is replaced by the first series colour.
    public var fallback: String

    public init(variable: String, fallback: String) {
        self.variable = String(variable.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" })
        let hex = fallback.dropFirst()
        let isHex = fallback.hasPrefix("#") && hex.count == 6 && hex.allSatisfy(\.isHexDigit)
        self.fallback = isHex ? fallback : ChartPalette.series[0]
    }

    /// `var(--severity-p1, #D55E00)`.
    var css: String { variable.isEmpty ? fallback : "var(--" + variable + ", " + fallback + ")" }
}

/// What every chart offers: an accessible SVG and the same data as an HTML table.
public protocol SVGChart: Sendable {
    /// Short title, also the `<title>` of the SVG and the table caption.
    var title: String { get }
    /// A sentence for screen readers (`<desc>`).
    var summary: String { get }
    /// The SVG document (no XML declaration, so it can be inlined in HTML).
    func svg() -> String
    /// The data as `<table>` with a caption and `th scope` headers, all text escaped.
    func dataTableHTML() -> String
}

/// A chart drawn at any size: its layout (legend rows, tick spacing, label thinning) follows the
/// width it is given, so the same data can be drawn narrow for phones and wide for larger screens.
public protocol ResizableChart: SVGChart {
    /// Unique among the charts of a page (`aria-labelledby` ids are made from it).
    var id: String { get set }
    var width: Double { get set }
    var height: Double { get set }
}

extension ResizableChart {
    /// The same chart drawn at `width` × `height` (at least 160 × 120), with `-suffix` on its id so
    /// both drawings can share a page.
    public func resized(width: Double, height: Double, idSuffix suffix: String) -> Self {
        var copy = self
        (copy.width, copy.height) = SVGFormat.chartSize(width: width, height: height)
        copy.id = id + "-" + SVGFormat.identifier(suffix).dropFirst("chart-".count)
        return copy
    }
}

/// Appends well-formed SVG: element and attribute names are fixed by the callers; every value and
/// text is escaped here.
struct SVGWriter {
    private(set) var output = ""

    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        output += "<"
        output += name
        Self.append(attributes, to: &output)
        output += ">"
    }

    mutating func close(_ name: String) { output += "</" + name + ">" }

    mutating func element(_ name: String, _ attributes: [(String, String)], text: String? = nil) {
        output += "<"
        output += name
        Self.append(attributes, to: &output)
        if let text {
            output += ">"
            output += MarkupText.escape(text)
            output += "</"
            output += name
            output += ">"
        } else {
            output += "/>"
        }
    }

    mutating func newline() { output += "\n" }

    /// Writes attributes; a `style` of paint declarations (`fill:var(--chart-1, #0072B2)`) is preceded
    /// by the matching presentation attributes with the fallback colour (`fill="#0072B2"`), so renderers
    /// without CSS custom properties (librsvg, some print paths) still show the Okabe–Ito colours.
    static func attributes(_ pairs: [(String, String)]) -> String {
        var result = ""
        append(pairs, to: &result)
        return result
    }

    /// Appends what `attributes` returns to `result`, without making a string per attribute.
    static func append(_ pairs: [(String, String)], to result: inout String) {
        for (name, value) in pairs {
            if name == "style" {
                for declaration in value.split(separator: ";") {
                    guard let (property, paint) = paintDeclaration(declaration) else { continue }
                    result += " "
                    result += property
                    result += "=\""
                    result += MarkupText.escape(String(fallback(paint)))
                    result += "\""
                }
            }
            result += " "
            result += name
            result += "=\""
            result += MarkupText.escape(value)
            result += "\""
        }
    }

    /// The property and value of a `fill`, `stroke` or `color` declaration, as
    /// `split(separator: ":", maxSplits: 1)` cuts it (a declaration that starts with `:` goes
    /// through that split itself); nil for any other declaration.
    static func paintDeclaration(_ declaration: Substring) -> (Substring, Substring)? {
        guard let colon = declaration.firstIndex(of: ":") else { return nil }
        if colon == declaration.startIndex {
            let parts = declaration.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0] == "fill" || parts[0] == "stroke" || parts[0] == "color" else { return nil }
            return (parts[0], parts[1])
        }
        let property = declaration[..<colon]
        let value = declaration[declaration.index(after: colon)...]
        guard !value.isEmpty, property == "fill" || property == "stroke" || property == "color" else { return nil }
        return (property, value)
    }

    /// `#0072B2` from `var(--chart-1, #0072B2)`; other values unchanged.
    static func fallback(_ value: String) -> String { String(fallback(Substring(value))) }

    static func fallback(_ value: Substring) -> Substring {
        guard value.hasPrefix("var("), let comma = value.firstIndex(of: ",") else { return value }
        return value[value.index(after: comma)...].drop { $0 == " " }.prefix { $0 != ")" }
    }

    /// The root element with accessibility wiring; `body` draws inside it.
    static func document(
        id: String, title: String, summary: String, width: Double, height: Double, className: String,
        body: (inout SVGWriter) -> Void
    ) -> String {
        var writer = SVGWriter()
        writer.open(
            "svg",
            [
                ("xmlns", "http://www.w3.org/2000/svg"), ("viewBox", "0 0 " + n(width) + " " + n(height)),
                ("width", "100%"), ("role", "img"), ("aria-labelledby", id + "-title " + id + "-desc"),
                ("class", "drillbook-chart " + className), ("font-family", "inherit"), ("font-size", "12"),
                ("style", "max-width:" + n(width) + "px;height:auto;color:" + ChartPalette.text),
            ])
        writer.newline()
        writer.element("title", [("id", id + "-title")], text: title)
        writer.newline()
        writer.element("desc", [("id", id + "-desc")], text: summary)
        writer.newline()
        body(&writer)
        writer.close("svg")
        writer.newline()
        return writer.output
    }

    // Shapes.

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, className: String, width: Double = 1, dash: String? = nil) {
        var attributes: [(String, String)] = [
            ("class", className), ("x1", n(x1)), ("y1", n(y1)), ("x2", n(x2)), ("y2", n(y2)),
            ("style", "stroke:" + stroke), ("stroke-width", n(width)),
        ]
        if let dash { attributes.append(("stroke-dasharray", dash)) }
        element("line", attributes)
    }

    mutating func text(_ content: String, x: Double, y: Double, anchor: String = "start", className: String = "label", extra: [(String, String)] = []) {
        element(
            "text",
            [("class", className), ("x", n(x)), ("y", n(y)), ("text-anchor", anchor), ("style", "fill:" + ChartPalette.text)]
                + extra, text: content)
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, className: String, tooltip: String? = nil) {
        let attributes: [(String, String)] = [
            ("class", className), ("x", n(x)), ("y", n(y)), ("width", n(max(0, width))), ("height", n(max(0, height))),
            ("style", "fill:" + fill),
        ]
        if let tooltip {
            open("rect", attributes)
            element("title", [], text: tooltip)
            close("rect")
        } else {
            element("rect", attributes)
        }
    }

    /// A pass marker (filled circle), a fail marker (cross) or a neutral dot, with a tooltip.
    mutating func marker(_ status: PointStatus, x: Double, y: Double, color: String, tooltip: String, neutralRadius: Double = 3.5) {
        switch status {
        case .pass:
            open("circle", [("class", "marker-pass"), ("cx", n(x)), ("cy", n(y)), ("r", "5"), ("style", "fill:" + ChartPalette.pass + ";stroke:" + ChartPalette.surface), ("stroke-width", "1.5")])
        case .fail:
            let d = "M" + n(x - 5) + " " + n(y - 5) + "L" + n(x + 5) + " " + n(y + 5) + "M" + n(x - 5) + " " + n(y + 5) + "L" + n(x + 5) + " " + n(y - 5)
            open("path", [("class", "marker-fail"), ("d", d), ("style", "fill:none;stroke:" + ChartPalette.fail), ("stroke-width", "2.5"), ("stroke-linecap", "round")])
        case .neutral:
            open("circle", [("class", "marker"), ("cx", n(x)), ("cy", n(y)), ("r", n(neutralRadius)), ("style", "fill:" + color + ";stroke:" + ChartPalette.surface), ("stroke-width", "1")])
        }
        element("title", [], text: tooltip)
        close(status == .fail ? "path" : "circle")
    }

    /// A ring in a series' colour around a point, telling apart scatter series whose markers carry
    /// a verdict (shape and colour of pass or fail) rather than the series colour.
    mutating func ring(x: Double, y: Double, color: String, tooltip: String? = nil) {
        let attributes = [("class", "marker-ring"), ("cx", n(x)), ("cy", n(y)), ("r", "8"), ("style", "fill:none;stroke:" + color), ("stroke-width", "2")]
        guard let tooltip else { return element("circle", attributes) }
        open("circle", attributes)
        element("title", [], text: tooltip)
        close("circle")
    }

    /// A legend laid out in rows from `(x, y)` within `maxWidth`; returns the height used.
    ///
    /// Each entry is a swatch and its label, measured with `TextMetrics` (the widest font of the
    /// theme's stack), with a 16 px gap before the next entry; an entry that does not fit starts a new
    /// row, and a label wider than a whole row is shortened with `…` (the data table has it in full),
    /// so no two entries ever overlap and none runs past the chart.
    @discardableResult
    mutating func legend(_ items: [LegendItem], x: Double, y: Double, maxWidth: Double) -> Double {
        guard !items.isEmpty else { return 0 }
        open("g", [("class", "legend")])
        var cursorX = x
        var cursorY = y
        for item in items {
            let label = Self.shortened(item.label, toWidth: maxWidth - Self.legendSwatchWidth)
            let width = Self.legendSwatchWidth + estimatedWidth(label)
            if cursorX > x && cursorX + width > x + maxWidth {
                cursorX = x
                cursorY += Self.legendRowHeight
            }
            switch item.swatch {
            case .line(let color, let dash):
                line(cursorX, cursorY - 4, cursorX + 16, cursorY - 4, stroke: color, className: "legend-line", width: 2, dash: dash)
            case .box(let color):
                rect(x: cursorX + 2, y: cursorY - 10, width: 12, height: 12, fill: color, className: "legend-box")
            case .marker(let status, let color):
                marker(status, x: cursorX + 8, y: cursorY - 4, color: color, tooltip: item.label)
            case .ring(let color):
                ring(x: cursorX + 8, y: cursorY - 4, color: color, tooltip: item.label)
            }
            text(label, x: cursorX + Self.legendSwatchWidth, y: cursorY)
            cursorX += width + Self.legendGap
        }
        close("g")
        return cursorY - y + Self.legendRowHeight
    }

    /// Room for a legend swatch and the space after it.
    static let legendSwatchWidth = 22.0
    /// Space between the end of one legend label and the next swatch.
    static let legendGap = 16.0
    /// Distance between the baselines of two legend rows.
    static let legendRowHeight = 18.0

    /// `text`, or as much of it as fits `width` (12 px) followed by `…`.
    static func shortened(_ text: String, toWidth width: Double) -> String {
        guard TextMetrics.width(text) > width else { return text }
        var characters = Array(text)
        while !characters.isEmpty && TextMetrics.width(String(characters) + "…") > width { characters.removeLast() }
        return String(characters) + "…"
    }

    /// The width of a 12 px label as the widest font of the theme's stack draws it (`TextMetrics`).
    func estimatedWidth(_ text: String) -> Double { TextMetrics.width(text, fontSize: 12) }
}

/// A legend entry.
struct LegendItem {
    enum Swatch {
        case line(String, dash: String?)
        case box(String)
        case marker(PointStatus, String)
        /// The ring drawn around the points of one of several scatter series.
        case ring(String)
    }

    var label: String
    var swatch: Swatch
}

/// Whether a point passed, failed, or carries no verdict. Shown by marker **shape** (circle, cross,
/// small dot), not by colour alone.
public enum PointStatus: String, Sendable, Hashable {
    case pass
    case fail
    case neutral
}

/// A horizontal reference line, e.g. a recovery target.
public struct TargetLine: Sendable, Hashable {
    public var value: Double
    /// Legend text, e.g. `Target ≤ 30 s`.
    public var label: String

    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// Builds the HTML data table every chart offers.
enum DataTable {
    static func html(caption: String, columns: [String], rows: [(header: String, cells: [String])]) -> String {
        var html = "<table class=\"chart-data\">\n<caption>" + MarkupText.escape(caption) + "</caption>\n<thead><tr>"
        for column in columns { html += "<th scope=\"col\">" + MarkupText.escape(column) + "</th>" }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr><th scope=\"row\">" + MarkupText.escape(row.header) + "</th>"
            for cell in row.cells { html += "<td>" + MarkupText.escape(cell) + "</td>" }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        return html
    }
}

/// Shorthand for coordinates.
func n(_ value: Double) -> String { SVGFormat.number(value) }

/// The plot area inside the margins.
struct PlotArea {
    var left: Double
    var top: Double
    var right: Double
    var bottom: Double
    var width: Double { right - left }
    var height: Double { bottom - top }
}

extension SVGWriter {
    /// Horizontal grid lines with tick labels on the left, and the rotated y axis title.
    mutating func yAxis(scale: LinearScale, ticks: [Double], decimals: Int, area: PlotArea, title: String) {
        open("g", [("class", "axis axis-y")])
        for tick in ticks {
            let y = scale.position(tick)
            line(area.left, y, area.right, y, stroke: tick == 0 ? ChartPalette.axis : ChartPalette.grid, className: tick == 0 ? "baseline" : "grid")
            text(MetricFormat.compact(tick, decimals: decimals), x: area.left - 6, y: y + 4, anchor: "end", className: "tick")
        }
        let middle = (area.top + area.bottom) / 2
        text(title, x: 14, y: middle, anchor: "middle", className: "axis-title", extra: [("transform", "rotate(-90 14 " + n(middle) + ")")])
        close("g")
    }

    /// The x axis line and labels at `positions`.
    mutating func xAxis(labels: [(x: Double, label: String)], area: PlotArea, title: String?) {
        open("g", [("class", "axis axis-x")])
        line(area.left, area.bottom, area.right, area.bottom, stroke: ChartPalette.axis, className: "axis-line")
        for label in labels {
            line(label.x, area.bottom, label.x, area.bottom + 4, stroke: ChartPalette.axis, className: "tick-mark")
            text(label.label, x: label.x, y: area.bottom + 17, anchor: "middle", className: "tick")
        }
        if let title {
            text(title, x: (area.left + area.right) / 2, y: area.bottom + 36, anchor: "middle", className: "axis-title")
        }
        close("g")
    }
}
