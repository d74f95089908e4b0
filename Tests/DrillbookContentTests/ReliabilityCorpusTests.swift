@testable import DrillbookContent
import Foundation
import Testing

/// The reliability corpus: malformed and hostile files (`Fixtures/hostile/corpus`), each with the
/// exact lines `drillbook check` prints for it. Every record kind is there (drills, runs,
/// incidents as JSON and text, action histories, the schedule) with truncation, wrong types,
/// YAML nulls, duplicate keys, BOMs, CRLF, invalid UTF-8, lone surrogates, numbers out of range,
/// 100,000 nested lists, and ids the site cannot name a page with.
///
/// Each case is loaded in a folder of its own beside one valid drill and one valid run (which
/// raises action item `AI-1`), so cross-record checks have something to refer to. Where a case
/// goes: `drills/`, `runs/` and `incidents/` files keep their name; `actions/X.yaml` becomes
/// `actions/AI-1.yaml`; `schedule/X.yaml` becomes `schedule.yaml`; `sets/NAME/` is a folder of
/// several files, copied as it is.
@Suite struct ReliabilityCorpusTests {
    static let corpus = fixtures.appendingPathComponent("hostile/corpus")

    /// The cases that are valid: hostile in form (BOM, CRLF, an ISO duration, surrogate pairs), and
    /// loaded without a word. Every other case must give at least one issue, with its place.
    static let valid: Set<String> = [
        "drills/bom-crlf.yaml", "drills/duration-iso.yaml", "drills/id-quoted-null.yaml", "drills/id-slash.yaml",
        "incidents/crlf-bom.log", "runs/bom-crlf.json", "runs/valid-surrogate-pair.json",
    ]

