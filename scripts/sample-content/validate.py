#!/usr/bin/env python3
"""Checks the sample content against the DrillbookModel's shape and the story's rules.

    python3 scripts/sample-content/validate.py [content-folder]

Prints one line per problem (file: message), a month x week schedule table, and a summary.
Exits 1 when a problem was found. Needs PyYAML (python3-yaml).
"""

import datetime as dt
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "content"
TODAY = dt.date(2026, 11, 29)

CATEGORIES = {"infrastructure-resilience", "data-provider-outage", "load-and-performance", "incident-response-practice",
              "full-system-failure", "multi-region-outage", "security-incident", "compliance-violation"}
OUTCOMES = {"passed", "failed", "aborted"}
VERDICTS = {"met", "missed", "not-measured"}
STATUSES = {"open", "in-progress", "blocked", "done", "cancelled"}
PRIORITIES = {"immediate", "short-term", "long-term"}
SEVERITIES = {"P1", "P2", "P3", "P4"}
COMPARISONS = {"<": lambda a, t: a < t, "<=": lambda a, t: a <= t, ">": lambda a, t: a > t,
               ">=": lambda a, t: a >= t, "==": lambda a, t: a == t, "!=": lambda a, t: a != t}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AI_ID = re.compile(r"^AI-\d{4}-\d{3}$")
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

problems = []


def problem(path, message):
    problems.append("%s: %s" % (Path(path).relative_to(CONTENT.parent) if Path(path).is_absolute() else path, message))


def instant(text, path, where):
    if not isinstance(text, str) or not ISO.match(text):
        problem(path, "%s: not an ISO 8601 instant with offset: %r" % (where, text))
        return None
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def day(text, path, where):
    if isinstance(text, dt.date):  # YAML unquoted date
        return text
    if not isinstance(text, str) or not DAY.match(text):
        problem(path, "%s: not a YYYY-MM-DD day: %r" % (where, text))
        return None
    return dt.date.fromisoformat(text)


def require(doc, keys, path, where=""):
    for key in keys:
        if key not in doc:
            problem(path, "%smissing key %s" % (where, key))


def add_months(d, n):
    import calendar
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def default_due(source, priority):
    return {"immediate": source + dt.timedelta(days=7), "short-term": source + dt.timedelta(days=28)}.get(
        priority) or add_months(source, 3)


# ---------------------------------------------------------------------------

drills = {}
for path in sorted((CONTENT / "drills").glob("*.yaml")):
    try:
        d = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        problem(path, "YAML: %s" % error)
        continue
    require(d, ["id", "title", "category", "objective", "successCriteria", "allocatedDuration"], path)
    if d.get("id") != path.stem:
        problem(path, "id %r differs from the file name" % d.get("id"))
    if d.get("category") not in CATEGORIES:
        problem(path, "unknown category %r" % d.get("category"))
    seen = set()
    for c in d.get("successCriteria", []):
        if not KEBAB.match(c.get("id", "")):
            problem(path, "criterion id %r is not kebab-case" % c.get("id"))
        if c.get("id") in seen:
            problem(path, "duplicate criterion id %s" % c["id"])
        seen.add(c.get("id"))
        if c.get("comparison") is not None and c["comparison"] not in COMPARISONS:
            problem(path, "criterion %s: unknown comparison %r" % (c["id"], c["comparison"]))
    drills[d.get("id")] = d

action_items = {}  # id -> (item, source day, source path)


