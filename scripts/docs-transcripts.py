#!/usr/bin/env python3
"""Regenerates the terminal transcripts in docs/ from real runs of the built drillbook.

A transcript is the fenced block between two marker comments:

    <!-- transcript: drillbook actions --as-of 2026-11-29 --overdue -->
    ```console
    $ drillbook actions --as-of 2026-11-29 --overdue
    ...what the command printed...
    ```
    <!-- end transcript -->

`<!-- transcript+status: COMMAND -->` also shows `$ echo $?` and the exit status. The command runs
with bash in a scratch folder (one per page, its transcripts in order) whose `content` and `themes` link to the repository's (so a build's
`--output output` lands there, not in the clone), `drillbook` on PATH, `NO_COLOR=1`, UTC, no
terminal. Standard output and standard error are shown as one stream, in order.

What varies from run to run is normalised so the docs are the same for the same code: build
times (`in 0.65 s` -> `in n.nn s`, `--timings` figures -> `n.n ms`) and the scratch folder's path
(shown as /home/sre/drills); CR LF line ends (the CSV export's) are shown as LF. Nothing here needs the network.

Usage: docs-transcripts.py DRILLBOOK [--check] [FILE.md ...]
  --check  write nothing; list the stale transcripts and exit 1 if any (`make docs-check`).
"""

import difflib
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_FILES = ["docs/executor.md", "docs/publishing.md", "docs/action-items.md", "docs/analysis-pages.md"]
SHOWN_FOLDER = "/home/sre/drills"

BLOCK = re.compile(
    r"(?P<open><!-- transcript(?P<status>\+status)?: (?P<command>.+?) -->\n)"
    r"(?P<body>.*?)"
    r"(?P<close><!-- end transcript -->)",
    re.S,
)


def normalise(text, scratch):
    text = text.replace(os.path.realpath(scratch), SHOWN_FOLDER).replace(scratch, SHOWN_FOLDER)
    # CSV ends its lines in CR LF; a Markdown page keeps LF only.
    text = text.replace("\r\n", "\n")
    # `Built … in 0.65 s` and `--timings` lines (`  load content         70.8 ms`, "%8.1f ms").
    text = re.sub(r"( as of \d{4}-\d{2}-\d{2} in )\d+\.\d\d s", r"\1n.nn s", text)
    text = re.sub(r"(?m)^(  .{20}) *\d+\.\d ms$", r"\1     n.n ms", text)
    return text


def run(command, scratch):
    bin_folder = os.path.join(scratch, ".bin")
    env = {
        "PATH": bin_folder + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", scratch),
        "NO_COLOR": "1",
        "DRILLBOOK_PROGRESS": "never",
        "TZ": "UTC",
        "LC_ALL": "C.UTF-8",
    }
    result = subprocess.run(
        ["bash", "-c", command], cwd=scratch, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300,
    )
    return result.stdout.decode("utf-8", "replace"), result.returncode


def transcript(match, drillbook, scratch):
    command = match.group("command")
    output, status = run(command, scratch)
    output = normalise(output, scratch)
    if output and not output.endswith("\n"):
        output += "\n"
    body = "```console\n$ " + command + "\n" + output
    if match.group("status"):
        body += "$ echo $?\n" + str(status) + "\n"
    elif status != 0:
        raise SystemExit(f"docs-transcripts: `{command}` exited {status}:\n{output}")
    return match.group("open") + body + "```\n" + match.group("close")


def main(argv):
    args = [a for a in argv[1:] if a != "--check"]
    check = "--check" in argv[1:]
    if not args:
        raise SystemExit(__doc__)
    drillbook, files = args[0], args[1:] or DEFAULT_FILES
    stale = []
    for name in files:
        path = os.path.join(ROOT, name)
        with open(path, encoding="utf-8", newline="") as f:
            old = f.read()
        # One scratch folder per page: its transcripts run in order, so a later `ls output` sees
        # what an earlier build wrote.
        with tempfile.TemporaryDirectory(prefix="drillbook-docs-") as scratch:
            os.makedirs(os.path.join(scratch, ".bin"))
            os.symlink(os.path.abspath(drillbook), os.path.join(scratch, ".bin", "drillbook"))
            for folder in ("content", "themes"):
                os.symlink(os.path.join(ROOT, folder), os.path.join(scratch, folder))
            new = BLOCK.sub(lambda m: transcript(m, drillbook, scratch), old)
        if new != old:
            stale.append(name)
            if check:
                sys.stdout.writelines(difflib.unified_diff(
                    old.splitlines(True), new.splitlines(True), "a/" + name, "b/" + name))
            else:
                with open(path, "w", encoding="utf-8", newline="") as f:
                    f.write(new)
    if check and stale:
        print("stale transcripts (run `make docs`): " + ", ".join(stale), file=sys.stderr)
        return 1
    for name in stale:
        print("updated " + name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
