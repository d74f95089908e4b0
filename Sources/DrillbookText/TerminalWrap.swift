/// Lays a line of terminal text out in a given width: prose breaks at the spaces between words,
/// continuation lines get a hanging indent; commands (marked with `TerminalWrap.command(_:)`)
/// break only at the spaces between their shell words (never inside quotes), the broken line
/// ending in ` \` as in a shell script, so the lines of a command paste as one command. A short
/// bracketed aside in prose (`[timeout 30 s]`) stays on one line. A line break in the text (a
/// command written on several lines) is kept, the next line indented like a continuation.
///
/// A word wider than the room left on a line of its own (a long quoted string) is split: at its
/// last space that fits, else at the width, the split line ending in `↵` (the next line goes on
/// right after it, without the indent). Widths are counted in characters; the text should already
/// be inert (`TerminalText.line`), since escaping lengthens it.
public enum TerminalWrap {
    /// Marks where a command starts and ends in a line given to `lines(_:width:)` (private-use
    /// scalars, shown as a backtick each).
    public static let commandStart: Character = "\u{E000}"
    public static let commandEnd: Character = "\u{E001}"

    /// `text` marked as a command: shown between backticks, broken only between its shell words.
    public static func command(_ text: String) -> String {
        String(commandStart) + text.filter { $0 != commandStart && $0 != commandEnd } + String(commandEnd)
    }

    /// `line` with its command marks shown as backticks, laid out in no width (in full).
    public static func unwrapped(_ line: String) -> String {
        String(line.map { $0 == commandStart || $0 == commandEnd ? "`" : $0 })
    }

    /// The marker ending a line broken inside a command, between two of its words.
    public static let commandBreak = " \\"
    /// The marker ending a line that splits a word too wide for any line.
    public static let wordSplit = "↵"

    /// The indent continuation lines of `line` get: its own leading spaces plus its list marker
    /// (`1. `, `[ ] `, `- `), else two more spaces than it starts with.
    public static func hangingIndent(of line: String) -> Int {
        let leading = line.prefix { $0 == " " }.count
        let rest = line.dropFirst(leading)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }.count
        if digits > 0, rest.dropFirst(digits).hasPrefix(". ") { return leading + digits + 2 }
        if rest.hasPrefix("[ ] ") { return leading + 4 }
        if rest.hasPrefix("- ") { return leading + 2 }
        return leading + 2
    }

    private struct Word {
        var text: String
        /// The space before this word lies between two words of one command.
        var continuesCommand: Bool
        /// The space after this word lies between two words of one command.
        var commandGoesOn: Bool
        /// Not a word: a line break of the text itself (a command written on several lines).
        var isLineBreak = false
    }

    /// `line` (one line, its commands marked) laid out in `width` columns, continuation lines
    /// indented by `indent` (default `hangingIndent(of:)`), two more inside a command.
    public static func lines(_ line: String, width: Int, indent: Int? = nil) -> [String] {
        let plain = unwrapped(line)
        guard plain.count > width || plain.contains("\n") else { return [plain] }
        let leading = String(line.prefix { $0 == " " })
        let hanging = min(indent ?? hangingIndent(of: line), max(0, width / 2))
        let words = Self.words(String(line.dropFirst(leading.count)))
        let width = max(width, hanging + 12)
        var result: [String] = []
        var current = leading
        var currentIsFresh = true
        func newLine(insideCommand: Bool) {
            result.append(current + (insideCommand ? commandBreak : ""))
            current = String(repeating: " ", count: hanging + (insideCommand ? 2 : 0))
            currentIsFresh = true
        }
        for word in words {
            if word.isLineBreak {
                result.append(current)
                current = String(repeating: " ", count: hanging + (word.continuesCommand ? 2 : 0))
                currentIsFresh = true
                continue
            }
            let reserve = word.commandGoesOn ? commandBreak.count : 0
            let separator = currentIsFresh ? "" : " "
            if current.count + separator.count + word.text.count + reserve <= width {
                current += separator + word.text
                currentIsFresh = false
                continue
            }
            if !currentIsFresh {
                newLine(insideCommand: word.continuesCommand)
            }
            var text = word.text
            // Too wide for a line of its own: split it, each piece ending in the split marker.
            while current.count + text.count + reserve > width {
                let head = text.prefix(max(1, width - current.count - wordSplit.count))
                let cut = head.lastIndex(of: " ").map { text.index(after: $0) } ?? head.endIndex
                result.append(current + text[..<cut] + wordSplit)
                text = String(text[cut...])
                current = String(repeating: " ", count: hanging + 2)
            }
            current += text
            currentIsFresh = false
        }
        result.append(current)
        return result
    }

    /// The words of `text`: prose split at spaces; each command split at its unquoted spaces, its
    /// first word opened and its last closed with a backtick.
    private static func words(_ text: String) -> [Word] {
        var words: [Word] = []
        var commands: [Int?] = []
        var word = ""
        var wordCommand: Int?
        var command: Int?
        var commandCount = 0
        var quote: Character?
        var escaped = false
        func flush() {
            guard !word.isEmpty else { return }
            let continues = wordCommand != nil && commands.last == wordCommand
            if continues { words[words.count - 1].commandGoesOn = true }
            words.append(Word(text: word, continuesCommand: continues, commandGoesOn: false))
            commands.append(wordCommand)
            word = ""
            wordCommand = command
        }
        let characters = Array(text)
        // A short bracketed aside in prose (`[attempt timeout 5 s]`) is kept on one line.
        var asideEnd = -1
        for (index, character) in characters.enumerated() {
            if command == nil, character == "[", index > asideEnd,
               let close = characters[index...].prefix(40).firstIndex(where: { $0 == "]" || $0 == commandStart }),
               characters[close] == "]" {
                asideEnd = close
            }
            if character == commandStart, command == nil {
                commandCount += 1
                command = commandCount
                wordCommand = command
                quote = nil
                escaped = false
                word.append("`")
            } else if character == commandEnd, command != nil {
                word.append("`")
                command = nil
            } else if character == "\n" || character == "\r\n" {
                flush()
                words.append(Word(text: "", continuesCommand: command != nil, commandGoesOn: false, isLineBreak: true))
                commands.append(nil)
                escaped = false
            } else if command != nil {
                if escaped {
                    escaped = false
                } else if character == "\\" && quote != "'" {
                    escaped = true
                } else if let open = quote {
                    if character == open { quote = nil }
                } else if character == "'" || character == "\"" {
                    quote = character
                } else if character == " " {
                    flush()
                    continue
                }
                word.append(character)
            } else if character == " " && index > asideEnd {
                flush()
            } else {
                word.append(character)
            }
        }
        flush()
        return words
    }
}
