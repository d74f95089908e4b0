#!/usr/bin/env python3
"""Writes the BondX sample content under content/ (runs, incidents, action histories).

Deterministic: the story lives in story.py as plain data; this file only turns it into
files. Running it twice gives byte-identical output. It deletes and rewrites
content/runs, content/incidents and content/actions, and never touches content/drills.

    python3 scripts/sample-content/generate.py
"""

import datetime as dt
import json
import shutil
import sys
from pathlib import Path

import yaml  # only to read the drill definitions' criteria

sys.dont_write_bytecode = True

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CONTENT = ROOT / "content"
sys.path.insert(0, str(HERE))

import story  # noqa: E402

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
UTC = dt.timezone.utc

OPS = {
    "<": lambda a, t: a < t,
    "<=": lambda a, t: a <= t,
    ">": lambda a, t: a > t,
    ">=": lambda a, t: a >= t,
    "==": lambda a, t: a == t,
    "!=": lambda a, t: a != t,
}

DEFAULT_DUE = {"immediate": 7, "short-term": 28}


def iso(t):
    text = t.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def num(v):
    """Integers as JSON integers, other values rounded to two decimals."""
    if isinstance(v, bool):
        return int(v)
    if float(v).is_integer():
        return int(v)
    return round(float(v), 2)


def load_drills():
    drills = {}
    for path in sorted((CONTENT / "drills").glob("*.yaml")):
        d = yaml.safe_load(path.read_text())
        drills[d["id"]] = d
    return drills


def add_months(day, n):
    y, m = divmod(day.month - 1 + n, 12)
    y += day.year
    m += 1
    import calendar

    return dt.date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def derived_due(source, priority):
    if priority == "long-term":
        return add_months(source, 3)
    return source + dt.timedelta(days=DEFAULT_DUE[priority])


# ---------------------------------------------------------------------------
# Action items: numbered in date order across runs and incidents.


def number_action_items(runs, incidents):
    sources = []
    for r in runs:
        for i, a in enumerate(r.get("ai", [])):
            sources.append((r["date"], "run:" + r["id"], i, a))
    for inc in incidents:
        day = inc["declared"][:10]
        for i, a in enumerate(inc.get("ai", [])):
            sources.append((day, "inc:" + inc["id"], i, a))
    sources.sort(key=lambda s: (s[0], s[1], s[2]))
    counters, ids = {}, {}
    for day, _, _, a in sources:
        year = day[:4]
        counters[year] = counters.get(year, 0) + 1
        if a["key"] in ids:
            raise SystemExit("duplicate action key " + a["key"])
        ids[a["key"]] = "AI-%s-%03d" % (year, counters[year])
        a["_source_day"] = day
    return ids


def action_item_json(a, ids):
    """The item as it stands today: a history in content/actions decides status and closedOn."""
    hist = story.HISTORIES.get(a["key"])
    status, closed, owner, due = a["status"], a.get("closed"), a["owner"], a.get("due")
    if hist:
        last = hist[-1]
        status = last["status"]
        closed = last["on"] if status in ("done", "cancelled") else None
        for u in hist:
            owner = u.get("owner", owner)
            due = u.get("dueDate", due)
    item = {"id": ids[a["key"]], "title": a["title"], "owner": owner}
    if due:
        item["dueDate"] = due
    item["status"] = status
    item["priority"] = a["prio"]
    if closed:
        item["closedOn"] = closed
    if a.get("notes"):
        item["notes"] = a["notes"]
    return item


# ---------------------------------------------------------------------------
# Runs


