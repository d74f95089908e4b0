"""Printing one figure of a support program's JSON report, for a drill's `value` measurement.

The one copy of what websocket.py, redis-client.py and postgres-reads.py do for their `report
OUT.json FIELD` command: print the field when it is a number (exit status 0, the measurement holds),
else one line saying why it is not measured (exit status 1), which the record keeps. Each program
keeps its own wording: how it names its report file (`label`) and where the reason comes from
(`reason`). Importers set `sys.dont_write_bytecode` first, so no `__pycache__` is left in the
drill's folder. Python 3 standard library only.
"""
import json


def reported_reason(report, field, fallback_key=None):
    """The reason the report gives under `reasons` for FIELD (else for `fallback_key`), or that
    the field is missing from the report."""
    reasons = report.get("reasons", {})
    if field in reasons:
        return reasons[field]
    if fallback_key is not None and fallback_key in reasons:
        return reasons[fallback_key]
    return "%s missing from the report" % field


def report_field(path, field, label=None, reason=reported_reason):
    """Prints FIELD of the JSON report at PATH; returns the exit status.

    A report that cannot be read prints `LABEL PATH is not written yet` (or `PATH is not written
    yet` without a label); a field that is not a number prints `not measured: ` and
    `reason(report, field, value)`."""
    try:
        with open(path) as handle:
            report = json.load(handle)
    except (OSError, ValueError):
        print("%s is not written yet" % (path if label is None else label + " " + path))
        return 1
    value = report.get(field)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        print(value)
        return 0
    print("not measured: %s" % reason(report, field, value))
    return 1
