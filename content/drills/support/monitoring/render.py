#!/usr/bin/env python3
"""Renders the monitoring stack's configs for one drill run from the templates beside this file.

    render.py OUT_DIR ALERTMANAGER_PORT RULES_FILE JOB=HOST:PORT[/PATH] ...

writes OUT_DIR/prometheus.yml (scraping each JOB every second, evaluating RULES_FILE) and
OUT_DIR/alertmanager.yml. Values are checked, so a typo fails the setup step with a message.
"""
import os
import re
import string
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def scrape_config(spec):
    match = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_-]*)=(127\.\d+\.\d+\.\d+:\d+)(/[A-Za-z0-9_/.-]*)?", spec)
    if not match:
        sys.exit(f"render.py: expected JOB=127.x.y.z:PORT[/PATH], got {spec!r}")
    job, target, path = match.group(1), match.group(2), match.group(3) or "/metrics"
    return (f"  - job_name: {job}\n"
            f"    metrics_path: {path}\n"
            f"    static_configs:\n"
            f"      - targets: [\"{target}\"]\n")


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    out, port, rules = sys.argv[1], sys.argv[2], sys.argv[3]
    if not port.isdigit():
        sys.exit(f"render.py: expected a port number, got {port!r}")
    if not os.path.isfile(rules):
        sys.exit(f"render.py: no rules file {rules}")
    values = {
        "alertmanager_port": port,
        "rules": os.path.abspath(rules),
        "scrape_configs": "".join(scrape_config(spec) for spec in sys.argv[4:]),
    }
    for name in ("prometheus.yml", "alertmanager.yml"):
        with open(os.path.join(HERE, name + ".in"), encoding="utf-8") as template:
            text = string.Template(template.read()).substitute(values)
        with open(os.path.join(out, name), "w", encoding="utf-8") as rendered:
            rendered.write(text)


if __name__ == "__main__":
    main()
