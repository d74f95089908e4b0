public import DrillbookModel

/// The playbook's plain-text incident templates (`content/incidents/*.log`, `*.txt`): one
/// `INCIDENT DECLARED` block, any number of `STATUS UPDATE` blocks and at most one
/// `INCIDENT RESOLVED` block, normalised to an `Incident`. The grammar is in `docs/formats.md`.
///
/// Times are never guessed: a time without a zone is an error naming its line.
public enum IncidentText {
    /// Parses one incident file's text. `file` is used in the issues.
    public static func parse(_ text: String, file: String) -> Result<Incident, ContentIssues> {
        let parsed = parseDetailed(text, file: file)
        let errors = parsed.issues.filter(\.isError)
        if let incident = parsed.incident, errors.isEmpty { return .success(incident) }
        return .failure(ContentIssues(parsed.issues))
    }

    /// The incident (when it could be built), every issue, and the line of each JSON path that
    /// has one (`$.resolvedAt` → 31), so later checks can name lines.
    static func parseDetailed(_ text: String, file: String) -> (incident: Incident?, issues: [ContentIssue], lines: [String: Int]) {
        var parser = IncidentTextParser(file: file)
        parser.parse(text)
        return (parser.build(), parser.issues, parser.lines)
    }

    /// Splits an `Action Items:` bullet: `[AI-…: ]Title - Owner - YYYY-MM-DD[ (priority, status)]`.
    /// Returns nil fields it could not read, with a reason.
    static func actionItem(
        from bullet: String, defaultId: String
    ) -> Result<ActionItem, ActionItemProblem> {
        var body = bullet.trimmingSpaces
        var priority = ActionPriority.shortTerm
        var status = ActionStatus.open
        // Trailing "(priority, status)".
        if body.hasSuffix(")"), let paren = body.lastIndex(of: Character("(")) {
            let inside = String(body[body.index(after: paren)...].dropLast())
            let before = String(body[..<paren]).trimmingSpaces
            if let lastWord = before.split(separator: " ").last, CalendarDay(iso8601: String(lastWord)) != nil {
                var sawPriority = false
                var sawStatus = false
                for token in inside.split(separator: ",").map({ String($0).trimmingSpaces.lowercased() }) {
                    if let p = ActionPriority(rawValue: token), !sawPriority {
                        priority = p
                        sawPriority = true
                    } else if let s = ActionStatus(rawValue: token), !sawStatus {
                        status = s
                        sawStatus = true
                    } else {
                        return .failure(
                            .init(
                                "expected \"(priority, status)\" after the due date, with priority one of "
                                    + ActionPriority.expectedValues + " and status one of " + ActionStatus.expectedValues
                                    + ", got " + quoted(String(token))))
                    }
                }
                body = before
            }
        }
        // Split from the right on " - ".
        var parts: [String] = []
        var rest = Substring(body)
        for _ in 0..<2 {
            guard let range = rest.lastRange(of: " - ") else { break }
            parts.insert(String(rest[range.upperBound...]).trimmingSpaces, at: 0)
            rest = rest[..<range.lowerBound]
        }
        parts.insert(String(rest).trimmingSpaces, at: 0)
        guard parts.count == 3 else {
            return .failure(.init("expected an action item as \"[Action] - [Owner] - [Due Date]\" with the due date as YYYY-MM-DD, got " + quoted(bullet.trimmingSpaces)))
        }
        guard let due = CalendarDay(iso8601: parts[2]) else {
            return .failure(.init("expected the due date as YYYY-MM-DD after the last \" - \", got " + quoted(parts[2])))
        }
        var title = parts[0]
        var id = defaultId
        if title.uppercased().hasPrefix("AI-"), let colon = title.firstIndex(of: ":"),
            !title[..<colon].contains(" ")
        {
            id = String(title[..<colon])
            title = String(title[title.index(after: colon)...]).trimmingSpaces
        }
        guard !title.isEmpty else { return .failure(.init("the action item has no title before the owner")) }
        return .success(ActionItem(id: id, title: title, owner: parts[1], dueDate: due, status: status, priority: priority))
    }