def check_action_item(a, source_day, path, where):
    require(a, ["id", "title", "owner", "status", "priority"], path, where + ": ")
    aid = a.get("id", "")
    if not AI_ID.match(aid):
        problem(path, "%s: action id %r is not AI-YYYY-NNN" % (where, aid))
    if aid in action_items:
        problem(path, "%s: action id %s also used in %s" % (where, aid, action_items[aid][2]))
    if a.get("status") not in STATUSES:
        problem(path, "%s: unknown status %r" % (where, a.get("status")))
    if a.get("priority") not in PRIORITIES:
        problem(path, "%s: unknown priority %r" % (where, a.get("priority")))
    closed = a.get("status") in ("done", "cancelled")
    if closed and "closedOn" not in a:
        problem(path, "%s: %s is %s without closedOn" % (where, aid, a["status"]))
    if not closed and "closedOn" in a:
        problem(path, "%s: %s is %s but has closedOn" % (where, aid, a["status"]))
    if "closedOn" in a:
        c = day(a["closedOn"], path, where + ".closedOn")
        if c and source_day and c < source_day:
            problem(path, "%s: %s closed before it was raised" % (where, aid))
    if "dueDate" in a:
        day(a["dueDate"], path, where + ".dueDate")
    action_items[aid] = (a, source_day, str(path))


# ---------------------------------------------------------------------------
runs = {}
overruns = []


def minutes(seconds):
    return "%dh %02dm" % divmod(int(seconds) // 60, 60)


for path in sorted((CONTENT / "runs").rglob("*.json")):
    try:
        r = json.loads(path.read_text())
    except json.JSONDecodeError as error:
        problem(path, "JSON: %s" % error)
        continue
    require(r, ["schemaVersion", "id", "drillId", "environment", "startedAt", "endedAt", "outcome"], path)
    if r.get("schemaVersion") != 1:
        problem(path, "schemaVersion must be 1")
    if r.get("id") != path.stem:
        problem(path, "id %r differs from the file name" % r.get("id"))
    if r.get("id") in runs:
        problem(path, "duplicate run id")
    if path.parent.name != path.stem[:4]:
        problem(path, "run filed under the wrong year folder")
    runs[r.get("id")] = r
    drill = drills.get(r.get("drillId"))
    if drill is None:
        problem(path, "unknown drillId %r" % r.get("drillId"))
    if r.get("outcome") not in OUTCOMES:
        problem(path, "unknown outcome %r" % r.get("outcome"))
    if r.get("outcome") == "aborted" and not r.get("abortReason"):
        problem(path, "aborted without abortReason")
    if r.get("outcome") != "aborted" and r.get("abortReason"):
        problem(path, "abortReason on a run that was not aborted")
    start = instant(r.get("startedAt"), path, "startedAt")
    end = instant(r.get("endedAt"), path, "endedAt")
    if start and end:
        if end <= start:
            problem(path, "endedAt is not after startedAt")
        if not r["id"].startswith(start.date().isoformat()):
            problem(path, "id does not start with the local start day")
        if drill and "allocatedDuration" in drill:
            m = re.findall(r"(\d+)([hm])", drill["allocatedDuration"])
            allocated = sum(int(n) * (3600 if u == "h" else 60) for n, u in m)
            if (end - start).total_seconds() > allocated:
                overruns.append("%s (%s of %s)" % (r["id"], minutes((end - start).total_seconds()), drill["allocatedDuration"]))
    for p in r.get("participants", []):
        require(p, ["name", "role"], path, "participant: ")
    previous = None
    for i, e in enumerate(r.get("timeline", [])):
        require(e, ["at", "event"], path, "timeline[%d]: " % i)
        t = instant(e.get("at"), path, "timeline[%d].at" % i)
        if t and previous and t < previous:
            problem(path, "timeline[%d] is earlier than the event before it" % i)
        if t and start and end and not (start <= t <= end):
            problem(path, "timeline[%d] lies outside the run" % i)
        if not re.match(r"^[a-z-]+\.[a-z-]+$", e.get("event", "")):
            problem(path, "timeline[%d]: event %r is not dotted" % (i, e.get("event")))
        previous = t or previous
    metrics = {}
    for i, mt in enumerate(r.get("metrics", [])):
        require(mt, ["name", "value", "unit"], path, "metrics[%d]: " % i)
        if not isinstance(mt.get("value"), (int, float)):
            problem(path, "metrics[%d]: value is not a number" % i)
        metrics[mt.get("name")] = mt
    missed = False
    if drill:
        wanted = [c["id"] for c in drill["successCriteria"]]
        got = [c.get("criterionId") for c in r.get("criteria", [])]
        if got != wanted:
            problem(path, "criteria %s do not match the drill's %s" % (got, wanted))
        by_id = {c["id"]: c for c in drill["successCriteria"]}
        for res in r.get("criteria", []):
            c = by_id.get(res.get("criterionId"))
            if c is None:
                problem(path, "unknown criterionId %r" % res.get("criterionId"))
                continue
            where = "criterion %s" % c["id"]
            for key in ("text", "metric", "comparison", "target", "unit"):
                if res.get(key) != c.get(key):
                    problem(path, "%s: %s %r differs from the drill's %r" % (where, key, res.get(key), c.get(key)))
            verdict = res.get("verdict")
            if verdict not in VERDICTS:
                problem(path, "%s: unknown verdict %r" % (where, verdict))
            if verdict == "not-measured":
                if "actual" in res:
                    problem(path, "%s: not-measured but has an actual" % where)
                if not res.get("note"):
                    problem(path, "%s: not-measured without a note" % where)
                continue
            if "actual" not in res:
                problem(path, "%s: %s without an actual" % (where, verdict))
                continue
            ok = COMPARISONS[c["comparison"]](res["actual"], c["target"])
            if (verdict == "met") != ok:
                problem(path, "%s: verdict %s but actual %s %s %s" % (where, verdict, res["actual"], c["comparison"], c["target"]))
            missed = missed or verdict == "missed"
            mt = metrics.get(c["metric"])
            if mt is None:
                problem(path, "%s: metric %s missing from metrics" % (where, c["metric"]))
            elif mt["value"] != res["actual"] or mt["unit"] != c.get("unit"):
                problem(path, "%s: metric %s disagrees with the criterion's actual or unit" % (where, c["metric"]))
    if r.get("outcome") == "passed" and missed:
        problem(path, "outcome passed with a missed criterion")
    if r.get("outcome") == "failed" and not missed:
        problem(path, "outcome failed with no missed criterion")
    lessons = r.get("lessons", {})
    for key in ("wentWell", "couldImprove", "nextSteps"):
        if not lessons.get(key):
            problem(path, "lessons.%s is empty" % key)
    for i, a in enumerate(r.get("actionItems", [])):
        check_action_item(a, start.date() if start else None, path, "actionItems[%d]" % i)

# ---------------------------------------------------------------------------
# Incidents: JSON in the Incident model's keys, or the playbook's text templates.

LOG_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::\d{2})?\s*(UTC|Z|[+-]\d{2}:\d{2})$")
BULLET_AI = re.compile(r"^(AI-\d{4}-\d{3}): (.+) - (.+) - (\d{4}-\d{2}-\d{2}) \(([a-z-]+), ([a-z-]+)\)$")