def participants(r, drill, month_index):
    lead = r["lead"]
    if r.get("crew"):
        return [{"name": n, "role": role} for n, role in r["crew"]]
    spec_name, spec_role = story.SPECIALIST[r["drill"]]
    rotation = story.ONCALL_ROTATION
    oncall = rotation[month_index % len(rotation)]
    k = 1
    while oncall in (lead, spec_name):
        oncall = rotation[(month_index + k) % len(rotation)]
        k += 1
    people = [(lead, "Drill Lead"), (oncall, "On-call Engineer")]
    if spec_name not in (lead, oncall):
        people.append((spec_name, spec_role))
    scribe = "Sneha Kulkarni" if lead != "Sneha Kulkarni" else "Arjun Mehta"
    if scribe not in [p[0] for p in people]:
        people.append((scribe, "Scribe"))
    if r.get("observer", month_index % 3 == 0):
        people.append(("Vikram Joshi", "Observer"))
    return [{"name": n, "role": role} for n, role in people]


def build_run(r, drills, ids, month_index):
    drill = drills[r["drill"]]
    tz = UTC if r.get("tz") == "utc" else IST
    hh, mm = map(int, r["start"].split(":"))
    day = dt.date.fromisoformat(r["date"])
    t0 = dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=tz)
    m = dict(r["m"])
    events = sorted(((int(round(off)), ev, desc) for off, ev, desc in story.timeline(r, m)), key=lambda e: e[0])
    timeline = [
        {"at": iso(t0 + dt.timedelta(seconds=off)), "event": ev, "description": desc} for off, ev, desc in events
    ]
    ended = t0 + dt.timedelta(seconds=events[-1][0])

    units = {c["metric"]: c.get("unit", "") for c in drill["successCriteria"] if c.get("metric")}
    not_measured = r.get("nm", {})
    metrics = []
    for name, value in m.items():
        unit = units.get(name, story.EXTRA_UNITS.get(name))
        if unit is None:
            raise SystemExit("%s: no unit for metric %s" % (r["id"], name))
        metric = {"name": name, "value": num(value), "unit": unit}
        if name in r.get("mnotes", {}):
            metric["note"] = r["mnotes"][name]
        metrics.append(metric)

    criteria, missed = [], False
    for c in drill["successCriteria"]:
        res = {"criterionId": c["id"], "text": c["text"]}
        for key in ("metric", "comparison", "target", "unit"):
            if key in c:
                res[key] = num(c[key]) if key == "target" else c[key]
        if c["id"] in not_measured or c.get("metric") not in m:
            res["note"] = not_measured.get(c["id"], "Not measured in this run.")
            res["verdict"] = "not-measured"
        else:
            actual = m[c["metric"]]
            res["actual"] = num(actual)
            ok = OPS[c["comparison"]](actual, c["target"])
            res["verdict"] = "met" if ok else "missed"
            missed = missed or not ok
        if c["id"] in r.get("cnotes", {}):
            res["note"] = r["cnotes"][c["id"]]
        criteria.append(res)

    outcome = r.get("outcome") or ("failed" if missed else "passed")
    run = {
        "schemaVersion": 1,
        "id": r["id"],
        "drillId": r["drill"],
        "environment": r.get("env", "staging"),
        "startedAt": iso(t0),
        "endedAt": iso(ended),
        "participants": participants(r, drill, month_index),
        "outcome": outcome,
    }
    if outcome == "aborted":
        run["abortReason"] = r["abortReason"]
    if run["environment"] == "staging":
        run["approvedBy"] = "Vikram Joshi"
    run["runBy"] = r["lead"]
    run["summary"] = r["summary"]
    run["timeline"] = timeline
    run["metrics"] = metrics
    run["criteria"] = criteria
    run["observations"] = r.get("obs", [])
    run["lessons"] = {"wentWell": r["well"], "couldImprove": r["improve"], "nextSteps": r["next"]}
    run["actionItems"] = [action_item_json(a, ids) for a in r.get("ai", [])]
    return run


# ---------------------------------------------------------------------------
# Incidents


def parse_local(text):
    """'2026-03-09 09:20' (IST) or '2026-03-09 03:50Z' (UTC) -> aware datetime."""
    if text.endswith("Z"):
        return dt.datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)
    return dt.datetime.fromisoformat(text).replace(tzinfo=IST)  # 'YYYY-MM-DD HH:MM[:SS]' in Mumbai time