    struct ActionItemProblem: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }
}

extension Substring {
    /// The last occurrence of `needle`, compared by characters.
    func lastRange(of needle: String) -> Range<Substring.Index>? {
        let needleChars = Array(needle)
        guard count >= needleChars.count else { return nil }
        var end = endIndex
        while true {
            guard let start = index(end, offsetBy: -needleChars.count, limitedBy: startIndex) else { return nil }
            if self[start..<end].elementsEqual(needleChars) { return start..<end }
            if end == startIndex { return nil }
            end = index(before: end)
        }
    }
}

/// The keys the templates define, by their lower-cased spelling.
private enum IncidentKey: String {
    case incidentId = "incident id"
    case severity
    case type
    case location
    case time
    case status
    case nextUpdate = "next update"
    case resolutionTime = "resolution time"
    case duration
    case started
    case detected
    case acknowledged
    case escalated
    case drillRun = "drill run"
}

/// The section headings the templates define.
private enum IncidentSection: String {
    case description
    case impact
    case initialResponse = "initial response"
    case progressMade = "progress made"
    case currentSituation = "current situation"
    case nextSteps = "next steps"
    case rootCause = "root cause"
    case resolutionActions = "resolution actions"
    case preventionMeasures = "prevention measures"
    case lessonsLearned = "lessons learned"
    case actionItems = "action items"
}

private enum BlockKind: String {
    case declared = "INCIDENT DECLARED"
    case update = "STATUS UPDATE"
    case resolved = "INCIDENT RESOLVED"
}

/// A section's body: bullets and paragraphs, in order.
private struct SectionBody {
    var heading: String
    var line: Int
    var bullets: [(text: String, line: Int)] = []
    var paragraphs: [String] = []
    var currentParagraph: [String] = []
    var lastWasBullet = false
    /// Text and bullets in order, for Markdown sections.
    var markdownParts: [String] = []

    mutating func closeParagraph() {
        if !currentParagraph.isEmpty {
            let text = currentParagraph.joined(separator: "\n")
            paragraphs.append(text)
            markdownParts.append(text)
            currentParagraph = []
        }
    }

    /// List sections: bullets, or each paragraph as one item.
    var items: [String] { bullets.map(\.text) + paragraphs }

    /// Markdown sections: paragraphs separated by blank lines, bullets as a list.
    var markdown: String { markdownParts.joined(separator: "\n\n") }
}

private struct Block {
    var kind: BlockKind
    var titleLine: Int
    var values: [IncidentKey: (value: String, line: Int)] = [:]
    var sections: [IncidentSection: SectionBody] = [:]
    var extraKeys: [(key: String, value: String, line: Int)] = []
}

private struct IncidentTextParser {
    let file: String
    var issues: [ContentIssue] = []
    var lines: [String: Int] = [:]
    var blocks: [Block] = []

    init(file: String) { self.file = file }

    mutating func error(_ line: Int, _ message: String) {
        issues.append(.error(file, .line(line), message))
    }

