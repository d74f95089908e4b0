/// JSON string literals written by hand (the JSON Schemas, located messages) and the `\uXXXX` form
/// of one scalar, so every JSON drillbook writes without `JSONEncoder` escapes the same way.
public enum JSONText {
    /// `text` as a JSON string literal, quotes included: `"` and `\` escaped, line feed, carriage
    /// return and tab as `\n`, `\r`, `\t`, every other C0 control as `\u00XX`, the rest as it is.
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 {
                    result += unicodeEscape(scalar)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// `\u001b`: the JSON escape of a scalar of the Basic Multilingual Plane, four lowercase hex digits.
    public static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: false)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
