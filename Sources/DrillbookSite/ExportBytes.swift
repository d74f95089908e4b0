import DrillbookModel

/// The bytes of a streamed data file (`actions.json`, a search-index part) as they are made,
/// handed to `emit` as text about 64 KB at a time: one buffer reused for the whole file, no
/// string per cell or line.
struct ExportBytes {
    static let chunkSize = 1 << 16

    var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(Self.chunkSize + (1 << 12)) }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func append(byte: UInt8) { bytes.append(byte) }

    /// `value` in decimal, as `String(value)` writes it.
    mutating func append(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[(20 - count)...]))
        }
    }

    mutating func append(_ value: Bool) { append(value ? "true" as StaticString : "false") }

    /// `2026-11-29`: `CalendarDay.iso8601`.
    mutating func append(_ day: CalendarDay) { append(day.iso8601) }

    /// Hands the bytes to `emit` once they make a chunk (or whatever there is, at the end).
    mutating func flush(_ emit: (String) -> Void, final: Bool = false) {
        guard final ? !bytes.isEmpty : bytes.count >= Self.chunkSize else { return }
        emit(String(decoding: bytes, as: UTF8.self))
        bytes.removeAll(keepingCapacity: true)
    }
}
