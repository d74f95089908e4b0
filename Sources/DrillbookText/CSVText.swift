/// RFC 4180 CSV fields, guarded for spreadsheets.
public enum CSVText {
    /// One CSV field: quoted, inner quotes doubled; a value that starts with `=`, `+`, `-`, `@`, a tab
    /// or a carriage return gets a leading `'` so spreadsheets do not run it as a formula.
    /// Characters XML 1.0 forbids (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) become
    /// U+FFFD (as `MarkupText.replacingForbiddenCharacters` does), as in every text output of the
    /// site: CSV has no escape for them and readers choke on some (Python's `csv` refuses a NUL).
    public static func field(_ value: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 3)
        appendField(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `fields` as one CSV record with its CRLF line end.
    public static func record(_ fields: [String]) -> String {
        var bytes: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            appendField(field, to: &bytes)
        }
        bytes.append(contentsOf: [0x0D, 0x0A])
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `field(value)`'s UTF-8 appended to `bytes`, with no string made: the one implementation of
    /// the quoting, for writers that stream a file.
    public static func appendField(_ value: String, to bytes: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendField($0, to: &bytes) }
    }

    /// `appendField` of valid UTF-8 `source`, one pass over its bytes: the guards are ASCII, so the
    /// first scalar is a guard exactly when the first byte is; U+FFFE and U+FFFF are the only
    /// forbidden scalars past ASCII (`EF BF BE`, `EF BF BF`).
    public static func appendField(_ source: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        if let first = source.first,
            first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
                || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
        {
            bytes.append(UInt8(ascii: "'"))
        }
        var start = 0
        var index = 0
        let count = source.count
        while index < count {
            let byte = source[index]
            if byte == UInt8(ascii: "\"") {
                // Copied with the run before it, then once more: doubled.
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start...index]))
                start = index
                index += 1
            } else if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D {
                if start < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<index])) }
                bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
                index += 1
                start = index
            } else if byte == 0xEF, index + 2 < count, source[index + 1] == 0xBF, source[index + 2] >= 0xBE {
                if start < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<index])) }
                bytes.append(contentsOf: [0xEF, 0xBF, 0xBD])
                index += 3
                start = index
            } else {
                index += 1
            }
        }
        if start < count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<count])) }
        bytes.append(UInt8(ascii: "\""))
    }
}