    /// Case → every line `check` prints for it, in order.
    static let expected: [String: [String]] = [
        "actions/empty.yaml": [
            #"content/actions/AI-1.yaml:1: the file is empty; expected a mapping of ActionUpdates keys"#,
        ],
        "actions/invalid-utf8.yaml": [
            #"content/actions/AI-1.yaml:4:15: not valid UTF-8: byte 0xE9 at byte offset 59 (a Latin-1 or Windows-1252 file?); save the file as UTF-8"#,
        ],
        "actions/on-tilde.yaml": [
            #"content/actions/AI-1.yaml:2: $.updates[0].on: expected a date as YYYY-MM-DD, got null"#,
        ],
        "actions/status-null.yaml": [
            #"content/actions/AI-1.yaml:3: $.updates[0].status: expected one of open, in-progress, blocked, done, cancelled, got null"#,
        ],
        "actions/status-wrong.yaml": [
            #"content/actions/AI-1.yaml:3: $.updates[0].status: expected one of open, in-progress, blocked, done, cancelled, got "finished""#,
        ],
        "actions/updates-item-empty.yaml": [
            #"content/actions/AI-1.yaml:2: $.updates[0]: expected an object, got null"#,
        ],
        "actions/updates-null.yaml": [#"content/actions/AI-1.yaml:1: $.updates: expected a list, got null"#],
        "drills/alias-bomb.yaml": [
            #"content/drills/alias-bomb.yaml:12: warning: $.a: unknown key "a" (a typo?); it is ignored; known keys here: id, playbookSection, title, category, objective, scenario, expectedBehaviour, successCriteria, recoveryTarget, observabilityChecks, allocatedDuration, environment, preparationChecklist, rollbackChecklist, impact, rollbackPlan, execution"#,
            #"content/drills/alias-bomb.yaml:13: warning: $.b: unknown key "b" (a typo?); it is ignored; known keys here: id, playbookSection, title, category, objective, scenario, expectedBehaviour, successCriteria, recoveryTarget, observabilityChecks, allocatedDuration, environment, preparationChecklist, rollbackChecklist, impact, rollbackPlan, execution"#,
            #"content/drills/alias-bomb.yaml:14: warning: $.c: unknown key "c" (a typo?); it is ignored; known keys here: id, playbookSection, title, category, objective, scenario, expectedBehaviour, successCriteria, recoveryTarget, observabilityChecks, allocatedDuration, environment, preparationChecklist, rollbackChecklist, impact, rollbackPlan, execution"#,
            #"content/drills/alias-bomb.yaml:15: warning: $.d: unknown key "d" (a typo?); it is ignored; known keys here: id, playbookSection, title, category, objective, scenario, expectedBehaviour, successCriteria, recoveryTarget, observabilityChecks, allocatedDuration, environment, preparationChecklist, rollbackChecklist, impact, rollbackPlan, execution"#,
            #"content/drills/alias-bomb.yaml:16: warning: $.e: unknown key "e" (a typo?); it is ignored; known keys here: id, playbookSection, title, category, objective, scenario, expectedBehaviour, successCriteria, recoveryTarget, observabilityChecks, allocatedDuration, environment, preparationChecklist, rollbackChecklist, impact, rollbackPlan, execution"#,
            #"content/drills/alias-bomb.yaml:17: warning: $.f: unknown key "f" (a typo?); it is ignored; known keys here: id, playbookSection, title, category, objective, scenario, expectedBehaviour, successCriteria, recoveryTarget, observabilityChecks, allocatedDuration, environment, preparationChecklist, rollbackChecklist, impact, rollbackPlan, execution"#,
            #"content/drills/alias-bomb.yaml:18: $.scenario[0]: expected a string, got a list"#,
            #"content/drills/alias-bomb.yaml:18: $.scenario[1]: expected a string, got a list"#,
            #"content/drills/alias-bomb.yaml:18: $.scenario[2]: expected a string, got a list"#,
            #"content/drills/alias-bomb.yaml:18: $.scenario[3]: expected a string, got a list"#,
            #"content/drills/alias-bomb.yaml:18: $.scenario[4]: expected a string, got a list"#,
            #"content/drills/alias-bomb.yaml:18: $.scenario[5]: expected a string, got a list"#,
            #"content/drills/alias-bomb.yaml:18: $.scenario[6]: expected a string, got a list"#,
            #"content/drills/alias-bomb.yaml:18: $.scenario[7]: expected a string, got a list"#,
            #"content/drills/alias-bomb.yaml:18: $.scenario[8]: expected a string, got a list"#,
            #"content/drills/alias-bomb.yaml:18: warning: $.g: unknown key "g" (a typo?); it is ignored; known keys here: id, playbookSection, title, category, objective, scenario, expectedBehaviour, successCriteria, recoveryTarget, observabilityChecks, allocatedDuration, environment, preparationChecklist, rollbackChecklist, impact, rollbackPlan, execution"#,
            #"content/drills/alias-bomb.yaml:19: warning: $.h: unknown key "h" (a typo?); it is ignored; known keys here: id, playbookSection, title, category, objective, scenario, expectedBehaviour, successCriteria, recoveryTarget, observabilityChecks, allocatedDuration, environment, preparationChecklist, rollbackChecklist, impact, rollbackPlan, execution"#,
        ],
        "drills/bom-crlf.yaml": [],
        "drills/comment-only.yaml": [
            #"content/drills/comment-only.yaml:1: the file is empty; expected a mapping of DrillDefinition keys"#,
        ],
        "drills/criteria-item-null.yaml": [
            #"content/drills/criteria-item-null.yaml:7: $.successCriteria[0]: expected an object, got null"#,
        ],
        "drills/criteria-null.yaml": [
            #"content/drills/criteria-null.yaml:6: $.successCriteria: expected a list, got null"#,
        ],
        "drills/deep-nesting-block.yaml": [
            #"content/drills/deep-nesting-block.yaml:3:1999: malformed YAML: nesting deeper than 1000 levels (while parsing at line 3)"#,
        ],
        "drills/deep-nesting.yaml": [
            #"content/drills/deep-nesting.yaml:2:12: malformed YAML: nesting deeper than 1000 levels (while parsing at line 2)"#,
        ],
        "drills/duplicate-key.yaml": [
            #"content/drills/duplicate-key.yaml:2:1: malformed YAML: the key(s) "title" appear twice in the same mapping; keep one"#,
        ],
        "drills/duration-forever.yaml": [
            #"content/drills/duration-forever.yaml:5: $.allocatedDuration: expected a duration like 45m, 1h 30m, 90 minutes or PT1H30M, got "forever""#,
        ],
        "drills/duration-iso.yaml": [],
        "drills/duration-negative.yaml": [
            #"content/drills/duration-negative.yaml:5: $.allocatedDuration: expected a duration like 45m, 1h 30m, 90 minutes or PT1H30M, got "-30m""#,
        ],
        "drills/duration-null.yaml": [
            #"content/drills/duration-null.yaml:5: $.allocatedDuration: expected a duration like 45m, 1h 30m, 90 minutes or PT1H30M, got null"#,
        ],
        "drills/duration-overflow.yaml": [
            #"content/drills/duration-overflow.yaml:5: $.allocatedDuration: expected a duration like 45m, 1h 30m, 90 minutes or PT1H30M, got "1e400""#,
        ],
        "drills/empty.yaml": [
            #"content/drills/empty.yaml:1: the file is empty; expected a mapping of DrillDefinition keys"#,
        ],
        "drills/id-empty.yaml": [#"content/drills/id-empty.yaml:1: $.id: expected a string, got null"#],
        "drills/id-no-letters.yaml": [
            #"content/drills/id-no-letters.yaml:1: $.id: the drill id "!!!" has no letters or digits to name its page; use letters, digits and dashes"#,
        ],
        "drills/id-null.yaml": [#"content/drills/id-null.yaml:1: $.id: expected a string, got null"#],
        "drills/id-quoted-null.yaml": [],
        "drills/id-run-history-page.yaml": [
            #"content/drills/id-run-history-page.yaml:1: $.id: the drill id "redis-runs-2" would be written to drills/redis-runs-2.html, the name of a page of another drill's run history; rename it"#,
        ],
        "drills/id-slash.yaml": [],
        "drills/id-tilde.yaml": [#"content/drills/id-tilde.yaml:1: $.id: expected a string, got null"#],
        "drills/invalid-utf8.yaml": [
            #"content/drills/invalid-utf8.yaml:2:11: not valid UTF-8: byte 0xE9 at byte offset 27 (a Latin-1 or Windows-1252 file?); save the file as UTF-8"#,
        ],
        "drills/nul-byte.yaml": [
            #"content/drills/nul-byte.yaml:2:9: malformed YAML: control characters are not allowed (U+0000)"#,
        ],
        "drills/objective-null.yaml": [
            #"content/drills/objective-null.yaml:4: $.objective: expected a string, got null"#,
        ],
        "drills/scenario-item-null.yaml": [
            #"content/drills/scenario-item-null.yaml:14: $.scenario[1]: expected a string, got null"#,
        ],
        "drills/tab-indent.yaml": [
            #"content/drills/tab-indent.yaml:13:1: malformed YAML: found character that cannot start any token (while scanning for the next token at line 13)"#,
        ],
        "drills/target-infinity.yaml": [
            #"content/drills/target-infinity.yaml:10: $.successCriteria[0].target: expected a number, got ".inf""#,
        ],
        "drills/target-nan.yaml": [
            #"content/drills/target-nan.yaml:10: $.successCriteria[0].target: expected a number, got ".nan""#,
        ],
        "drills/target-overflow.yaml": [
            #"content/drills/target-overflow.yaml:10: $.successCriteria[0].target: the number 1e400 is out of range (beyond ±1.8e308)"#,
        ],
        "drills/title-empty.yaml": [#"content/drills/title-empty.yaml:2: $.title: expected a string, got null"#],
        "drills/title-list.yaml": [#"content/drills/title-list.yaml:2: $.title: expected a string, got a list"#],
        "drills/title-tilde.yaml": [#"content/drills/title-tilde.yaml:2: $.title: expected a string, got null"#],
        "drills/top-level-list.yaml": [#"content/drills/top-level-list.yaml:1: $: expected an object, got a list"#],
        "drills/truncated-flow.yaml": [
            #"content/drills/truncated-flow.yaml:2:20: malformed YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2) at the end of the file"#,
        ],
        "incidents/blank.txt": [
            #"content/incidents/blank.txt:1: expected an INCIDENT DECLARED block (a title line, an underline of '=' and Key: Value lines); the file has none"#,
        ],
        "incidents/crlf-bom.log": [],
        "incidents/deep-nesting.json": [
            #"content/incidents/deep-nesting.json:1:518: malformed JSON: nesting deeper than 512 levels"#,
        ],
        "incidents/duplicate-key.json": [
            #"content/incidents/duplicate-key.json:7: $.id: key "id" appears twice in the same object; keep one"#,
        ],
        "incidents/empty.json": [
            #"content/incidents/empty.json:1:1: malformed JSON: unexpected end of file: expected a value"#,
        ],
        "incidents/empty.log": [
            #"content/incidents/empty.log:1: expected an INCIDENT DECLARED block (a title line, an underline of '=' and Key: Value lines); the file has none"#,
        ],
        "incidents/id-index-page.json": [
            #"content/incidents/id-index-page.json:2: $.id: the incident id "index-2" would be written to incidents/index-2.html, a page of the incident index; rename it"#,
        ],
        "incidents/id-no-letters.json": [
            #"content/incidents/id-no-letters.json:2: $.id: the incident id "!!!" has no letters or digits to name its page; use letters, digits and dashes"#,
        ],
        "incidents/id-no-letters.log": [
            #"content/incidents/id-no-letters.log:4: the incident id "***" has no letters or digits to name its page; use letters, digits and dashes"#,
        ],
        "incidents/invalid-utf8.json": [
            #"content/incidents/invalid-utf8.json:4:15: not valid UTF-8: byte 0xE9 at byte offset 55 (a Latin-1 or Windows-1252 file?); save the file as UTF-8"#,
        ],
        "incidents/invalid-utf8.log": [
            #"content/incidents/invalid-utf8.log:10:4: not valid UTF-8: byte 0xE9 at byte offset 141 (a Latin-1 or Windows-1252 file?); save the file as UTF-8"#,
        ],
        "incidents/invalid-utf8.txt": [
            #"content/incidents/invalid-utf8.txt:6:14: not valid UTF-8: byte 0xE9 at byte offset 83 (a Latin-1 or Windows-1252 file?); save the file as UTF-8"#,
        ],
        "incidents/lone-surrogate.json": [
            #"content/incidents/lone-surrogate.json:4: $.type: the escape \udbff is half of a UTF-16 surrogate pair without its other half; write the character itself, or both halves"#,
        ],
        "incidents/number-overflow-extra.json": [
            #"content/incidents/number-overflow-extra.json:7: $.extra.cost: expected a string, got 1e400"#,
        ],
        "incidents/stated-negative-duration.log": [
            #"content/incidents/stated-negative-duration.log:18: warning: cannot read the duration "-5m"; expected something like 1h 25m, 45 minutes or PT1H25M"#,
        ],
        "incidents/truncated.log": [
            #"content/incidents/truncated.log:1: the INCIDENT DECLARED block has no "Description:" section (a heading line, then the text)"#,
            #"content/incidents/truncated.log:1: the INCIDENT DECLARED block has no "Time:" line (the declaration time)"#,
            #"content/incidents/truncated.log:1: the INCIDENT DECLARED block has no "Type:" line"#,
            #"content/incidents/truncated.log:5: expected a severity, one of P1, P2, P3, P4, got "P""#,
        ],
        "runs/action-id-no-letters.json": [
            #"content/runs/action-id-no-letters.json:10: $.actionItems[0].id: the action item id "???" has no letters or digits to name its page; use letters, digits and dashes"#,
        ],
        "runs/action-id-view-name.json": [
            #"content/runs/action-id-view-name.json:10: $.actionItems[0].id: the action item id "done" would be written to actions/done.html, which is a view of the action items; rename it (e.g. AI-2026-001)"#,
        ],
        "runs/action-id-view-page.json": [
            #"content/runs/action-id-view-page.json:10: $.actionItems[0].id: the action item id "Overdue-2" would be written to actions/overdue-2.html, which is a view of the action items; rename it (e.g. AI-2026-001)"#,
        ],
        "runs/bom-crlf.json": [],
        "runs/bom-with-error.json": [
            #"content/runs/bom-with-error.json:17: $.criteria[0].verdict: expected one of met, missed, not-measured, got "ok""#,
        ],
        "runs/deep-nesting-in-record.json": [
            #"content/runs/deep-nesting-in-record.json:10:529: malformed JSON: nesting deeper than 512 levels"#,
        ],
        "runs/deep-nesting.json": [
            #"content/runs/deep-nesting.json:1:512: malformed JSON: nesting deeper than 512 levels"#,
        ],
        "runs/duplicate-key.json": [
            #"content/runs/duplicate-key.json:10: $.summary: key "summary" appears twice in the same object; keep one"#,
        ],
        "runs/empty.json": [
            #"content/runs/empty.json:1:1: malformed JSON: unexpected end of file: expected a value"#,
        ],
        "runs/id-empty.json": [
            #"content/runs/id-empty.json:3: $.id: the run id "" has no letters or digits to name its page; use letters, digits and dashes"#,
        ],
        "runs/id-index.json": [
            #"content/runs/id-index.json:3: $.id: the run id "INDEX" would be written to runs/index.html, the section's index page; rename it"#,
        ],
        "runs/id-no-letters.json": [
            #"content/runs/id-no-letters.json:3: $.id: the run id "!!!" has no letters or digits to name its page; use letters, digits and dashes"#,
        ],
        "runs/invalid-utf8-byte.json": [
            #"content/runs/invalid-utf8-byte.json:9:18: not valid UTF-8: byte 0xFF at byte offset 232 (a Latin-1 or Windows-1252 file?); save the file as UTF-8"#,
        ],
        "runs/invalid-utf8-cut-sequence.json": [
            #"content/runs/invalid-utf8-cut-sequence.json:9:18: not valid UTF-8: byte 0xC3 at byte offset 232 (a Latin-1 or Windows-1252 file?); save the file as UTF-8"#,
        ],
        "runs/invalid-utf8-encoded-surrogate.json": [
            #"content/runs/invalid-utf8-encoded-surrogate.json:9:16: not valid UTF-8: byte 0xED at byte offset 230 (a Latin-1 or Windows-1252 file?); save the file as UTF-8"#,
        ],
        "runs/invalid-utf8-outside-string.json": [
            #"content/runs/invalid-utf8-outside-string.json:8:3: not valid UTF-8: byte 0xFF at byte offset 194 (a Latin-1 or Windows-1252 file?); save the file as UTF-8"#,
        ],
        "runs/invalid-utf8-overlong.json": [
            #"content/runs/invalid-utf8-overlong.json:9:16: not valid UTF-8: byte 0xC0 at byte offset 230 (a Latin-1 or Windows-1252 file?); save the file as UTF-8"#,
        ],
        "runs/lone-high-surrogate.json": [
            #"content/runs/lone-high-surrogate.json:9: $.summary: the escape \ud800 is half of a UTF-16 surrogate pair without its other half; write the character itself, or both halves"#,
        ],
        "runs/lone-low-surrogate.json": [
            #"content/runs/lone-low-surrogate.json:9: $.summary: the escape \udc00 is half of a UTF-16 surrogate pair without its other half; write the character itself, or both halves"#,
        ],
        "runs/lone-surrogate-in-key.json": [
            "content/runs/lone-surrogate-in-key.json:10: warning: $[\"\u{FFFD}\"]: unknown key \"\u{FFFD}\" (a typo?); it is ignored; known keys here: schemaVersion, id, drillId, environment, realisation, startedAt, endedAt, participants, outcome, abortReason, approvedBy, runBy, summary, timeline, metrics, criteria, observations, lessons, actionItems, probes, outputs, series, importedFrom",
            #"content/runs/lone-surrogate-in-key.json:10: $: the escape \ud800 in a key is half of a UTF-16 surrogate pair without its other half; write the character itself, or both halves"#,
        ],
        "runs/lone-surrogate-in-list.json": [
            #"content/runs/lone-surrogate-in-list.json:10: $.observations[1]: the escape \ud83d is half of a UTF-16 surrogate pair without its other half; write the character itself, or both halves"#,
        ],
        "runs/nul-byte.json": [
            #"content/runs/nul-byte.json:8:3: malformed JSON: expected a key in double quotes, got the control character U+0000"#,
        ],
        "runs/null-id.json": [#"content/runs/null-id.json:3: $.id: expected a string, got null"#],
        "runs/number-overflow-400-digits.json": [
            #"content/runs/number-overflow-400-digits.json:16: $.criteria[0].actual: the number 10000000000000000000… (401 characters) is out of range (beyond ±1.8e308)"#,
        ],
        "runs/number-overflow-negative.json": [
            #"content/runs/number-overflow-negative.json:15: $.criteria[0].target: the number -1e400 is out of range (beyond ±1.8e308)"#,
        ],
        "runs/number-overflow-schema-version.json": [
            #"content/runs/number-overflow-schema-version.json:2: $.schemaVersion: expected the integer 1, got 1e400"#,
        ],
        "runs/number-overflow-unknown-key.json": [
            #"content/runs/number-overflow-unknown-key.json:10: warning: $.cost: unknown key "cost" (a typo?); it is ignored; known keys here: schemaVersion, id, drillId, environment, realisation, startedAt, endedAt, participants, outcome, abortReason, approvedBy, runBy, summary, timeline, metrics, criteria, observations, lessons, actionItems, probes, outputs, series, importedFrom"#,
        ],
        "runs/number-overflow.json": [
            #"content/runs/number-overflow.json:16: $.criteria[0].actual: the number 1e400 is out of range (beyond ±1.8e308)"#,
        ],
        "runs/number-underflow.json": [
            #"content/runs/number-underflow.json:16: $.criteria[0].actual: the number 1e-400 is out of range (closer to zero than 4.9e-324); write 0"#,
        ],
        "runs/surrogate-then-other-escape.json": [
            #"content/runs/surrogate-then-other-escape.json:9: $.summary: the escape \ud800 is half of a UTF-16 surrogate pair without its other half; write the character itself, or both halves"#,
        ],
        "runs/tab-in-string.json": [
            #"content/runs/tab-in-string.json:9:16: malformed JSON: control character inside a string"#,
        ],
        "runs/top-level-list.json": [#"content/runs/top-level-list.json:1: $: expected an object, got a list"#],
        "runs/top-level-string.json": [#"content/runs/top-level-string.json:1: $: expected an object, got "run""#],
        "runs/truncated-after-value.json": [
            #"content/runs/truncated-after-value.json:3:12: malformed JSON: expected ',' or '}' after the value of "id", got end of file"#,
        ],
        "runs/truncated-in-key.json": [
            #"content/runs/truncated-in-key.json:4:9: malformed JSON: unterminated string: end of file before the closing '"'"#,
        ],
        "runs/truncated-in-number.json": [
            #"content/runs/truncated-in-number.json:3:29: malformed JSON: expected a digit after '.', got end of file"#,
        ],
        "runs/valid-surrogate-pair.json": [],
        "runs/whitespace-only.json": [
            #"content/runs/whitespace-only.json:3:1: malformed JSON: unexpected end of file: expected a value"#,
        ],
        "runs/wrong-type-criteria.json": [
            #"content/runs/wrong-type-criteria.json:10: $.criteria: expected a list, got an object"#,
        ],
        "runs/wrong-type-id.json": [#"content/runs/wrong-type-id.json:3: $.id: expected a string, got 42"#],
        "schedule/empty.yaml": [
            #"content/schedule.yaml:1: the file is empty; expected a mapping of DrillSchedule keys"#,
        ],
        "schedule/invalid-utf8.yaml": [
            #"content/schedule.yaml:1:5: not valid UTF-8: byte 0xE4 at byte offset 4 (a Latin-1 or Windows-1252 file?); save the file as UTF-8"#,
        ],
        "schedule/monthly-null.yaml": [#"content/schedule.yaml:1: $.monthly: expected a list, got null"#],
        "schedule/week-huge-integer.yaml": [
            #"content/schedule.yaml:2: $.monthly[0].week: expected an integer from 1 to 4, got "99999999999999999999""#,
        ],
        "schedule/week-null.yaml": [
            #"content/schedule.yaml:2: $.monthly[0].week: expected an integer from 1 to 4, got null"#,
        ],
        "schedule/week-overflow.yaml": [
            #"content/schedule.yaml:2: $.monthly[0].week: expected an integer from 1 to 4, got "1e400""#,
        ],
        "sets/action-slug-collision": [
            #"content/runs/b.json:10: $.actionItems[0].id: the action item ids "AI/7" (in content/runs/a.json) and "ai-7" would both be written to actions/ai-7.html; rename one"#,
        ],
        "sets/drill-slug-collision": [
            #"content/drills/upper.yaml:1: $.id: the drill ids "redis-sentinel-failover" (in content/drills/redis-sentinel-failover.yaml) and "Redis-Sentinel-Failover" would both be written to drills/redis-sentinel-failover.html; rename one"#,
        ],
        "sets/incident-slug-collision": [
            #"content/incidents/inc-1.json:2: $.id: the incident ids "INC/1" (in content/incidents/INC-SLASH-1.json) and "inc-1" would both be written to incidents/inc-1.html; rename one"#,
        ],
        "sets/incident-text-slug-collision": [
            #"content/incidents/b.json:2: $.id: the incident ids "INC L 9" (in content/incidents/a.log) and "inc-l-9" would both be written to incidents/inc-l-9.html; rename one"#,
        ],
        "sets/run-slug-collision": [
            #"content/runs/b.json:3: $.id: the run ids "Run 1" (in content/runs/a.json) and "run-1" would both be written to runs/run-1.html; rename one"#,
        ],
    ]

    /// Every case of the corpus folder, as its table key (`runs/empty.json`, `sets/run-slug-collision`).
    static func cases() throws -> [String] {
        let manager = FileManager.default
        var names: [String] = []
        for folder in ["drills", "runs", "incidents", "actions", "schedule", "sets"] {
            for name in try manager.contentsOfDirectory(atPath: corpus.appendingPathComponent(folder).path) where !name.hasPrefix(".") {
                names.append(folder + "/" + name)
            }
        }
        return names.sorted()
    }

    /// A scratch content folder holding the base records and `name` placed as described above.
    static func content(for name: String) throws -> ScratchContent {
        let scratch = try ScratchContent(["drills/redis-sentinel-failover.yaml": minimalDrillYAML, "runs/base-run.json": runJSON(id: "base-run")])
        let source = corpus.appendingPathComponent(name)
        let manager = FileManager.default
        let folder = String(name.prefix { $0 != "/" })
        switch folder {
        case "sets":
            let files = try #require(manager.enumerator(atPath: source.path))
            for case let relative as String in files {
                var isDirectory: ObjCBool = false
                let from = source.appendingPathComponent(relative)
                guard manager.fileExists(atPath: from.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                try place(from, in: scratch, at: relative)
            }
        case "actions": try place(source, in: scratch, at: "actions/AI-1." + source.pathExtension)
        case "schedule": try place(source, in: scratch, at: "schedule.yaml")
        default: try place(source, in: scratch, at: name)
        }
        return scratch
    }

    private static func place(_ file: URL, in scratch: ScratchContent, at relative: String) throws {
        let target = scratch.root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contentsOf: file).write(to: target)
    }

    @Test func everyCaseHasItsLinesInTheTable() throws {
        let cases = try Self.cases()
        #expect(cases == Self.expected.keys.sorted())
        #expect(cases.count >= 100)
    }

    @Test(arguments: try ReliabilityCorpusTests.cases()) func caseGivesExactlyItsLines(name: String) throws {
        let scratch = try Self.content(for: name)
        defer { scratch.remove() }
        #expect(scratch.descriptions() == Self.expected[name] ?? ["(not in the table)"], "\(name)")
    }

    /// The two failures the corpus exists to prevent: an error that names no line or JSON path,
    /// and a bad file accepted without one.
    @Test(arguments: try ReliabilityCorpusTests.cases()) func caseIsLocatedAndNotAcceptedSilently(name: String) throws {
        let scratch = try Self.content(for: name)
        defer { scratch.remove() }
        let issues = scratch.load().issues
        for issue in issues {
            #expect(issue.location?.line != nil || issue.location?.jsonPath != nil, "\(name): \(issue)")
        }
        if Self.valid.contains(name) {
            #expect(issues.isEmpty, "\(name)")
        } else {
            #expect(!issues.isEmpty, "\(name) was accepted without a word")
        }
    }

    /// The UTF-8 check against the standard library's validation as the oracle, over short byte
    /// strings made of the bytes where UTF-8's rules change (leads, continuation limits, C0/C1,
    /// F4/F5), from a fixed seed.
    @Test func utf8CheckAgreesWithTheStandardLibrary() {
        let edges: [UInt8] = [0x00, 0x0A, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF3, 0xF4, 0xF5, 0xFF]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for _ in 0..<50_000 {
            let bytes = (0..<(next() % 7)).map { _ in edges[next() % edges.count] }
            let invalid = UTF8Text.firstInvalidByte(in: bytes)
            #expect((invalid == nil) == (String(validating: bytes, as: UTF8.self) != nil), "\(bytes)")
            if let invalid {
                // Everything before the named byte is UTF-8.
                #expect(String(validating: bytes[..<invalid.offset], as: UTF8.self) != nil, "\(bytes)")
            }
        }
    }

    /// Lines and columns of the first bad byte: columns count characters, a BOM is not one.
    @Test func utf8CheckNamesLineAndColumn() {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("ok\ncafé ".utf8) + [0xE9, 0x0A]
        #expect(UTF8Text.firstInvalidByte(in: bytes) == .init(offset: 12, line: 2, column: 6, byte: 0xE9))
        #expect(UTF8Text.firstInvalidByte(in: Array("😀 fine\n".utf8)) == nil)
        #expect(UTF8Text.firstInvalidByte(in: [0xF0, 0x9F, 0x98]) == .init(offset: 0, line: 1, column: 1, byte: 0xF0))
    }
}