def duration_text(seconds):
    minutes = int(round(seconds / 60))
    d, rem = divmod(minutes, 1440)
    h, mi = divmod(rem, 60)
    parts = []
    if d:
        parts.append("%dd" % d)
    if h:
        parts.append("%dh" % h)
    if mi or not parts:
        parts.append("%dm" % mi)
    return " ".join(parts)


def log_time(t, style):
    if style == "utc":
        return t.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    if style == "iso":
        return iso(t)
    return t.strftime("%Y-%m-%d %H:%M %z")[:-2] + ":" + t.strftime("%z")[-2:]


def incident_times(inc):
    out = {}
    for key in ("declared", "started", "detected", "ack", "esc", "resolved"):
        if inc.get(key):
            out[key] = parse_local(inc[key])
    return out


def build_incident_json(inc, ids):
    t = incident_times(inc)
    doc = {"id": inc["id"], "severity": inc["sev"], "type": inc["type"]}
    if inc.get("location"):
        doc["location"] = inc["location"]
    doc["description"] = inc["desc"]
    doc["impact"] = inc["impact"]
    doc["initialResponse"] = inc["initial"]
    doc["declaredAt"] = iso(t["declared"])
    for key, name in (("started", "startedAt"), ("detected", "detectedAt"), ("ack", "acknowledgedAt"), ("esc", "escalatedAt")):
        if key in t:
            doc[name] = iso(t[key])
    if inc.get("next"):
        doc["nextUpdate"] = inc["next"]
    doc["updates"] = [
        {
            "at": iso(parse_local(u["at"])),
            "status": u["status"],
            "progress": u["progress"],
            "currentSituation": u["situation"],
            "nextSteps": u["next"],
            **({"nextUpdate": u["nextUpdate"]} if u.get("nextUpdate") else {}),
        }
        for u in inc.get("updates", [])
    ]
    if "resolved" in t:
        doc["resolvedAt"] = iso(t["resolved"])
        origin = t.get("started", t["declared"])
        doc["statedDuration"] = duration_text((t["resolved"] - origin).total_seconds())
        doc["rootCause"] = inc["root"]
        doc["resolutionActions"] = inc["actions"]
        doc["preventionMeasures"] = inc["prevention"]
        doc["lessonsLearned"] = inc["lessons"]
    doc["actionItems"] = [action_item_json(a, ids) for a in inc.get("ai", [])]
    if inc.get("drillRun"):
        doc["drillRunId"] = inc["drillRun"]
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def build_incident_log(inc, ids):
    t = incident_times(inc)
    style = inc.get("timeStyle", "ist")
    b = inc.get("bullet", "-")
    lines = []

    def section(title, items):
        lines.append(title + ":")
        for item in items:
            lines.append("%s %s" % (b, item))
        lines.append("")

    def fmt(key):
        return log_time(t[key], style)

    lines += ["INCIDENT DECLARED", "================", ""]
    lines.append("Incident ID: " + inc["id"])
    lines.append("Severity: " + inc["sev"])
    lines.append("Type: " + inc["type"])
    if inc.get("location"):
        lines.append("Location: " + inc["location"])
    lines.append("Time: " + fmt("declared"))
    for key, label in (("started", "Started"), ("detected", "Detected"), ("ack", "Acknowledged"), ("esc", "Escalated")):
        if key in t:
            lines.append("%s: %s" % (label, fmt(key)))
    if inc.get("drillRun"):
        lines.append("Drill Run: " + inc["drillRun"])
    lines.append("")
    lines.append("Description:")
    lines.append(inc["desc"])
    lines.append("")
    section("Impact", inc["impact"])
    section("Initial Response", inc["initial"])
    lines.append("Next Update: " + inc["next"])
    lines.append("")
    for u in inc.get("updates", []):
        lines += ["", "STATUS UPDATE", "============", ""]
        lines.append("Incident ID: " + inc["id"])
        lines.append("Time: " + log_time(parse_local(u["at"]), style))
        lines.append("Status: " + u["status"])
        lines.append("")
        section("Progress Made", u["progress"])
        lines.append("Current Situation:")
        lines.append(u["situation"])
        lines.append("")
        section("Next Steps", u["next"])
        if u.get("nextUpdate"):
            lines.append("Next Update: " + u["nextUpdate"])
            lines.append("")
    if "resolved" in t:
        origin = t.get("started", t["declared"])
        lines += ["", "INCIDENT RESOLVED", "================", ""]
        lines.append("Incident ID: " + inc["id"])
        lines.append("Resolution Time: " + fmt("resolved"))
        lines.append("Duration: " + duration_text((t["resolved"] - origin).total_seconds()))
        lines.append("")
        lines.append("Root Cause:")
        lines.append(inc["root"])
        lines.append("")
        section("Resolution Actions", inc["actions"])
        section("Prevention Measures", inc["prevention"])
        section("Lessons Learned", inc["lessons"])
        if inc.get("ai"):
            items = []
            for a in inc["ai"]:
                j = action_item_json(a, ids)
                due = j.get("dueDate") or derived_due(dt.date.fromisoformat(a["_source_day"]), a["prio"]).isoformat()
                items.append("%s: %s - %s - %s (%s, %s)" % (j["id"], j["title"], j["owner"], due, j["priority"], j["status"]))
            section("Action Items", items)
    while lines and lines[-1] == "":
        lines.pop()
    newline = "\r\n" if inc.get("crlf") else "\n"
    return newline.join(lines) + newline