def log_instant(text, path, where):
    m = LOG_TIME.match(text.strip())
    if not m:
        problem(path, "%s: unreadable time %r" % (where, text))
        return None
    offset = "+00:00" if m.group(3) in ("UTC", "Z") else m.group(3)
    return dt.datetime.fromisoformat("%sT%s:00%s" % (m.group(1), m.group(2), offset))


def duration_seconds(text):
    total, found = 0, False
    for n, u in re.findall(r"(\d+)\s*([dhm])", text):
        total += int(n) * {"d": 86400, "h": 3600, "m": 60}[u]
        found = True
    return total if found else None


def parse_log(path):
    raw = path.read_bytes().decode("utf-8")
    lines = raw.replace("\r\n", "\n").split("\n")
    blocks, current = [], None
    i = 0
    while i < len(lines):
        line = lines[i]
        if line in ("INCIDENT DECLARED", "STATUS UPDATE", "INCIDENT RESOLVED"):
            if i + 1 >= len(lines) or not re.match(r"^=+$", lines[i + 1]):
                problem(path, "line %d: %s without a ==== underline" % (i + 1, line))
            current = {"title": line, "keys": {}, "sections": {}, "line": i + 1}
            blocks.append(current)
            i += 2
            section = None
            continue
        if current is not None:
            km = re.match(r"^([A-Z][A-Za-z ]+): (.+)$", line)
            sm = re.match(r"^([A-Z][A-Za-z ]+):$", line)
            if sm:
                section = sm.group(1)
                current["sections"][section] = []
            elif km and not line.startswith(("- ", "* ")) and section is None:
                current["keys"][km.group(1)] = km.group(2)
            elif km and section is not None and not line.startswith(("- ", "* ")) and km.group(1) in (
                    "Next Update", "Incident ID", "Time", "Status"):
                current["keys"][km.group(1)] = km.group(2)
                section = None
            elif line.startswith(("- ", "* ")) and section:
                current["sections"][section].append(line[2:])
            elif line.strip() == "":
                if section and current["sections"][section] and section not in (
                        "Description", "Root Cause", "Current Situation"):
                    section = None
                elif section in ("Description", "Root Cause", "Current Situation") and current["sections"][section]:
                    section = None
            elif section:
                current["sections"][section].append(line)
        i += 1
    return blocks


