#!/usr/bin/env python3
"""Checks the sample content against the story's own rules.

    python3 scripts/sample-content/validate.py [content-folder] [drillbook-binary]

The record formats (keys, types, enums, instants, ids, cross-record references, verdicts against
targets, stated incident durations) are drillbook's to check: this script runs
`drillbook check --content FOLDER` first and stops when it fails. What it adds is the story the
generator tells, which no other history has to follow: file and id conventions, runs that restate
their drill's criteria in order, lessons in every run, action histories that end where their item
stands, one aborted run, every status and severity present. It then prints the month x week
schedule table, the runs over their allocated time and the action items overdue on 2026-11-29.

Incidents are read as drillbook normalises them (`drillbook inspect --json FILE`), whichever form
they are written in. Exits 1 when a problem was found. Needs PyYAML (python3-yaml).
"""

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "content"
DRILLBOOK = sys.argv[2] if len(sys.argv) > 2 else None
TODAY = dt.date(2026, 11, 29)

STATUSES = {"open", "in-progress", "blocked", "done", "cancelled"}
SEVERITIES = {"P1", "P2", "P3", "P4"}
AI_ID = re.compile(r"^AI-\d{4}-\d{3}$")
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DOTTED = re.compile(r"^[a-z-]+\.[a-z-]+$")

problems = []


def problem(path, message):
    problems.append("%s: %s" % (Path(path).relative_to(CONTENT.parent) if Path(path).is_absolute() else path, message))


def drillbook(*arguments):
    command = [DRILLBOOK] if DRILLBOOK else ["swift", "run", "--package-path", str(ROOT), "-q", "drillbook"]
    return subprocess.run(command + list(arguments), capture_output=True, text=True)