    mutating func parse(_ text: String) {
        var raw = text
        if raw.hasPrefix("\u{FEFF}") { raw.removeFirst() }
        // Split on LF, dropping a CR before it (CRLF files); Character treats "\r\n" as one.
        var textLines: [String] = []
        var current = ""
        for character in raw {
            if character == "\n" || character == "\r\n" {
                textLines.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        textLines.append(current)
        if textLines.last == "" { textLines.removeLast() }
        var index = 0
        var sawStrayText = false
        var currentBlock: Block? = nil
        var section: (IncidentSection?, SectionBody)? = nil

        func closeSection(_ block: inout Block?, _ section: inout (IncidentSection?, SectionBody)?) {
            guard let (name, sectionBody) = section else { return }
            var body = sectionBody
            body.closeParagraph()
            if let name {
                if block?.sections[name] != nil {
                    error(body.line, "the section " + quoted(body.heading + ":") + " appears twice in this block; merge them")
                } else {
                    block?.sections[name] = body
                }
            } else {
                let value = body.markdown.isEmpty ? body.items.joined(separator: "\n") : body.markdown
                block?.extraKeys.append((body.heading, value, body.line))
            }
            section = nil
        }

        while index < textLines.count {
            let lineNumber = index + 1
            let original = textLines[index]
            let trimmed = original.trimmingSpaces
            index += 1
            if let kind = BlockKind(rawValue: trimmed.uppercased()) {
                closeSection(&currentBlock, &section)
                if let block = currentBlock { blocks.append(block) }
                currentBlock = Block(kind: kind, titleLine: lineNumber)
                if index < textLines.count, Self.isUnderline(textLines[index].trimmingSpaces) { index += 1 }
                continue
            }
            guard currentBlock != nil else {
                if !trimmed.isEmpty && !sawStrayText {
                    sawStrayText = true
                    error(lineNumber, "expected a title line INCIDENT DECLARED, STATUS UPDATE or INCIDENT RESOLVED before any text, got " + quoted(trimmed))
                }
                continue
            }
            if trimmed.isEmpty {
                section?.1.closeParagraph()
                section?.1.lastWasBullet = false
                continue
            }
            if Self.isUnderline(trimmed) {
                error(lineNumber, "an underline of '=' must follow a title line (INCIDENT DECLARED, STATUS UPDATE or INCIDENT RESOLVED)")
                continue
            }
            if let (key, value) = Self.splitKey(trimmed) {
                let normalised = key.lowercased().split(separator: " ").joined(separator: " ")
                if let name = IncidentSection(rawValue: normalised) {
                    closeSection(&currentBlock, &section)
                    var body = SectionBody(heading: key, line: lineNumber)
                    if !value.isEmpty { body.currentParagraph.append(value) }
                    section = (name, body)
                    continue
                }
                if let known = IncidentKey(rawValue: normalised) ?? (normalised == "drill run id" ? .drillRun : nil) {
                    closeSection(&currentBlock, &section)
                    if let first = currentBlock!.values[known] {
                        error(lineNumber, quoted(key + ":") + " appears twice in this block (first on line \(first.line)); keep one")
                    } else {
                        currentBlock!.values[known] = (value, lineNumber)
                    }
                    continue
                }
                if section == nil {
                    if value.isEmpty {
                        section = (nil, SectionBody(heading: key, line: lineNumber))
                    } else {
                        currentBlock!.extraKeys.append((key, value, lineNumber))
                    }
                    continue
                }
                if value.isEmpty {
                    closeSection(&currentBlock, &section)
                    section = (nil, SectionBody(heading: key, line: lineNumber))
                    continue
                }
                // Otherwise "Word: text" inside a section is text.
            }
            guard section != nil else {
                error(lineNumber, "expected \"Key: Value\" or a section heading ending in ':' (such as Description:), got " + quoted(trimmed))
                continue
            }
            if let bullet = Self.bulletText(trimmed) {
                section!.1.closeParagraph()
                section!.1.bullets.append((bullet, lineNumber))
                section!.1.markdownParts.append("- " + bullet)
                section!.1.lastWasBullet = true
            } else if section!.1.lastWasBullet, original.first == " " || original.first == "\t" {
                // An indented line continues the bullet above.
                let last = section!.1.bullets.count - 1
                section!.1.bullets[last].text += " " + trimmed
                section!.1.markdownParts[section!.1.markdownParts.count - 1] += " " + trimmed
            } else {
                section!.1.lastWasBullet = false
                section!.1.currentParagraph.append(trimmed)
            }
        }
        closeSection(&currentBlock, &section)
        if let block = currentBlock { blocks.append(block) }
    }

    static func isUnderline(_ trimmed: String) -> Bool { !trimmed.isEmpty && trimmed.allSatisfy { $0 == "=" } }

    /// `Key: value` or `Heading:`; the key starts with a letter and holds letters, digits, spaces,
    /// `-`, `_`, `/`, `(`, `)`, `.`; a colon not followed by a space (as in URLs) does not count.
    static func splitKey(_ line: String) -> (String, String)? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let key = line[..<colon]
        guard let first = key.first, first.isLetter, key.count <= 40,
            key.allSatisfy({ $0.isLetter || $0.isNumber || " -_/().".contains($0) })
        else { return nil }
        let after = line[line.index(after: colon)...]
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        return (String(key).trimmingSpaces, String(after).trimmingSpaces)
    }

    static func bulletText(_ trimmed: String) -> String? {
        if trimmed == "-" || trimmed == "*" { return "" }
        if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") || trimmed.hasPrefix("-\t") || trimmed.hasPrefix("*\t") {
            return String(trimmed.dropFirst(2)).trimmingSpaces
        }
        return nil
    }

