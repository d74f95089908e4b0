import DrillbookModel

/// A small JSON reader over the bytes of a record that knows where things are: it finds the line
/// and column of a syntax error, the keys a record's shape does not know (likely typos), and the
/// line of the value at a JSON path, so decoding errors can name the line as well as the path.
///
/// It builds no tree: one pass, a path stack and a few small sets.
struct JSONScanner {
    /// What was found at the target path.
    struct Found: Sendable {
        var line: Int
        var column: Int
        /// Line and column of the key naming the value, when the last path step is a key.
        var keyLine: Int?
        var keyColumn: Int?
        /// `an object`, `a string "x"`, `the number 3`, `null`, …
        var got: String
        /// The string value, when it is a string.
        var stringValue: String?
    }

    /// A key the shape does not define.
    struct UnknownKey: Sendable {
        var path: [PathElement]
        var line: Int
        var column: Int
    }

    struct SyntaxError: Error, Sendable {
        var line: Int
        var column: Int
        var message: String
    }

    /// A value that does not fit the shape: wrong type, unknown enum value, missing required key.
    struct ShapeError: Sendable {
        var path: [PathElement]
        var line: Int
        var column: Int
        var message: String
    }

    struct Report: Sendable {
        var syntaxError: SyntaxError?
        var shapeErrors: [ShapeError] = []
        var unknownKeys: [UnknownKey] = []
        var duplicateKeys: [UnknownKey] = []
        var found: Found?
        /// Line of the object at the parent of the target (for missing keys).
        var parentLine: Int?
    }

    /// The file's bytes, borrowed for the scan (no retain per access, which matters in debug builds).
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var path: [PathElement] = []
    private let target: [PathElement]?
    private var report = Report()
    private var depth = 0