def instant(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def add_months(d, n):
    import calendar
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def default_due(source, priority):
    return {"immediate": source + dt.timedelta(days=7), "short-term": source + dt.timedelta(days=28)}.get(
        priority) or add_months(source, 3)


def minutes(seconds):
    return "%dh %02dm" % divmod(int(seconds) // 60, 60)


checked = drillbook("check", "--content", str(CONTENT))
if checked.returncode != 0:
    sys.stdout.write(checked.stdout + checked.stderr)
    print("drillbook check failed; the story's rules are checked once the records are valid")
    sys.exit(1)

# ---------------------------------------------------------------------------
# Drills: criterion ids in kebab-case (runs and pages name them).

drills = {}
for path in sorted((CONTENT / "drills").glob("*.yaml")):
    d = yaml.safe_load(path.read_text())
    if d["id"] != path.stem:
        problem(path, "id %r differs from the file name" % d["id"])
    for c in d["successCriteria"]:
        if not KEBAB.match(c["id"]):
            problem(path, "criterion id %r is not kebab-case" % c["id"])
    drills[d["id"]] = d

action_items = {}  # id -> (item, source day, source path)


def check_action_item(a, source_day, path, where):
    aid = a["id"]
    if not AI_ID.match(aid):
        problem(path, "%s: action id %r is not AI-YYYY-NNN" % (where, aid))
    closed = a["status"] in ("done", "cancelled")
    if closed and not a.get("closedOn"):
        problem(path, "%s: %s is %s without closedOn" % (where, aid, a["status"]))
    if not closed and a.get("closedOn"):
        problem(path, "%s: %s is %s but has closedOn" % (where, aid, a["status"]))
    if a.get("closedOn") and source_day and dt.date.fromisoformat(a["closedOn"]) < source_day:
        problem(path, "%s: %s closed before it was raised" % (where, aid))
    action_items[aid] = (a, source_day, str(path))


# ---------------------------------------------------------------------------
# Runs: filed by year, named by their local start day, restating their drill's criteria in order.

runs = {}
overruns = []
for path in sorted((CONTENT / "runs").rglob("*.json")):
    r = json.loads(path.read_text())
    if r["id"] != path.stem:
        problem(path, "id %r differs from the file name" % r["id"])
    if path.parent.name != path.stem[:4]:
        problem(path, "run filed under the wrong year folder")
    runs[r["id"]] = r
    drill = drills[r["drillId"]]
    if r["outcome"] == "aborted" and not r.get("abortReason"):
        problem(path, "aborted without abortReason")
    if r["outcome"] != "aborted" and r.get("abortReason"):
        problem(path, "abortReason on a run that was not aborted")
    start, end = instant(r["startedAt"]), instant(r["endedAt"])
    if end <= start:
        problem(path, "endedAt is not after startedAt")
    if not r["id"].startswith(start.date().isoformat()):
        problem(path, "id does not start with the local start day")
    m = re.findall(r"(\d+)([hm])", drill["allocatedDuration"])
    allocated = sum(int(n) * (3600 if u == "h" else 60) for n, u in m)
    if (end - start).total_seconds() > allocated:
        overruns.append("%s (%s of %s)" % (r["id"], minutes((end - start).total_seconds()), drill["allocatedDuration"]))
    previous = None
    for i, e in enumerate(r.get("timeline", [])):
        t = instant(e["at"])
        if previous and t < previous:
            problem(path, "timeline[%d] is earlier than the event before it" % i)
        if not start <= t <= end:
            problem(path, "timeline[%d] lies outside the run" % i)
        if not DOTTED.match(e["event"]):
            problem(path, "timeline[%d]: event %r is not dotted" % (i, e["event"]))
        previous = t
    metrics = {mt["name"]: mt for mt in r.get("metrics", [])}
    wanted = [c["id"] for c in drill["successCriteria"]]
    got = [c["criterionId"] for c in r.get("criteria", [])]
    if got != wanted:
        problem(path, "criteria %s do not match the drill's %s" % (got, wanted))
    by_id = {c["id"]: c for c in drill["successCriteria"]}
    missed = False
    for res in r.get("criteria", []):
        c = by_id[res["criterionId"]]
        where = "criterion %s" % c["id"]
        for key in ("text", "metric", "comparison", "target", "unit"):
            if res.get(key) != c.get(key):
                problem(path, "%s: %s %r differs from the drill's %r" % (where, key, res.get(key), c.get(key)))
        if res["verdict"] == "not-measured":
            if "actual" in res:
                problem(path, "%s: not-measured but has an actual" % where)
            if not res.get("note"):
                problem(path, "%s: not-measured without a note" % where)
            continue
        if "actual" not in res:
            problem(path, "%s: %s without an actual" % (where, res["verdict"]))
            continue
        missed = missed or res["verdict"] == "missed"
        mt = metrics.get(c["metric"])
        if mt is None:
            problem(path, "%s: metric %s missing from metrics" % (where, c["metric"]))
        elif mt["value"] != res["actual"] or mt["unit"] != c.get("unit"):
            problem(path, "%s: metric %s disagrees with the criterion's actual or unit" % (where, c["metric"]))
    if r["outcome"] == "failed" and not missed:
        problem(path, "outcome failed with no missed criterion")
    lessons = r.get("lessons", {})
    for key in ("wentWell", "couldImprove", "nextSteps"):
        if not lessons.get(key):
            problem(path, "lessons.%s is empty" % key)
    for i, a in enumerate(r.get("actionItems", [])):
        check_action_item(a, start.date(), path, "actionItems[%d]" % i)

# ---------------------------------------------------------------------------
# Incidents, as drillbook reads them: named by their id, 1 to 4 status updates in a .log.

incidents = {}
for path in sorted((CONTENT / "incidents").iterdir()):
    shown = drillbook("inspect", "--json", str(path))
    if shown.returncode != 0:
        problem(path, "drillbook inspect failed: " + (shown.stderr.strip() or shown.stdout.strip()))
        continue
    inc = json.loads(shown.stdout)
    if inc["id"] != path.stem:
        problem(path, "incident id %r differs from the file name" % inc["id"])
    if path.suffix == ".log" and not 1 <= len(inc["updates"]) <= 4:
        problem(path, "%d STATUS UPDATE blocks, expected 1 to 4" % len(inc["updates"]))
    declared = instant(inc["declaredAt"])
    for i, a in enumerate(inc["actionItems"]):
        a = dict(a)
        if path.suffix == ".log" and a["status"] in ("done", "cancelled") and not a.get("closedOn"):
            a["closedOn"] = declared.date().isoformat()  # the text form has no closing day
        check_action_item(a, declared.date(), path, "action item %d" % i)
    incidents[inc["id"]] = (inc["severity"], inc["resolvedAt"] is not None, path.suffix)

# ---------------------------------------------------------------------------
# Action histories: dated in order from the item's source, none in the future, ending in the
# item's status.

histories = 0
for path in sorted((CONTENT / "actions").glob("*.yaml")):
    histories += 1
    doc = yaml.safe_load(path.read_text())
    item, source_day, _ = action_items[path.stem]
    previous = source_day
    updates = doc["updates"]
    if not updates:
        problem(path, "no updates")
    for i, u in enumerate(updates):
        if True in u:  # YAML 1.1 reads the key `on` as a boolean
            u["on"] = u.pop(True)
        on = u["on"] if isinstance(u["on"], dt.date) else dt.date.fromisoformat(u["on"])
        if previous and on < previous:
            problem(path, "updates[%d] is dated before the update or source before it" % i)
        if on > TODAY:
            problem(path, "updates[%d] is in the future" % i)
        previous = on
    if updates and updates[-1]["status"] != item["status"]:
        problem(path, "last update says %s but the item says %s" % (updates[-1]["status"], item["status"]))

# ---------------------------------------------------------------------------
# Corpus-wide expectations and the schedule table.

statuses = {a["status"] for a, _, _ in action_items.values()}
for s in sorted(STATUSES - statuses):
    problem("content", "no action item has status %s" % s)
for s in sorted(SEVERITIES - {v[0] for v in incidents.values()}):
    problem("content", "no incident has severity %s" % s)
if sum(1 for r in runs.values() if r["outcome"] == "aborted") != 1:
    problem("content", "expected exactly one aborted run")
open_incidents = [k for k, v in incidents.items() if not v[1]]
overdue = []
for aid, (a, source, _) in sorted(action_items.items()):
    if a["status"] in ("open", "in-progress", "blocked"):
        due = dt.date.fromisoformat(a["dueDate"]) if a.get("dueDate") else default_due(source, a["priority"])
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
    cat = drills[r["drillId"]]["category"]
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
