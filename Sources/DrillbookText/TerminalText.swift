/// Makes text from content safe to print on a terminal: every character a terminal would act on
/// instead of showing is replaced by its Swift escape, `\u{1B}` for ESC, `\u{7}` for BEL.
///
/// Escaped: the C0 controls U+0000–U+001F, DEL U+007F, the C1 controls U+0080–U+009F (U+009B
/// is a one-character CSI on many terminals), the bidirectional marks, embeddings, overrides and
/// isolates (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, which can make a line read
/// differently from its bytes) and the line and paragraph separators U+2028, U+2029. Backslashes
/// are not doubled: the form is for reading; `--json` is the form for programs.
///
/// The escaped form is printable ASCII, so escaping is idempotent: `line(line(x)) == line(x)`.
public enum TerminalText {
    /// `text` as one terminal line: line breaks and tabs are escaped too, so no value (a file
    /// name, a message) can start a line of its own.
    public static func line(_ text: String) -> String { escaped(text, keepingLayout: false) }

    /// `text` as a block of lines: line feeds (and the CR of a CR LF pair) and tabs stay, every
    /// other control is escaped. For multi-line documents (an announcement, a table, a plan).
    public static func block(_ text: String) -> String { escaped(text, keepingLayout: true) }

    /// JSON text with every scalar `line(_:)` escapes, outside structural whitespace, written as
    /// a JSON `\uXXXX` escape: the same JSON value, inert on a terminal. JSON puts such scalars
    /// only inside strings (its structure is ASCII), where `\uXXXX` means the same scalar.
    public static func json(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isActive($0) && !isJSONWhitespace($0) }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isActive(scalar) && !isJSONWhitespace(scalar) {
                result.append(contentsOf: JSONText.unicodeEscape(scalar).unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// True for the scalars a terminal may act on instead of showing (see the type's comment).
    public static func isActive(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
        default: false
        }
    }

    private static func isJSONWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\n" || scalar == "\r" || scalar == "\t"
    }

    private static func escaped(_ text: String, keepingLayout: Bool) -> String {
        // The common case, text without controls, is returned as it is.
        guard text.unicodeScalars.contains(where: isActive) else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if keepingLayout {
                let isLayout =
                    scalar == "\n" || scalar == "\t"
                    || (scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n")
                if isLayout {
                    result.append(scalar)
                    continue
                }
            }
            if isActive(scalar) {
                result.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }
}
