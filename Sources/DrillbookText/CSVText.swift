/// RFC 4180 CSV fields, guarded for spreadsheets.
public enum CSVText {
    /// One CSV field: quoted, inner quotes doubled; a value that starts with `=`, `+`, `-`, `@`, a tab
    /// or a carriage return gets a leading `'` so spreadsheets do not run it as a formula.
    /// Characters XML 1.0 forbids (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) become
    /// U+FFFD (`MarkupText.replacingForbiddenCharacters`), as in every text output of the site: CSV
    /// has no escape for them and readers choke on some (Python's `csv` refuses a NUL).
    public static func field(_ value: String) -> String {
        var text = MarkupText.replacingForbiddenCharacters(value)
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            text = "'" + text
        }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in text.unicodeScalars {
            quoted.append(scalar)
            if scalar == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return String(quoted)
    }

    /// `fields` as one CSV record with its CRLF line end.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
