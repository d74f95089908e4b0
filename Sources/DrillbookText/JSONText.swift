/// JSON string literals written by hand (the JSON Schemas, located messages, the search index,
/// `actions.json`) and the `\uXXXX` form of one scalar, so every JSON drillbook writes without
/// `JSONEncoder` escapes the same way.
public enum JSONText {
    /// Escapes beyond the ones every literal gets.
    public struct Options: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Backspace and form feed as `\b` and `\f` rather than `\u0008` and `\u000c`: what
        /// Foundation's `JSONEncoder` writes, so `actions.json` keeps the bytes it had when the
        /// encoder wrote it.
        public static let shortControlEscapes = Options(rawValue: 1)
        /// `<` as `\u003c`, so the JSON could also sit inside a page's `<script>`.
        public static let escapingLessThan = Options(rawValue: 2)
    }

    /// `text` as a JSON string literal, quotes included: `"` and `\` escaped, line feed, carriage
    /// return and tab as `\n`, `\r`, `\t`, every other C0 control as `\u00XX`, the rest as it is.
    public static func quoted(_ text: String, options: Options = []) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        appendQuoted(text, to: &bytes, options: options)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `quoted(text)`'s UTF-8 appended to `bytes`, with no string made: the one implementation
    /// of the escaping, for writers that stream a file.
    public static func appendQuoted(_ text: String, to bytes: inout [UInt8], options: Options = []) {
        var text = text
        text.withUTF8 { appendQuoted($0, to: &bytes, options: options) }
    }

    /// `appendQuoted` of valid UTF-8 `source`: bytes of U+0020 and above are copied as they are
    /// (a multi-byte sequence never holds a byte under 0x80), runs at a time.
    public static func appendQuoted(_ source: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8], options: Options = []) {
        let short = options.contains(.shortControlEscapes)
        let lessThan = options.contains(.escapingLessThan)
        bytes.append(UInt8(ascii: "\""))
        var start = 0
        for index in 0..<source.count {
            let byte = source[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || (lessThan && byte == UInt8(ascii: "<"))
            else { continue }
            if start < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<index])) }
            start = index + 1
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x08 where short: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C where short: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            default: appendUnicodeEscape(UInt32(byte), to: &bytes)
            }
        }
        if start < source.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<source.count])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `\u001b`: the JSON escape of a scalar of the Basic Multilingual Plane, four lowercase hex digits.
    public static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        guard scalar.value <= 0xFFFF else { return "\\u" + String(scalar.value, radix: 16, uppercase: false) }
        var bytes: [UInt8] = []
        appendUnicodeEscape(scalar.value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func appendUnicodeEscape(_ value: UInt32, to bytes: inout [UInt8]) {
        let digits: StaticString = "0123456789abcdef"
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) {
            bytes.append(digits.utf8Start[Int((value >> UInt32(shift)) & 0xF)])
        }
    }
}