    // MARK: - Building the incident

    mutating func time(_ entry: (value: String, line: Int)?) -> Timestamp? {
        guard let entry else { return nil }
        guard let timestamp = Timestamp(incidentTime: entry.value) else {
            if let leap = Timestamp.leapSecond(in: entry.value, incidentTime: true) {
                error(entry.line, Timestamp.leapSecondMessage(leap, in: entry.value))
                return nil
            }
            error(entry.line, "expected a time like 2026-03-02 10:15 UTC or ISO 8601 with an offset, got " + quoted(entry.value))
            return nil
        }
        return timestamp
    }

    mutating func build() -> Incident? {
        guard !blocks.isEmpty else {
            if !issues.contains(where: \.isError) {
                error(1, "expected an INCIDENT DECLARED block (a title line, an underline of '=' and Key: Value lines); the file has none")
            }
            return nil
        }
        let declaredIndices = blocks.indices.filter { blocks[$0].kind == .declared }
        guard let declaredIndex = declaredIndices.first else {
            error(blocks[0].titleLine, "expected the file to start with an INCIDENT DECLARED block, got " + blocks[0].kind.rawValue)
            return nil
        }
        if declaredIndex != 0 {
            error(blocks[declaredIndex].titleLine, "INCIDENT DECLARED must be the first block (it comes after " + blocks[0].kind.rawValue + " on line \(blocks[0].titleLine))")
        }
        for extra in declaredIndices.dropFirst() {
            error(blocks[extra].titleLine, "a second INCIDENT DECLARED block (the first is on line \(blocks[declaredIndex].titleLine)); one file holds one incident")
        }
        let resolvedIndices = blocks.indices.filter { blocks[$0].kind == .resolved }
        for extra in resolvedIndices.dropFirst() {
            error(blocks[extra].titleLine, "a second INCIDENT RESOLVED block (the first is on line \(blocks[resolvedIndices[0]].titleLine))")
        }
        let declared = blocks[declaredIndex]
        lines["$"] = declared.titleLine

        // The incident id, shared by every block.
        var id: String? = nil
        if let entry = declared.values[.incidentId], !entry.value.isEmpty {
            id = entry.value
            lines["$.id"] = entry.line
        } else {
            error(declared.titleLine, "the INCIDENT DECLARED block has no \"Incident ID:\" line")
        }
        for block in blocks where block.titleLine != declared.titleLine {
            if let entry = block.values[.incidentId], let id, entry.value != id {
                error(entry.line, "Incident ID " + quoted(entry.value) + " differs from " + quoted(id) + " declared on line \(lines["$.id"] ?? declared.titleLine); all blocks of a file must share the Incident ID")
            }
        }

        // Incident-level keys, accepted in any block; a second, different value is an error.
        var incidentValues: [IncidentKey: (value: String, line: Int)] = [:]
        let incidentLevel: [IncidentKey] = [.severity, .type, .location, .started, .detected, .acknowledged, .escalated, .drillRun, .resolutionTime, .duration]
        for block in blocks {
            for key in incidentLevel {
                guard let entry = block.values[key] else { continue }
                if let first = incidentValues[key] {
                    if first.value != entry.value {
                        error(entry.line, quoted(entry.value) + " differs from " + quoted(first.value) + " given on line \(first.line)")
                    }
                } else {
                    incidentValues[key] = entry
                }
            }
        }

        var severity: Severity? = nil
        if let entry = incidentValues[.severity] {
            lines["$.severity"] = entry.line
            severity = Self.severity(entry.value)
            if severity == nil {
                error(entry.line, "expected a severity, one of " + Severity.expectedValues + ", got " + quoted(entry.value))
            }
        } else {
            error(declared.titleLine, "the INCIDENT DECLARED block has no \"Severity:\" line (expected one of " + Severity.expectedValues + ")")
        }
        let type = incidentValues[.type]?.value
        if let line = incidentValues[.type]?.line { lines["$.type"] = line }
        if type == nil || type!.isEmpty { error(declared.titleLine, "the INCIDENT DECLARED block has no \"Type:\" line") }

        var declaredAt: Timestamp? = nil
        if let entry = declared.values[.time] {
            lines["$.declaredAt"] = entry.line
            declaredAt = time(entry)
        } else {
            error(declared.titleLine, "the INCIDENT DECLARED block has no \"Time:\" line (the declaration time)")
        }
        let timedKeys: [(IncidentKey, String)] = [(.started, "$.startedAt"), (.detected, "$.detectedAt"), (.acknowledged, "$.acknowledgedAt"), (.escalated, "$.escalatedAt")]
        var times: [IncidentKey: Timestamp] = [:]
        for (key, path) in timedKeys {
            if let entry = incidentValues[key] {
                lines[path] = entry.line
                times[key] = time(entry)
            }
        }
        var resolvedAt: Timestamp? = nil
        var resolvedEntry = incidentValues[.resolutionTime]
        if resolvedEntry == nil, let resolvedBlock = resolvedIndices.first.map({ blocks[$0] }) {
            resolvedEntry = resolvedBlock.values[.time]
            if resolvedEntry == nil {
                error(resolvedBlock.titleLine, "the INCIDENT RESOLVED block has no \"Resolution Time:\" line")
            }
        }
        if let entry = resolvedEntry {
            lines["$.resolvedAt"] = entry.line
            resolvedAt = time(entry)
        }
        if let line = incidentValues[.duration]?.line { lines["$.statedDuration"] = line }
        if let line = incidentValues[.drillRun]?.line { lines["$.drillRunId"] = line }

        // Sections.
        func section(_ name: IncidentSection, in kinds: Set<BlockKind>) -> SectionBody? {
            for block in blocks where kinds.contains(block.kind) {
                if let body = block.sections[name] { return body }
            }
            return nil
        }
        let everywhere: Set<BlockKind> = [.declared, .update, .resolved]
        let descriptionBody = section(.description, in: everywhere)
        if let line = descriptionBody?.line { lines["$.description"] = line }
        let description = descriptionBody?.markdown ?? ""
        if descriptionBody == nil || description.isEmpty {
            error(descriptionBody?.line ?? declared.titleLine, "the INCIDENT DECLARED block has no \"Description:\" section (a heading line, then the text)")
        }

        // Where each section's text and bullets are, for checks of their text (template placeholders).
        func locate(_ body: SectionBody?, at path: String) {
            guard let body else { return }
            lines[path] = body.bullets.first?.line ?? body.line + 1
            for (index, bullet) in body.bullets.enumerated() { lines[path + "[\(index)]"] = bullet.line }
        }
        for (name, path) in [
            (IncidentSection.impact, "$.impact"), (.initialResponse, "$.initialResponse"), (.rootCause, "$.rootCause"),
            (.resolutionActions, "$.resolutionActions"), (.preventionMeasures, "$.preventionMeasures"),
            (.lessonsLearned, "$.lessonsLearned"),
        ] { locate(section(name, in: everywhere), at: path) }
        if let line = incidentValues[.location]?.line { lines["$.location"] = line }

        // Updates.
        var updates: [IncidentUpdate] = []
        for block in blocks where block.kind == .update {
            let position = updates.count
            lines["$.updates[\(position)]"] = block.titleLine
            guard let timeEntry = block.values[.time] else {
                error(block.titleLine, "the STATUS UPDATE block has no \"Time:\" line")
                continue
            }
            lines["$.updates[\(position)].at"] = timeEntry.line
            guard let at = time(timeEntry) else { continue }
            guard let status = block.values[.status], !status.value.isEmpty else {
                error(block.titleLine, "the STATUS UPDATE block has no \"Status:\" line")
                continue
            }
            lines["$.updates[\(position)].status"] = status.line
            locate(block.sections[.progressMade], at: "$.updates[\(position)].progress")
            locate(block.sections[.currentSituation], at: "$.updates[\(position)].currentSituation")
            locate(block.sections[.nextSteps], at: "$.updates[\(position)].nextSteps")
            let situation = block.sections[.currentSituation]?.markdown
            updates.append(
                IncidentUpdate(
                    at: at, status: status.value, progress: block.sections[.progressMade]?.items ?? [],
                    currentSituation: (situation?.isEmpty ?? true) ? nil : situation,
                    nextSteps: block.sections[.nextSteps]?.items ?? [], nextUpdate: block.values[.nextUpdate]?.value))
        }

        // Action items.
        var actionItems: [ActionItem] = []
        if let body = section(.actionItems, in: everywhere) {
            for (offset, bullet) in body.bullets.enumerated() {
                lines["$.actionItems[\(offset)]"] = bullet.line
                switch IncidentText.actionItem(from: bullet.text, defaultId: (id ?? "INCIDENT") + "-A" + String(offset + 1)) {
                case .success(let item): actionItems.append(item)
                case .failure(let problem): error(bullet.line, problem.message)
                }
            }
            if !body.paragraphs.isEmpty {
                error(body.line, "Action Items: holds text that is not a bullet; write each item as \"- [Action] - [Owner] - [Due Date]\"")
            }
        }

        // Unknown keys and headings, and known keys outside their block.
        var extra: [String: String] = [:]
        for block in blocks {
            for entry in block.extraKeys {
                if let first = extra[entry.key], first != entry.value {
                    error(entry.line, quoted(entry.key + ":") + " is given twice with different values")
                }
                extra[entry.key] = entry.value
            }
            if block.kind != .update, let status = block.values[.status] { extra["Status"] = status.value }
            if block.kind == .resolved, let next = block.values[.nextUpdate] { extra["Next Update (resolution)"] = next.value }
            for (name, body) in block.sections where block.kind != .update && [.progressMade, .currentSituation, .nextSteps].contains(name) {
                extra[body.heading] = body.markdown
            }
        }

        guard let id, let severity, let type, !type.isEmpty, let declaredAt, !description.isEmpty,
            !issues.contains(where: \.isError)
        else { return nil }
        let rootCause = section(.rootCause, in: everywhere)?.markdown
        return Incident(
            id: id, severity: severity, type: type, location: incidentValues[.location]?.value,
            description: description, impact: section(.impact, in: everywhere)?.items ?? [],
            initialResponse: section(.initialResponse, in: everywhere)?.items ?? [], declaredAt: declaredAt,
            startedAt: times[.started], detectedAt: times[.detected], acknowledgedAt: times[.acknowledged],
            escalatedAt: times[.escalated], nextUpdate: declared.values[.nextUpdate]?.value, updates: updates,
            resolvedAt: resolvedAt, statedDuration: incidentValues[.duration]?.value,
            rootCause: (rootCause?.isEmpty ?? true) ? nil : rootCause,
            resolutionActions: section(.resolutionActions, in: everywhere)?.items ?? [],
            preventionMeasures: section(.preventionMeasures, in: everywhere)?.items ?? [],
            lessonsLearned: section(.lessonsLearned, in: everywhere)?.items ?? [], actionItems: actionItems,
            drillRunId: incidentValues[.drillRun]?.value, extra: extra)
    }

    /// `P1`, `p2`, `P1 - Critical`, `P3 (minor)`: the leading P1–P4.
    static func severity(_ text: String) -> Severity? {
        let upper = text.trimmingSpaces.uppercased()
        guard upper.count >= 2 else { return nil }
        let head = String(upper.prefix(2))
        guard let severity = Severity(rawValue: head) else { return nil }
        if upper.count == 2 { return severity }
        let next = upper[upper.index(upper.startIndex, offsetBy: 2)]
        return next.isLetter || next.isNumber ? nil : severity
    }
}