    private init(bytes: UnsafeBufferPointer<UInt8>, target: [PathElement]?) {
        self.bytes = bytes
        self.target = target
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            index = 3
            lineStart = 3
        }
    }

    /// Checks syntax and keys against `shape`; with `target`, also locates that path.
    static func scan(_ bytes: [UInt8], shape: RecordShape?, target: [PathElement]? = nil) -> Report {
        bytes.withUnsafeBufferPointer { buffer in scan(buffer, shape: shape, target: target) }
    }

    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, shape: RecordShape?, target: [PathElement]?) -> Report {
        var scanner = JSONScanner(bytes: bytes, target: target)
        do throws(SyntaxError) {
            scanner.skipSpace()
            try scanner.value(shape: shape, optional: false)
            scanner.skipSpace()
            if scanner.index < scanner.bytes.count {
                throw scanner.syntax("unexpected text after the end of the record")
            }
        } catch {
            scanner.report.syntaxError = error
        }
        return scanner.report
    }

    // MARK: - Grammar

    private mutating func value(shape: RecordShape?, optional: Bool) throws(SyntaxError) {
        depth += 1
        defer { depth -= 1 }
        guard depth < 512 else { throw syntax("nesting deeper than 512 levels") }
        guard index < bytes.count else { throw syntax("unexpected end of file: expected a value") }
        let startLine = line
        let startColumn = Position(offset: index, lineStart: lineStart)
        let isTarget = target != nil && path == target!
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "{"):
            if isTarget { record(startLine, startColumn, got: "an object", string: nil) }
            if let target, target.count == path.count + 1, Array(target.prefix(path.count)) == path {
                report.parentLine = startLine
            }
            switch shape {
            case .object?, .stringMap?, nil: break
            case let other?: mismatch(other, got: "an object", startLine, startColumn)
            }
            try object(shape: shape, line: startLine, column: startColumn)
        case UInt8(ascii: "["):
            if isTarget { record(startLine, startColumn, got: "a list", string: nil) }
            switch shape {
            case .array?, nil: break
            case let other?: mismatch(other, got: "a list", startLine, startColumn)
            }
            try array(shape: shape)
        case UInt8(ascii: "\""):
            // Plain strings are only skipped over; text is made when something will read it.
            var needsText = isTarget
            if let shape, case .string(.plain) = shape {} else if shape != nil { needsText = true }
            let text = try string(materialize: needsText)
            if isTarget { record(startLine, startColumn, got: quoted(text), string: text) }
            if let shape, needsText { check(string: text, against: shape, startLine, startColumn) }
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            let isTrue = byte == UInt8(ascii: "t")
            try literal(isTrue ? "true" : "false")
            let text = isTrue ? "true" : "false"
            if isTarget { record(startLine, startColumn, got: text, string: nil) }
            switch shape {
            case .boolean?, nil: break
            case let other?: mismatch(other, got: text, startLine, startColumn)
            }
        case UInt8(ascii: "n"):
            try literal("null")
            if isTarget { record(startLine, startColumn, got: "null", string: nil) }
            if let shape, !optional { mismatch(shape, got: "null", startLine, startColumn) }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            try number()
            let text = String(decoding: bytes[start..<index], as: UTF8.self)
            if isTarget { record(startLine, startColumn, got: text, string: nil) }
            switch shape {
            case nil: break
            case .number?:
                // JSON has no limit; a Double does, and the decoder would fail with no place to name.
                if let problem = Self.rangeProblem(number: text) {
                    report.shapeErrors.append(ShapeError(path: path, line: startLine, column: column(of: startColumn), message: problem))
                }
            case .integer?, .constant?:
                if let value = Double(text), value.rounded() == value, abs(value) < 9.0e18 { break }
                mismatch(shape!, got: text, startLine, startColumn)
            case let other?: mismatch(other, got: text, startLine, startColumn)
            }
        default:
            throw syntax("expected a value (object, list, string, number, true, false or null), got " + describeByte())
        }
    }

    /// Why a number's text cannot be held in a `Double`, or nil when it can: too large (`1e400`,
    /// 400 digits) or so close to zero that only 0 is left (`1e-400`).
    static func rangeProblem(number text: String) -> String? {
        guard let value = Double(text) else { return nil }
        let shown = text.count > 40 ? String(text.prefix(20)) + "… (" + String(text.count) + " characters)" : text
        if !value.isFinite { return "the number " + shown + " is out of range (beyond ±1.8e308)" }
        if value == 0, let mantissa = text.split(whereSeparator: { $0 == "e" || $0 == "E" }).first,
            mantissa.contains(where: { $0 >= "1" && $0 <= "9" })
        {
            return "the number " + shown + " is out of range (closer to zero than 4.9e-324); write 0"
        }
        return nil
    }

    private mutating func mismatch(_ shape: RecordShape, got: String, _ line: Int, _ position: Position) {
        report.shapeErrors.append(ShapeError(path: path, line: line, column: column(of: position), message: "expected " + shape.expectation + ", got " + got))
    }

    private mutating func check(string text: String, against shape: RecordShape, _ line: Int, _ column: Position) {
        switch shape {
        case .string(.plain): break
        case .string(.timestamp):
            if let leap = Timestamp.leapSecond(in: text) {
                report.shapeErrors.append(
                    ShapeError(path: path, line: line, column: self.column(of: column), message: Timestamp.leapSecondMessage(leap, in: text)))
            } else if Timestamp(iso8601: text) == nil {
                mismatch(shape, got: quoted(text), line, column)
            }
        case .string(.day):
            if CalendarDay(iso8601: text) == nil { mismatch(shape, got: quoted(text), line, column) }
        case .string(.duration):
            if DurationText.seconds(text) == nil { mismatch(shape, got: quoted(text), line, column) }
        case .enumeration(let values):
            if !values.contains(text) { mismatch(shape, got: quoted(text), line, column) }
        default:
            mismatch(shape, got: quoted(text), line, column)
        }
    }

    private mutating func record(_ line: Int, _ position: Position, got: String, string: String?) {
        let column = column(of: position)
        var found = report.found ?? Found(line: line, column: column, got: got)
        found.line = line
        found.column = column
        found.got = got
        found.stringValue = string
        report.found = found
    }

    private mutating func object(shape: RecordShape?, line objectLine: Int, column objectPosition: Position) throws(SyntaxError) {
        index += 1  // {
        var seen = Set<String>()
        let objectShape: ObjectShape? = if case .object(let o) = shape { o } else { nil }
        defer {
            if let objectShape {
                for property in objectShape.properties where property.required && !seen.contains(property.name) {
                    report.shapeErrors.append(
                        ShapeError(
                            path: path + [.key(property.name)], line: objectLine, column: column(of: objectPosition),
                            message: "missing required key " + quoted(property.name) + " (expected " + property.shape.expectation + ")"))
                }
            }
        }
        skipSpace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            return
        }
        while true {
            skipSpace()
            guard peek(UInt8(ascii: "\"")) else {
                throw syntax("expected a key in double quotes, got " + describeByte())
            }
            let keyLine = line
            let keyColumn = Position(offset: index, lineStart: lineStart)
            let key = try string(isKey: true)
            path.append(.key(key))
            if !seen.insert(key).inserted {
                report.duplicateKeys.append(UnknownKey(path: path, line: keyLine, column: column(of: keyColumn)))
            }
            var childShape: RecordShape? = nil
            var childOptional = false
            if let objectShape {
                if let property = objectShape.property(named: key) {
                    childShape = property.shape
                    childOptional = !property.required
                } else {
                    report.unknownKeys.append(UnknownKey(path: path, line: keyLine, column: column(of: keyColumn)))
                }
            } else if case .stringMap = shape {
                childShape = .string()
            }
            if let target, path == target {
                var found = report.found ?? Found(line: keyLine, column: column(of: keyColumn), got: "")
                found.keyLine = keyLine
                found.keyColumn = column(of: keyColumn)
                report.found = found
            }
            skipSpace()
            guard peek(UInt8(ascii: ":")) else { throw syntax("expected ':' after the key \"\(key)\", got " + describeByte()) }
            index += 1
            skipSpace()
            try value(shape: childShape, optional: childOptional)
            path.removeLast()
            skipSpace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                skipSpace()
                if peek(UInt8(ascii: "}")) { throw syntax("trailing comma before '}'") }
                continue
            }
            if peek(UInt8(ascii: "}")) {
                index += 1
                return
            }
            throw syntax("expected ',' or '}' after the value of \"\(key)\", got " + describeByte())
        }
    }

    private mutating func array(shape: RecordShape?) throws(SyntaxError) {
        index += 1  // [
        skipSpace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            return
        }
        let itemShape: RecordShape? = if case .array(let item) = shape { item } else { nil }
        var position = 0
        while true {
            skipSpace()
            path.append(.index(position))
            try value(shape: itemShape, optional: false)
            path.removeLast()
            position += 1
            skipSpace()
            if peek(UInt8(ascii: ",")) {
                index += 1
                skipSpace()
                if peek(UInt8(ascii: "]")) { throw syntax("trailing comma before ']'") }
                continue
            }
            if peek(UInt8(ascii: "]")) {
                index += 1
                return
            }
            throw syntax("expected ',' or ']' in a list, got " + describeByte())
        }
    }

    private mutating func string(materialize: Bool = true, isKey: Bool = false) throws(SyntaxError) -> String {
        index += 1  // opening quote
        // Fast path: no escapes.
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return materialize ? String(decoding: bytes[start..<(index - 1)], as: UTF8.self) : ""
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        var scalars: [UInt8] = []
        var plainStart = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                scalars.append(contentsOf: bytes[plainStart..<index])
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            }
            if byte < 0x20 {
                throw syntax(byte == 0x0A ? "unterminated string (line break inside a string; write \\n)" : "control character inside a string")
            }
            if byte == UInt8(ascii: "\\") {
                scalars.append(contentsOf: bytes[plainStart..<index])
                index += 1
                guard index < bytes.count else { break }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""): scalars.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): scalars.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): scalars.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    let escape = Position(offset: index - 2, lineStart: lineStart)
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    {
                        let afterHigh = index
                        index += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            index = afterHigh  // the next escape is read on its own
                        }
                    }
                    if (0xD800...0xDFFF).contains(code) {
                        // No character to decode to: the decoder would fail, or a page would carry U+FFFD.
                        report.shapeErrors.append(
                            ShapeError(
                                path: path, line: line, column: column(of: escape),
                                message: "the escape " + String(decoding: bytes[escape.offset..<(escape.offset + 6)], as: UTF8.self)
                                    + (isKey ? " in a key" : "")
                                    + " is half of a UTF-16 surrogate pair without its other half; write the character itself, or both halves"))
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    index -= 1
                    throw syntax("invalid escape \\" + describeByte() + " in a string")
                }
                plainStart = index
                continue
            }
            index += 1
        }
        throw syntax("unterminated string: end of file before the closing '\"'")
    }

    private mutating func hex4() throws(SyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw syntax("expected four hex digits after \\u") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntax("expected four hex digits after \\u, got " + describeByte())
            }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func number() throws(SyntaxError) {
        if peek(UInt8(ascii: "-")) { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw syntax("expected a digit in a number, got " + describeByte()) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw syntax("numbers must not start with 0") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if peek(UInt8(ascii: ".")) {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw syntax("expected a digit after '.', got " + describeByte()) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw syntax("expected a digit in the exponent, got " + describeByte()) }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
    }

    private mutating func literal(_ word: StaticString) throws(SyntaxError) {
        let expected = word.withUTF8Buffer { Array($0) }
        let start = index
        for byte in expected {
            guard index < bytes.count, bytes[index] == byte else {
                index = start
                throw syntax("expected a value (object, list, string, number, true, false or null), got " + describeWord())
            }
            index += 1
        }
    }

    // MARK: - Positions

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            case 0x20, 0x09, 0x0D:
                index += 1
            default:
                return
            }
        }
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// A byte offset and the start of its line; turned into a column only when a message needs
    /// one, so minified one-line files are not scanned quadratically.
    struct Position {
        var offset: Int
        var lineStart: Int
    }

    private func column(of position: Position) -> Int { column(at: position.offset, lineStart: position.lineStart) }

    /// 1-based column in Unicode scalars (UTF-8 continuation bytes are not counted).
    private func column(at position: Int, lineStart: Int? = nil) -> Int {
        var count = 1
        var cursor = lineStart ?? self.lineStart
        while cursor < position && cursor < bytes.count {
            if bytes[cursor] & 0xC0 != 0x80 { count += 1 }
            cursor += 1
        }
        return count
    }

    private func syntax(_ message: String) -> SyntaxError {
        SyntaxError(line: line, column: column(at: index), message: message)
    }

    private func describeByte() -> String {
        guard index < bytes.count else { return "end of file" }
        let byte = bytes[index]
        if byte == 0x0A || byte == 0x0D { return "end of line" }
        // Control characters are named, not written into the message (and the terminal).
        if byte < 0x20 || byte == 0x7F {
            let digits = Array("0123456789ABCDEF")
            return "the control character U+00" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
        }
        // Show the whole character, even when it is several bytes long.
        var end = index + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "'" + String(decoding: bytes[index..<end], as: UTF8.self) + "'"
    }

    private func describeWord() -> String {
        var end = index
        while end < bytes.count, end - index < 20,
            !(bytes[end] == 0x20 || bytes[end] == 0x0A || bytes[end] == 0x0D || bytes[end] == 0x09
                || bytes[end] == UInt8(ascii: ",") || bytes[end] == UInt8(ascii: "}") || bytes[end] == UInt8(ascii: "]"))
        {
            end += 1
        }
        let start = index
        return end > start ? quoted(String(decoding: bytes[start..<end], as: UTF8.self)) : describeByte()
    }
}

/// `"text"` with quotes and backslashes escaped, for messages.
func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        default: result.unicodeScalars.append(scalar)
        }
    }
    return result + "\""
}