# ---------------------------------------------------------------------------
# Action histories


def yaml_scalar(text):
    return json.dumps(text, ensure_ascii=False)


def build_history(key, updates):
    lines = ["updates:"]
    for u in updates:
        lines.append("  - on: " + u["on"])
        lines.append("    status: " + u["status"])
        if u.get("by"):
            lines.append("    by: " + u["by"])
        if u.get("owner"):
            lines.append("    owner: " + u["owner"])
        if u.get("dueDate"):
            lines.append("    dueDate: " + u["dueDate"])
        if u.get("note"):
            lines.append("    note: " + yaml_scalar(u["note"]))
    return "\n".join(lines) + "\n"


def main():
    drills = load_drills()
    runs = story.RUNS
    for r in runs:
        r["id"] = "%s-%s" % (r["date"], r["drill"])
    incidents = story.INCIDENTS
    ids = number_action_items(runs, incidents)

    for folder in ("runs", "incidents", "actions"):
        shutil.rmtree(CONTENT / folder, ignore_errors=True)

    first = dt.date(2025, 10, 1)
    for r in runs:
        day = dt.date.fromisoformat(r["date"])
        month_index = (day.year - first.year) * 12 + day.month - first.month
        run = build_run(r, drills, ids, month_index)
        path = CONTENT / "runs" / r["date"][:4] / (r["id"] + ".json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(run, indent=2, ensure_ascii=False) + "\n")

    (CONTENT / "incidents").mkdir(parents=True, exist_ok=True)
    for inc in incidents:
        if inc["form"] == "json":
            text = build_incident_json(inc, ids)
            name = inc["id"] + ".json"
        else:
            text = build_incident_log(inc, ids)
            name = inc["id"] + ".log"
        (CONTENT / "incidents" / name).write_bytes(text.encode("utf-8"))

    (CONTENT / "actions").mkdir(parents=True, exist_ok=True)
    for key in sorted(story.HISTORIES, key=lambda k: ids[k]):
        (CONTENT / "actions" / (ids[key] + ".yaml")).write_text(build_history(key, story.HISTORIES[key]))

    print("wrote %d runs, %d incidents, %d action histories, %d action items" % (
        len(runs), len(incidents), len(story.HISTORIES), len(ids)))


if __name__ == "__main__":
    main()
