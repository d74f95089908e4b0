/// Every record is UTF-8 text. A file that is not gets one error naming its first bad byte by
/// line, column and byte offset, for every kind of record (JSON, YAML and incident text alike),
/// instead of a decoder's "the data couldn't be read" with no place in the file.
public enum UTF8Text {
    /// The text of a record file's `bytes`, or the located error for its first bad byte: for
    /// readers outside the loader (`drillbook run` reading a drill file), so they report it alike.
    public static func decode(_ bytes: [UInt8], file: String) -> Result<String, ContentIssue> {
        if let invalid = firstInvalidByte(in: bytes) { return .failure(issue(invalid, file: file)) }
        return .success(text(of: bytes))
    }

    /// The first byte that is not part of a well-formed UTF-8 character (RFC 3629: no overlong
    /// forms, no encoded surrogates, nothing above U+10FFFF).
    struct InvalidByte: Sendable, Equatable {
        /// 0-based offset in the file, a byte-order mark included.
        var offset: Int
        /// 1-based line.
        var line: Int
        /// 1-based column in Unicode scalars, as other messages count columns (a leading
        /// byte-order mark is not counted).
        var column: Int
        var byte: UInt8
    }

    /// The text of `bytes`, checked with `firstInvalidByte(in:)`, without a leading byte-order mark.
    static func text(of bytes: [UInt8]) -> String {
        String(decoding: bytes.starts(with: byteOrderMark) ? bytes[3...] : bytes[...], as: UTF8.self)
    }

    /// The error for `invalid`, located at its line and column.
    static func issue(_ invalid: InvalidByte, file: String) -> ContentIssue {
        .error(
            file, .line(invalid.line, column: invalid.column),
            "not valid UTF-8: byte " + hex(invalid.byte) + " at byte offset " + String(invalid.offset)
                + " (a Latin-1 or Windows-1252 file?); save the file as UTF-8")
    }

    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// The first byte that breaks UTF-8, or nil when all of `bytes` is UTF-8.
    static func firstInvalidByte(in bytes: [UInt8]) -> InvalidByte? {
        bytes.withUnsafeBufferPointer { buffer -> InvalidByte? in
            var index = buffer.starts(with: byteOrderMark) ? 3 : 0
            var line = 1
            var lineStart = index
            while index < buffer.count {
                let byte = buffer[index]
                if byte < 0x80 {
                    index += 1
                    if byte == 0x0A {
                        line += 1
                        lineStart = index
                    }
                    continue
                }
                let length = sequenceLength(buffer, at: index)
                if length == 0 {
                    var column = 1
                    for position in lineStart..<index where buffer[position] & 0xC0 != 0x80 { column += 1 }
                    return InvalidByte(offset: index, line: line, column: column, byte: byte)
                }
                index += length
            }
            return nil
        }
    }

    /// The length of the well-formed character starting at `index`, or 0 when there is none.
    private static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F  // no encoded surrogates
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F  // nothing above U+10FFFF
        default: return 0
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return 0 }
        for position in (index + 2)..<(index + length) where bytes[position] & 0xC0 != 0x80 { return 0 }
        return length
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}
