import DrillbookText
import Testing

/// `MarkupText.replacingForbiddenCharacters` finds forbidden characters from UTF-8 bytes; it must
/// agree with `isXMLCharacter` over every scalar class (controls, U+FFFE/U+FFFF and their
/// neighbours, every UTF-8 length).
@Suite("Forbidden character scan")
struct ForbiddenCharacterScanTests {
    static func reference(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            result.append(MarkupText.isXMLCharacter(scalar) ? scalar : MarkupText.replacementCharacter)
        }
        return String(result)
    }

    @Test func everyScalarClassAgreesWithTheScalarRule() {
        var scalars: [Unicode.Scalar] = (0..<0x80).compactMap(Unicode.Scalar.init(_:))
        for value: UInt32 in [0x85, 0xA0, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xEFBF, 0xFEFF, 0xFFBE, 0xFFBF, 0xFFFC, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x10FFFE, 0x10FFFF] {
            scalars.append(Unicode.Scalar(value)!)
        }
        for scalar in scalars {
            var texts = [String(scalar), "a" + String(scalar), String(scalar) + "b", "é" + String(scalar) + "\u{FFFD}"]
            // Every position in and across the eight-byte words the scan reads at once.
            for before in 0...17 { texts.append(String(repeating: "x", count: before) + String(scalar) + String(repeating: "y", count: 9)) }
            for text in texts {
                #expect(MarkupText.replacingForbiddenCharacters(text) == Self.reference(text), "U+\(String(scalar.value, radix: 16))")
            }
        }
    }
}