incidents = {}
incident_times = []
for path in sorted((CONTENT / "incidents").iterdir()):
    if path.suffix == ".json":
        try:
            inc = json.loads(path.read_text())
        except json.JSONDecodeError as error:
            problem(path, "JSON: %s" % error)
            continue
        require(inc, ["id", "severity", "type", "description", "declaredAt"], path)
        declared = instant(inc.get("declaredAt"), path, "declaredAt")
        times = {k: instant(inc[k], path, k) for k in ("startedAt", "detectedAt", "acknowledgedAt", "escalatedAt", "resolvedAt") if k in inc}
        for u in inc.get("updates", []):
            require(u, ["at", "status"], path, "update: ")
            instant(u.get("at"), path, "updates.at")
        stated = inc.get("statedDuration")
        drill_run = inc.get("drillRunId")
        sev, iid = inc.get("severity"), inc.get("id")
        items = inc.get("actionItems", [])
        has_resolution = "resolvedAt" in inc
    elif path.suffix == ".log":
        blocks = parse_log(path)
        titles = [b["title"] for b in blocks]
        if not titles or titles[0] != "INCIDENT DECLARED":
            problem(path, "does not start with INCIDENT DECLARED")
            continue
        updates = titles.count("STATUS UPDATE")
        if not 1 <= updates <= 4:
            problem(path, "%d STATUS UPDATE blocks, expected 1 to 4" % updates)
        decl = blocks[0]
        for key in ("Incident ID", "Severity", "Type", "Time", "Next Update"):
            if key not in decl["keys"]:
                problem(path, "declaration lacks %s" % key)
        for section in ("Description", "Impact", "Initial Response"):
            if not decl["sections"].get(section):
                problem(path, "declaration lacks a %s section" % section)
        iid, sev = decl["keys"].get("Incident ID"), decl["keys"].get("Severity")
        declared = log_instant(decl["keys"].get("Time", ""), path, "Time")
        names = {"Started": "startedAt", "Detected": "detectedAt", "Acknowledged": "acknowledgedAt", "Escalated": "escalatedAt"}
        times = {names[k]: log_instant(decl["keys"][k], path, k) for k in names if k in decl["keys"]}
        for b in blocks[1:]:
            if b["keys"].get("Incident ID") != iid:
                problem(path, "line %d: %s names incident %r" % (b["line"], b["title"], b["keys"].get("Incident ID")))
            if b["title"] == "STATUS UPDATE":
                for key in ("Time", "Status"):
                    if key not in b["keys"]:
                        problem(path, "line %d: status update lacks %s" % (b["line"], key))
                log_instant(b["keys"].get("Time", ""), path, "update Time")
        resolved = [b for b in blocks if b["title"] == "INCIDENT RESOLVED"]
        has_resolution = bool(resolved)
        stated, items = None, []
        if resolved:
            rb = resolved[0]
            times["resolvedAt"] = log_instant(rb["keys"].get("Resolution Time", ""), path, "Resolution Time")
            stated = rb["keys"].get("Duration")
            for section in ("Root Cause", "Resolution Actions", "Prevention Measures", "Lessons Learned"):
                if not rb["sections"].get(section):
                    problem(path, "resolution lacks a %s section" % section)
            for bullet in rb["sections"].get("Action Items", []):
                m = BULLET_AI.match(bullet)
                if not m:
                    problem(path, "unreadable action item bullet %r" % bullet)
                    continue
                items.append({"id": m.group(1), "title": m.group(2), "owner": m.group(3), "dueDate": m.group(4),
                              "priority": m.group(5), "status": m.group(6), "closedOn": "2000-01-01"})
                if m.group(6) not in ("done", "cancelled"):
                    del items[-1]["closedOn"]
        drill_run = decl["keys"].get("Drill Run")
    else:
        problem(path, "unexpected file in incidents/")
        continue
    if iid != path.stem:
        problem(path, "incident id %r differs from the file name" % iid)
    if iid in incidents:
        problem(path, "duplicate incident id")
    if sev not in SEVERITIES:
        problem(path, "unknown severity %r" % sev)
    incidents[iid] = (sev, has_resolution, path.suffix, bool(times.get("startedAt")))
    if drill_run and drill_run not in runs:
        problem(path, "drill run %r does not exist" % drill_run)
    elif drill_run and declared:
        run = runs[drill_run]
        run_start = dt.datetime.fromisoformat(run["startedAt"].replace("Z", "+00:00"))
        run_end = dt.datetime.fromisoformat(run["endedAt"].replace("Z", "+00:00"))
        for key, t in [("declared", declared)] + sorted(times.items()):
            if t and not (run_start <= t <= run_end):
                problem(path, "%s lies outside drill run %s" % (key, drill_run))
    origin = times.get("startedAt") or declared
    for key in ("detectedAt", "acknowledgedAt", "escalatedAt"):
        if times.get(key) and origin and times[key] < origin:
            problem(path, "%s is before the incident started" % key)
    if times.get("resolvedAt") and origin:
        seconds = (times["resolvedAt"] - origin).total_seconds()
        if seconds <= 0:
            problem(path, "resolved before it started")
        if stated is None or duration_seconds(stated) != seconds:
            problem(path, "stated duration %r does not match %d minutes" % (stated, seconds // 60))
    for i, a in enumerate(items):
        a = dict(a)
        if path.suffix == ".log" and a.get("closedOn") == "2000-01-01":
            a["closedOn"] = declared.date().isoformat() if declared else "2000-01-01"
        check_action_item(a, declared.date() if declared else None, path, "action item %d" % i)
    if declared:
        incident_times.append(declared)

# ---------------------------------------------------------------------------
# Action histories

histories = 0
for path in sorted((CONTENT / "actions").glob("*.yaml")):
    histories += 1
    try:
        doc = yaml.safe_load(path.read_text())
    except yaml.YAMLError as error:
        problem(path, "YAML: %s" % error)
        continue
    if path.stem not in action_items:
        problem(path, "no run or incident has action item %s" % path.stem)
        continue
    item, source_day, _ = action_items[path.stem]
    previous = source_day
    updates = doc.get("updates", []) if isinstance(doc, dict) else []
    if not updates:
        problem(path, "no updates")
    for i, u in enumerate(updates):
        if isinstance(u, dict) and True in u:  # YAML 1.1 reads the key `on` as a boolean
            u["on"] = u.pop(True)
        require(u, ["on", "status"], path, "updates[%d]: " % i)
        on = day(u.get("on"), path, "updates[%d].on" % i)
        if u.get("status") not in STATUSES:
            problem(path, "updates[%d]: unknown status %r" % (i, u.get("status")))
        if on and previous and on < previous:
            problem(path, "updates[%d] is dated before the update or source before it" % i)
        if on and on > TODAY:
            problem(path, "updates[%d] is in the future" % i)
        if "dueDate" in u:
            day(u["dueDate"], path, "updates[%d].dueDate" % i)
        previous = on or previous
    if updates and updates[-1].get("status") != item.get("status"):
        problem(path, "last update says %s but the item says %s" % (updates[-1].get("status"), item.get("status")))

# ---------------------------------------------------------------------------
# Corpus-wide expectations and the schedule table.

statuses = {a["status"] for a, _, _ in action_items.values()}
for s in STATUSES - statuses:
    problem("content", "no action item has status %s" % s)
for s in SEVERITIES - {v[0] for v in incidents.values()}:
    problem("content", "no incident has severity %s" % s)
if sum(1 for r in runs.values() if r.get("outcome") == "aborted") != 1:
    problem("content", "expected exactly one aborted run")
open_incidents = [k for k, v in incidents.items() if not v[1]]
overdue = []
for aid, (a, source, _) in sorted(action_items.items()):
    if a["status"] in ("open", "in-progress", "blocked"):
        due = dt.date.fromisoformat(a["dueDate"]) if "dueDate" in a else default_due(source, a["priority"])
        if due < TODAY:
            overdue.append("%s (%s, due %s)" % (aid, a["status"], due))

with open(CONTENT / "schedule.yaml") as f:
    schedule = yaml.safe_load(f)
week_category = {s["week"]: s["category"] for s in schedule["monthly"]}
quarter_category = {s["quarter"]: s["category"] for s in schedule["quarterly"]}


def week_of(d):
    return min(4, (d.day - 1) // 7 + 1)


filled = {}
for r in runs.values():
    d = dt.date.fromisoformat(r["id"][:10])
    cat = drills.get(r["drillId"], {}).get("category")
    filled.setdefault((d.year, d.month, "cat"), set()).add((week_of(d), cat))
    filled.setdefault((d.year, (d.month - 1) // 3 + 1, "q"), set()).add(cat)

print("Schedule (x = a run of the slot's category in that week, . = missed)")
print("month     w1 w2 w3 w4  quarter theme")
slots = missed = 0
y, m = 2025, 10
while (y, m) <= (2026, 11):
    row = []
    for w in (1, 2, 3, 4):
        ok = (w, week_category[w]) in filled.get((y, m, "cat"), set())
        slots += 1
        missed += not ok
        row.append(" x" if ok else " .")
    q = (m - 1) // 3 + 1
    theme = ""
    if m in (3, 6, 9, 12) or (y, m) == (2026, 11):
        ok = quarter_category[q] in filled.get((y, q, "q"), set())
        slots += 1
        missed += not ok
        theme = "%d-Q%d %s: %s" % (y, q, quarter_category[q], "x" if ok else ".")
    print("%d-%02d  %s  %s" % (y, m, " ".join(row), theme))
    m += 1
    if m == 13:
        y, m = y + 1, 1

outcomes = {}
for r in runs.values():
    outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
print()
print("drills %d, runs %d %s, incidents %d (%d json, %d log, open: %s), action items %d, histories %d"
      % (len(drills), len(runs), outcomes, len(incidents), sum(1 for v in incidents.values() if v[2] == ".json"),
         sum(1 for v in incidents.values() if v[2] == ".log"), ", ".join(open_incidents) or "none",
         len(action_items), histories))
print("schedule adherence %d/%d slots (%.0f %%)" % (slots - missed, slots, 100.0 * (slots - missed) / slots))
print("over their allocated time: %s" % ("; ".join(overruns) or "none"))
print("overdue on %s: %s" % (TODAY, "; ".join(overdue) or "none"))
if problems:
    print()
    for p in problems:
        print(p)
    print("%d problem(s)" % len(problems))
    sys.exit(1)
print("no problems")
