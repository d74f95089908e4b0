#!/usr/bin/env bash
# drillbook benchmark: drillbook against Hugo (and Chaos Toolkit where it installs) on this machine.
#
#   make bench                     # builds the release binaries first, installs hugo/time/hyperfine
#   bench/run.sh                   # uses .build/release/drillbook and drillbook-rawloop as they are
#   SIZES="1000" RUNS=1 bench/run.sh
#   LARGE_SIZES=100000 bench/run.sh   # also the scale run (make bench-100k): cold builds only
#
# For each corpus size it generates a synthetic content folder (`drillbook corpus`), builds it
# cold (empty output), again with no change, and after editing one run record; builds the
# equivalent Hugo site (one page per run, incident and action item, holding the same Markdown,
# with a minimal layout) and the same site without the action items; runs the raw loop
# (drillbook-rawloop: cmark + Mustache over the Hugo site's Markdown, one thread, in memory);
# takes the median of RUNS runs of each (wall, user+sys CPU and peak RSS from /usr/bin/time);
# and writes bench/results.md from the measured figures only. bench/README.md explains the
# figures and keeps the history of optimisation rounds. Everything lives on tmpfs (/dev/shm) and
# is removed at the end. Every loop is bounded. The report says how long the run took (about
# 15 minutes for the defaults on the 2-core machine; LARGE_SIZES=100000 adds four builds of about a
# minute each on a quiet machine, 10 minutes each on a loaded one).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/.build/release/drillbook}
RAWLOOP=${RAWLOOP:-$ROOT/.build/release/drillbook-rawloop}
SIZES=${SIZES:-"1000 10000"}
# Sizes measured at scale after SIZES: drillbook cold builds only (no Hugo, rebuild or serve rows),
# each set against the cold build of the largest of SIZES in the same run.
LARGE_SIZES=${LARGE_SIZES:-}
RUNS=${RUNS:-3}
LARGE_RUNS=${LARGE_RUNS:-$RUNS}
AS_OF=2026-11-29
RESULTS=${RESULTS:-$ROOT/bench/results.md}
TIME=/usr/bin/time
BENCH_START=$SECONDS
WORK=$(mktemp -d /dev/shm/drillbook-bench.XXXXXX)
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

[ -x "$BIN" ] || { echo "bench: no drillbook binary at $BIN; run 'make release' first" >&2; exit 1; }
[ -x "$RAWLOOP" ] || { echo "bench: no raw-loop binary at $RAWLOOP; run 'swift build -c release --product drillbook-rawloop' first" >&2; exit 1; }
[ -x "$TIME" ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
command -v hugo >/dev/null || { echo "bench: hugo is missing (apt-get install hugo)" >&2; exit 1; }

# ---------------------------------------------------------------- measuring

# measure NAME PREPARE COMMAND...: runs PREPARE then COMMAND, RUNS times; records the median
# wall seconds, user+sys seconds and peak RSS (MB) as NAME_wall, NAME_cpu, NAME_rss.
declare -A R
measure() {
  local name=$1 prepare=$2
  shift 2
  local walls=() cpus=() rsss=() wall user sys rss
  for ((i = 0; i < RUNS; i++)); do
    eval "$prepare"
    "$TIME" -f "%e %U %S %M" -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>&1 || {
      echo "bench: command failed: $*" >&2
      cat "$WORK/out.txt" >&2
      exit 1
    }
    read -r wall user sys rss <"$WORK/time.txt"
    walls+=("$wall")
    cpus+=("$(echo "$user + $sys" | bc -l)")
    rsss+=("$(echo "$rss / 1024" | bc -l)")
  done
  R[${name}_wall]=$(median "${walls[@]}")
  R[${name}_wall_min]=$(printf '%s\n' "${walls[@]}" | sort -g | head -1)
  R[${name}_wall_max]=$(printf '%s\n' "${walls[@]}" | sort -g | tail -1)
  R[${name}_cpu]=$(median "${cpus[@]}")
  R[${name}_rss]=$(median "${rsss[@]}")
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }
per_page() { awk -v a="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.3f", a * 1000 / n; else print "n/a" }'; }
# slowest_steps FILE: the three slowest steps of a `--timings` output ("  step name   123.4 ms" lines),
# each with its share of the steps' sum.
slowest_steps() {
  local total
  total=$(awk '/ ms$/ { t += $(NF - 1) } END { print t + 0 }' "$1")
  awk '/ ms$/ { name = $1; for (i = 2; i <= NF - 2; i++) name = name " " $i; printf "%s\t%s\n", $(NF - 1), name }' "$1" \
    | sort -rn | head -3 \
    | awk -F'\t' -v total="$total" '{ printf "%s%s %.0f ms (%.0f %%)", (NR > 1 ? ", " : ""), $2, $1, (total > 0 ? 100 * $1 / total : 0) }'
}
fmt() { awk -v v="$1" -v d="${2:-2}" 'BEGIN { printf "%.*f", d, v }'; }

# startup NAME COMMAND...: median seconds of 20 runs (hyperfine when installed, else a loop).
startup() {
  local name=$1
  shift
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 3 --runs 20 --export-json "$WORK/hf.json" "$*" >/dev/null 2>&1
    R[$name]=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$WORK/hf.json")
  else
    local times=()
    for ((i = 0; i < 20; i++)); do
      local start end
      start=$(date +%s%N)
      "$@" >/dev/null 2>&1
      end=$(date +%s%N)
      times+=("$(echo "($end - $start) / 1000000000" | bc -l)")
    done
    R[$name]=$(median "${times[@]}")
  fi
}

# raw_loop NAME FOLDER: the issue's floor, drillbook-rawloop over FOLDER's .md files, RUNS times;
# records the median seconds of its timed loop (NAME_wall), its page count and output bytes.
raw_loop() {
  local name=$1 folder=$2 secs=() out sec pages bytes
  for ((i = 0; i < RUNS; i++)); do
    out=$("$RAWLOOP" "$folder")
    read -r sec pages bytes <<<"$out"
    secs+=("$sec")
  done
  R[${name}_wall]=$(median "${secs[@]}")
  R[${name}_pages]=$pages
  R[${name}_bytes]=$bytes
}

# serve_latency CORPUS OUT RECORD: starts `drillbook serve --port N` on CORPUS (into OUT, N a free
# port the script picks), waits until it serves the run page, then SERVE_EDITS times: saves an edit
# of RECORD's summary and polls the run page over HTTP every 10 ms (at most 30 s) until it holds the
# edit. Prints the median seconds from the save to the first fetch that shows it, then the count of
# edits and the slowest; the server is stopped by its pid (at most 10 minutes in all).
SERVE_EDITS=${SERVE_EDITS:-5}
serve_latency() {
  timeout -s KILL 600 python3 - "$BIN" "$1" "$2" "$3" "$ROOT/themes/default" "$AS_OF" "$SERVE_EDITS" <<'PY'
import http.client, os, signal, socket, statistics, subprocess, sys, time
binary, corpus, out, record, theme, as_of, edits = sys.argv[1:8]
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
port = probe.getsockname()[1]
probe.close()
server = subprocess.Popen([binary, "serve", "--content", corpus, "--theme", theme, "--output", out, "--as-of", as_of, "--port", str(port)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
page = "/runs/" + record.rsplit("/", 1)[1].replace(".json", ".html")
def get(path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()
try:
    # Until it serves the run page: the first build of the corpus, at most 5 minutes.
    deadline = time.monotonic() + 300
    while True:
        if server.poll() is not None:
            sys.exit("bench: drillbook serve exited with status %d before serving" % server.returncode)
        try:
            if get(page)[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit("bench: drillbook serve did not serve %s within 5 minutes" % page)
        time.sleep(0.1)
    times = []
    for round in range(int(edits)):
        time.sleep(1.5)  # the watcher's look at the folder settles; each save lands alone
        marker = "Serve edit %d-%d. " % (os.getpid(), round)  # new to the record every time
        text = open(record).read().replace('"summary" : "', '"summary" : "' + marker, 1).replace('"summary": "', '"summary": "' + marker, 1)
        start = time.monotonic()
        with open(record, "w") as f:
            f.write(text)
        for _ in range(3000):  # 10 ms apart: at most 30 s and then some
            status, body = get(page)
            if status == 200 and marker in body:
                times.append(time.monotonic() - start)
                break
            time.sleep(0.01)
        else:
            sys.exit("bench: the served page did not show edit %d within 30 s" % round)
    print(statistics.median(times), len(times), max(times))
finally:
    os.kill(server.pid, signal.SIGTERM)
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
PY
}

# ---------------------------------------------------------------- incremental builds (build cache)

# incremental_figures N EDIT BUILD...: after the other rebuilds of size N (the output holds the
# site of the corpus), edits EDIT's summary before each build, RUNS times each: builds without the
# cache (`--no-cache`: every file decoded, every page rendered), then, after one build that
# writes the cache again, with it; one more edit with `--timings` says how many files were
# decoded and how many pages were taken from the previous output. Records inc_nocache_N_*,
# inc_cached_N_*, inc_decoded_N, inc_reused_N.
INC_EDITS=0
inc_edit() {
  INC_EDITS=$((INC_EDITS + 1))
  sed -i "s/\"summary\" : \"/\"summary\" : \"Cached edit $INC_EDITS. /" "$INC_FILE"
}
incremental_figures() {
  local n=$1
  INC_FILE=$2
  shift 2
  measure "inc_nocache_$n" "inc_edit" "$@" --no-cache
  inc_edit
  "$@" >/dev/null 2>&1  # the output changed under the cache: this build renders every page and writes it again
  measure "inc_cached_$n" "inc_edit" "$@"
  inc_edit
  "$@" --timings >"$WORK/inc-timings-$n.txt" 2>&1
  R[inc_decoded_$n]=$(sed -n 's/.*build cache: \([0-9]*\) files decoded.*/\1/p' "$WORK/inc-timings-$n.txt")
  R[inc_reused_$n]=$(sed -n 's/.*; \([0-9]*\) pages reused.*/\1/p' "$WORK/inc-timings-$n.txt")
}

# incremental_report: the section of results.md on incremental builds and serve.
incremental_report() {
  echo "## Incremental builds: the build cache"
  echo
  echo "| Runs | cold wall | one run edited, with the cache | ratio | without the cache (\`--no-cache\`) | ratio | files decoded | pages reused | serve: edit to reload | ratio |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for N in $SIZES; do
    echo "| $N | $(fmt "${R[db_cold_${N}_wall]}") | $(fmt "${R[inc_cached_${N}_wall]}") | $(ratio "${R[inc_cached_${N}_wall]}" "${R[db_cold_${N}_wall]}") | $(fmt "${R[inc_nocache_${N}_wall]}") | $(ratio "${R[inc_nocache_${N}_wall]}" "${R[db_cold_${N}_wall]}") | ${R[inc_decoded_$N]:-?} | ${R[inc_reused_$N]:-?} of ${R[db_pages_$N]} | $(fmt "${R[db_serve_${N}]}") | $(ratio "${R[db_serve_${N}]}" "${R[db_cold_${N}_wall]}") |"
  done
  echo
  echo "A run's summary is edited before each build (median of $RUNS). \"With the cache\" is the default build: the"
  echo "records and the fingerprints of the record pages' inputs kept beside the output (docs/architecture.md,"
  echo "\"Build cache\"); the pages that show the whole history are rendered every time. Where a one-run edit with"
  echo "the cache spends its time at $LAST runs (\`--timings\`):"
  echo
  echo '```text'
  cat "$WORK/inc-timings-$LAST.txt"
  echo '```'
  echo
}

# ---------------------------------------------------------------- Hugo site from a corpus

# hugo_site CORPUS SITE: the Hugo site equivalent to drillbook's: one Markdown page per run (its
# summary, observations and lessons, the bodies drillbook renders), per incident (its text) and per
# action item (title, owner, priority, status, due date, notes and the update history from
# actions/<id>.json), under content/runs, content/incidents and content/actions. Prints the page
# counts: runs incidents actions.
hugo_site() {
  python3 - "$1" "$2" <<'PY'
import glob, json, os, re, sys
corpus, site = sys.argv[1], sys.argv[2]
for section in ("runs", "incidents", "actions"):
    os.makedirs(site + "/content/" + section, exist_ok=True)
os.makedirs(site + "/layouts/_default", exist_ok=True)
with open(site + "/config.toml", "w") as f:
    f.write('baseURL = "http://example.org/"\ntitle = "Drill history"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
layout = '<!doctype html><html><head><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>%s</body></html>\n'
with open(site + "/layouts/_default/single.html", "w") as f:
    f.write(layout % '{{ .Content }}')
with open(site + "/layouts/_default/list.html", "w") as f:
    f.write(layout % '<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>')
with open(site + "/layouts/index.html", "w") as f:
    f.write(layout % '<ul>{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>')

def bullets(items):
    return "".join("- " + i + "\n" for i in items)

def page(section, name, title, body, date=None):
    front = "title: " + json.dumps(title) + "\n" + ("date: " + date + "\n" if date else "")
    with open(site + "/content/" + section + "/" + name + ".md", "w") as f:
        f.write("---\n" + front + "---\n\n" + body)

items = []  # (item, raised by)
counts = {"runs": 0, "incidents": 0}
for path in sorted(glob.glob(corpus + "/runs/**/*.json", recursive=True)):
    run = json.load(open(path))
    lessons = run.get("lessons", {})
    body = (run.get("summary", "") + "\n\n## Observations\n\n" + bullets(run.get("observations", []))
            + "\n## What went well\n\n" + bullets(lessons.get("wentWell", []))
            + "\n## What could be improved\n\n" + bullets(lessons.get("couldImprove", []))
            + "\n## Next steps\n\n" + bullets(lessons.get("nextSteps", [])))
    page("runs", run["id"], run["id"], body, run["startedAt"])
    counts["runs"] += 1
    items += [(item, "run " + run["id"]) for item in run.get("actionItems", [])]

# An "Action Items:" bullet of the incident text form: [AI-...: ]Title - Owner - YYYY-MM-DD[ (priority, status)].
BULLET = re.compile(r"^(?:(AI-[^:\s]+): )?(.+) - (.+?) - (\d{4}-\d{2}-\d{2})(?: \(([^,()]+), ([^,()]+)\))?$")
def text_items(text, incident):
    found, inside = [], False
    for line in text.splitlines():
        if line.strip() == "Action Items:":
            inside = True
        elif inside and line.startswith("- "):
            m = BULLET.match(line[2:].strip())
            if m:
                found.append({"id": m.group(1) or "%s-A%d" % (incident, len(found) + 1), "title": m.group(2),
                              "owner": m.group(3), "dueDate": m.group(4),
                              "priority": m.group(5) or "short-term", "status": m.group(6) or "open"})
        elif inside:
            inside = False
    return found

for path in sorted(glob.glob(corpus + "/incidents/*")):
    name = os.path.splitext(os.path.basename(path))[0]
    if path.endswith(".json"):
        incident = json.load(open(path))
        body = incident["description"] + "\n\n## Impact\n\n" + bullets(incident.get("impact", []))
        raised = incident.get("actionItems", [])
    else:
        text = open(path).read()
        body = "```text\n" + text + "```\n"
        raised = text_items(text, name)
    page("incidents", name, name, body)
    counts["incidents"] += 1
    items += [(item, "incident " + name) for item in raised]

for item, source in items:
    lines = ["**" + item["title"] + "**", "",
             "- Owner: " + item["owner"],
             "- Priority: " + item["priority"],
             "- Status: " + item["status"],
             "- Due: " + item.get("dueDate", "from its priority"),
             "- Raised by: " + source]
    if item.get("closedOn"):
        lines.append("- Closed on: " + item["closedOn"])
    if item.get("notes"):
        lines += ["", "## Notes", "", item["notes"]]
    updates_path = corpus + "/actions/" + item["id"] + ".json"
    if os.path.exists(updates_path):
        lines += ["", "## Updates", ""]
        for update in json.load(open(updates_path)).get("updates", []):
            entry = "- " + update["on"] + ": " + update["status"]
            if update.get("by"):
                entry += ", by " + update["by"]
            if update.get("owner"):
                entry += "; new owner " + update["owner"]
            if update.get("dueDate"):
                entry += "; now due " + update["dueDate"]
            if update.get("note"):
                entry += ". " + update["note"]
            lines.append(entry)
    page("actions", item["id"], item["id"] + ": " + item["title"], "\n".join(lines) + "\n")
print(counts["runs"], counts["incidents"], len(items))
PY
}

# ---------------------------------------------------------------- the runs

echo "bench: drillbook $("$BIN" --version), $(hugo version | cut -d' ' -f1-2), work folder $WORK" >&2
for N in $SIZES; do
  INCIDENTS=$((N / 20))
  CORPUS=$WORK/corpus-$N
  OUT=$WORK/site-$N
  echo "bench: $N runs: generating the corpus" >&2
  "$TIME" -f "%e" -o "$WORK/gen.txt" "$BIN" corpus --playbook "$ROOT/content" --runs "$N" --incidents "$INCIDENTS" --seed 1 --output "$CORPUS" >/dev/null
  R[gen_$N]=$(cat "$WORK/gen.txt")
  "$BIN" check --content "$CORPUS" >/dev/null

  echo "bench: $N runs: drillbook cold builds" >&2
  BUILD=("$BIN" build --content "$CORPUS" --theme "$ROOT/themes/default" --output "$OUT" --as-of "$AS_OF")
  measure "db_cold_$N" "rm -rf '$OUT'" "${BUILD[@]}"
  R[db_pages_$N]=$(find "$OUT" -name '*.html' | wc -l)
  R[db_bytes_$N]=$(du -sm "$OUT" | cut -f1)
  # Pages by kind, to set against Hugo's: runs, incidents, action items, the rest.
  R[db_kinds_$N]=$(find "$OUT" -name '*.html' -printf '%P\n' | awk '
    /^runs\/[^\/]*\.html$/ && !/^runs\/index/ { r++; next } /^incidents\// && !/^incidents\/index/ { i++; next } /^actions\/ai-/ { a++; next } { o++ }
    END { printf "%d runs, %d incidents, %d action items, %d other (drills, indexes, views, reviews)", r, i, a, o }')
  find "$OUT" -name '*.html' -printf '%s %P\n' | sort -rn \
    | awk 'NR <= 3 { printf "%s%s (%.1f MB)", (NR > 1 ? ", " : ""), $2, $1 / 1048576 }' >"$WORK/largest-$N.txt"
  # The slowest steps of one more cold build, for the report.
  rm -rf "$OUT"
  "${BUILD[@]}" --timings >"$WORK/timings-$N.txt"

  echo "bench: $N runs: drillbook rebuilds" >&2
  touch "$WORK/marker"
  sleep 1
  measure "db_same_$N" ":" "${BUILD[@]}"
  R[db_same_files_$N]=$(find "$OUT" -newer "$WORK/marker" | wc -l)
  # Edit one run record (its summary), RUNS times, each a new change.
  EDIT=$(find "$CORPUS/runs" -name '*.json' | sort | sed -n "$((N / 2 + 1))p")
  EDIT_COUNT=0
  edit_one() {
    EDIT_COUNT=$((EDIT_COUNT + 1))
    sed -i "s/\"summary\" : \"/\"summary\" : \"Edit $EDIT_COUNT. /" "$EDIT"
    touch "$WORK/marker"
    sleep 1
  }
  measure "db_edit_$N" "edit_one" "${BUILD[@]}"
  R[db_edit_files_$N]=$(find "$OUT" -type f -newer "$WORK/marker" | wc -l)
  find "$OUT" -type f -newer "$WORK/marker" | sed "s|$OUT/||" | sort >"$WORK/edited-$N.txt"
  "$BIN" check --content "$CORPUS" >/dev/null

  echo "bench: $N runs: drillbook serve, edit to reload" >&2
  read -r "R[db_serve_$N]" "R[db_serve_edits_$N]" "R[db_serve_max_$N]" <<<"$(serve_latency "$CORPUS" "$OUT" "$EDIT")"
  echo "bench: $N runs: drillbook incremental builds, with and without the build cache" >&2
  incremental_figures "$N" "$EDIT" "${BUILD[@]}"

  echo "bench: $N runs: Hugo cold builds (equivalent site)" >&2
  HSITE=$WORK/hugo-$N
  COUNTS=$(hugo_site "$CORPUS" "$HSITE")
  read -r "R[hugo_src_runs_$N]" "R[hugo_src_incidents_$N]" "R[hugo_src_actions_$N]" <<<"$COUNTS"
  HOUT=$WORK/hugo-out-$N
  HUGO=(hugo --source "$HSITE" --destination "$HOUT" --cacheDir "$WORK/hugo-cache" --quiet)
  measure "hugo_cold_$N" "rm -rf '$HOUT' '$WORK/hugo-cache'" "${HUGO[@]}"
  R[hugo_pages_$N]=$(find "$HOUT" -name '*.html' | wc -l)

  echo "bench: $N runs: raw loop (cmark + Mustache over the same bodies)" >&2
  raw_loop "raw_$N" "$HSITE/content"

  # The like-for-like figure of earlier rounds: Hugo on the runs and incidents alone.
  echo "bench: $N runs: Hugo cold builds (runs and incidents only)" >&2
  rm -rf "$HSITE/content/actions"
  measure "hugo_ri_$N" "rm -rf '$HOUT' '$WORK/hugo-cache'" "${HUGO[@]}"
  R[hugo_ri_pages_$N]=$(find "$HOUT" -name '*.html' | wc -l)
  rm -rf "$HOUT" "$HSITE" "$WORK/hugo-cache" "$CORPUS" "$OUT"
done

# ---------------------------------------------------------------- at scale (LARGE_SIZES)

for N in $LARGE_SIZES; do
  INCIDENTS=$((N / 20))
  CORPUS=$WORK/corpus-$N
  OUT=$WORK/site-$N
  echo "bench: $N runs: generating the corpus" >&2
  "$TIME" -f "%e" -o "$WORK/gen.txt" "$BIN" corpus --playbook "$ROOT/content" --runs "$N" --incidents "$INCIDENTS" --seed 1 --output "$CORPUS" >/dev/null 2>&1
  R[gen_$N]=$(cat "$WORK/gen.txt")
  echo "bench: $N runs: drillbook cold builds" >&2
  BUILD=("$BIN" build --content "$CORPUS" --theme "$ROOT/themes/default" --output "$OUT" --as-of "$AS_OF")
  SMALL_RUNS=$RUNS RUNS=$LARGE_RUNS
  measure "db_cold_$N" "rm -rf '$OUT'" "${BUILD[@]}"
  RUNS=$SMALL_RUNS
  R[db_pages_$N]=$(find "$OUT" -name '*.html' | wc -l)
  R[db_bytes_$N]=$(du -sm "$OUT" | cut -f1)
  find "$OUT" -name '*.html' -printf '%s %P\n' | sort -rn \
    | awk 'NR <= 3 { printf "%s%s (%.1f MB)", (NR > 1 ? ", " : ""), $2, $1 / 1048576 }' >"$WORK/largest-$N.txt"
  # Pages and the files pages load (scripts such as the search index's parts, styles, images)
  # against the 2 MB bound; downloads (CSV, JSON, iCalendar, feeds) are listed but not bound.
  # awk reads to the end: `sort | head` would end sort with SIGPIPE, which pipefail turns into an exit.
  LOADED=(-type f '(' -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.svg' ')')
  read -r "R[db_largest_$N]" "R[db_largest_name_$N]" <<<"$(find "$OUT" "${LOADED[@]}" -printf '%s %P\n' | awk '$1 > m { m = $1; p = $2 } END { print m + 0, p }')"
  R[db_over2_$N]=$(find "$OUT" "${LOADED[@]}" -size +2048k | wc -l)
  find "$OUT" -type f -size +2048k -printf '%s %P\n' | sort -k2 \
    | awk '{ printf "%s%s (%.1f MB)", (NR > 1 ? ", " : ""), $2, $1 / 1048576 } END { if (NR == 0) printf "none" }' >"$WORK/over2-$N.txt"
  rm -rf "$OUT"
  "${BUILD[@]}" --timings >"$WORK/timings-$N.txt"
  rm -rf "$CORPUS" "$OUT"
done

echo "bench: start-up and a single-run site" >&2
startup db_version "$BIN" --version
"$BIN" corpus --playbook "$ROOT/content" --runs 1 --incidents 0 --output "$WORK/corpus-1" >/dev/null
measure db_single "rm -rf '$WORK/site-1'" "$BIN" build --content "$WORK/corpus-1" --theme "$ROOT/themes/default" --output "$WORK/site-1" --as-of "$AS_OF"

# Chaos Toolkit, when pip and pandoc install: `chaos --help` and `chaos report` on one journal.
CHAOS_NOTE="not measured"
VENV=${BENCH_VENV:-$ROOT/.build/bench-venv}
PIP_STATUS=0
if [ ! -x "$VENV/bin/chaos" ]; then
  # Bounded: a pip that cannot reach its index gives up after its retries, and at most 10 minutes in all.
  (timeout 600 python3 -m venv "$VENV" && timeout 600 "$VENV/bin/pip" install --disable-pip-version-check chaostoolkit chaostoolkit-reporting) \
    >"$WORK/pip.txt" 2>&1 || PIP_STATUS=$?
fi
# why_not_installed: pip's own words (its last error line, else its last non-blank line) and its exit status.
why_not_installed() {
  local line
  line=$(grep -E '^(ERROR|error)[: ]' "$WORK/pip.txt" 2>/dev/null | tail -1)
  [ -n "$line" ] || line=$(grep -v '^[[:space:]]*$' "$WORK/pip.txt" 2>/dev/null | tail -1)
  [ -n "$line" ] || line="pip printed nothing"
  [ "$PIP_STATUS" = 0 ] || line="$line (exit status $PIP_STATUS)"
  [ "$PIP_STATUS" != 124 ] || line="$line: stopped after 10 minutes"
  printf '%s' "$line" | tr -d '\r' | tr '|' '/' | cut -c1-200
}
if [ -x "$VENV/bin/chaos" ] && command -v pandoc >/dev/null; then
  startup chaos_help "$VENV/bin/chaos" --help
  cat >"$WORK/journal.json" <<'JSON'
{
  "chaoslib-version": "1.42.0", "platform": "Linux", "node": "bench",
  "experiment": {
    "version": "1.0.0", "title": "Redis Sentinel failover keeps orders flowing",
    "description": "Stop the Redis master and check that the order API recovers within 30 s.",
    "tags": ["redis"],
    "steady-state-hypothesis": {"title": "Orders API answers", "probes": [
      {"type": "probe", "name": "orders-api-up", "tolerance": 200,
       "provider": {"type": "http", "url": "http://127.0.0.1:8080/health"}}]},
    "method": [{"type": "action", "name": "stop-redis-master",
                "provider": {"type": "process", "path": "true"}}],
    "rollbacks": []
  },
  "start": "2026-11-29T10:00:00.000000", "end": "2026-11-29T10:00:41.000000", "duration": 41.0,
  "status": "completed", "deviated": false,
  "steady_states": {"before": {"steady_state_met": true, "probes": []}, "after": {"steady_state_met": true, "probes": []}, "during": []},
  "run": [{"activity": {"type": "action", "name": "stop-redis-master", "provider": {"type": "process", "path": "true"}},
           "output": {"status": 0, "stdout": "", "stderr": ""}, "status": "succeeded",
           "start": "2026-11-29T10:00:05.000000", "end": "2026-11-29T10:00:05.100000", "duration": 0.1}],
  "rollbacks": []
}
JSON
  if (cd "$WORK" && "$TIME" -f "%e %U %S %M" -o "$WORK/chaos-time.txt" "$VENV/bin/chaos" report --export-format=html5 journal.json report.html) >"$WORK/chaos.txt" 2>&1 \
    && [ -s "$WORK/report.html" ]; then
    measure chaos_report "rm -f '$WORK/report.html'" sh -c "cd '$WORK' && '$VENV/bin/chaos' report --export-format=html5 journal.json report.html"
    CHAOS_NOTE="measured"
  else
    CHAOS_NOTE="chaos report failed: $(tail -1 "$WORK/chaos.txt" | cut -c1-120)"
  fi
elif [ -x "$VENV/bin/chaos" ]; then
  CHAOS_NOTE="pandoc is missing (chaos report needs it: apt-get install pandoc)"
else
  CHAOS_NOTE="chaostoolkit did not install into $VENV: $(why_not_installed)"
fi

# ---------------------------------------------------------------- the report

LAST=${SIZES##* }
pass() { awk -v v="$1" -v t="$2" 'BEGIN { print (v != "n/a" && v <= t) ? "met" : "missed" }'; }
{
  echo "# drillbook benchmark"
  echo
  echo "Measured by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'); output on tmpfs (/dev/shm);"
  echo "median of $RUNS runs; wall and CPU (user + sys) in seconds, peak RSS in MB from /usr/bin/time."
  echo "The whole run (SIZES=\"$SIZES\"${LARGE_SIZES:+, LARGE_SIZES=\"$LARGE_SIZES\"}, RUNS=$RUNS) took $(( (SECONDS - BENCH_START + 30) / 60 )) min."
  echo
  echo "- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
  echo "  $(free -m | awk '/^Mem:/ { printf "%.1f GB", $2 / 1024 }') memory, load average at the end $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared)"
  echo "- drillbook $("$BIN" --version) (release build), $(hugo version | cut -d' ' -f1-2 | sed 's/hugo v/Hugo /'), $(uname -sr)"
  echo
  echo "## Cold builds: drillbook against Hugo and the raw loop"
  echo
  echo "| Runs | Build | pages | wall | CPU | peak RSS | ms / page | drillbook wall ÷ this | drillbook RSS ÷ this | wall ÷ raw loop |"
  echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for N in $SIZES; do
    DW=${R[db_cold_${N}_wall]} DM=${R[db_cold_${N}_rss]} RW=${R[raw_${N}_wall]}
    echo "| $N | drillbook | ${R[db_pages_$N]} | $(fmt "$DW") | $(fmt "${R[db_cold_${N}_cpu]}") | $(fmt "$DM" 0) | $(per_page "$DW" "${R[db_pages_$N]}") | – | – | $(ratio "$DW" "$RW") |"
    HW=${R[hugo_cold_${N}_wall]} HM=${R[hugo_cold_${N}_rss]}
    echo "| $N | Hugo, equivalent site | ${R[hugo_pages_$N]} | $(fmt "$HW") | $(fmt "${R[hugo_cold_${N}_cpu]}") | $(fmt "$HM" 0) | $(per_page "$HW" "${R[hugo_pages_$N]}") | **$(ratio "$DW" "$HW")** | **$(ratio "$DM" "$HM")** | $(ratio "$HW" "$RW") |"
    HW=${R[hugo_ri_${N}_wall]} HM=${R[hugo_ri_${N}_rss]}
    echo "| $N | Hugo, runs and incidents only | ${R[hugo_ri_pages_$N]} | $(fmt "$HW") | $(fmt "${R[hugo_ri_${N}_cpu]}") | $(fmt "$HM" 0) | $(per_page "$HW" "${R[hugo_ri_pages_$N]}") | $(ratio "$DW" "$HW") | $(ratio "$DM" "$HM") | $(ratio "$HW" "$RW") |"
    echo "| $N | raw loop: cmark + Mustache, 1 thread, in memory | ${R[raw_${N}_pages]} | $(fmt "$RW") | – | – | $(per_page "$RW" "${R[raw_${N}_pages]}") | $(ratio "$DW" "$RW") | – | 1.000 |"
  done
  echo
  echo "- Pages are the HTML files each build wrote. At $LAST runs drillbook wrote ${R[db_kinds_$LAST]};"
  echo "  the equivalent Hugo site has one page per run (${R[hugo_src_runs_$LAST]}), incident (${R[hugo_src_incidents_$LAST]}) and action item"
  echo "  (${R[hugo_src_actions_$LAST]}), with the same Markdown bodies (summary, observations, lessons; incident text; the item's title,"
  echo "  owner, priority, status, due date, notes and update history), plus Hugo's section lists and home page."
  echo "- Hugo's layout is one line: \`<h1>{{ .Title }}</h1>{{ .Content }}\` in a bare HTML page, and a list of links for"
  echo "  sections and the home page. drillbook's pages use the full theme (navigation, tables, charts, exports), so"
  echo "  per page it does more work than Hugo here."
  echo "- \"Hugo, runs and incidents only\" is the like-for-like figure of earlier rounds (same content, without"
  echo "  the action-item pages); the targets use the equivalent site."
  echo "- The raw loop (\`drillbook-rawloop\`, Benchmarks/RawLoop) reads the equivalent Hugo site's Markdown, then in"
  echo "  one thread renders each body with cmark and Hugo's one-line layout in Mustache and sums the bytes"
  echo "  (${R[raw_${LAST}_bytes]} at $LAST runs); its wall is that loop alone (median of $RUNS), without reading or writing files."
  echo "- Generating the corpus took $(for N in $SIZES; do printf '%s s (%s runs) ' "${R[gen_$N]}" "$N"; done| sed 's/ $//')."
  echo
  if [ -n "$LARGE_SIZES" ]; then
    echo "## At scale: drillbook cold builds"
    echo
    echo "| Runs | pages | wall | CPU | peak RSS | ms / page | wall ÷ $LAST-run build | RSS ÷ $LAST-run build | MB written | largest pages |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    for N in $LAST $LARGE_SIZES; do
      echo "| $N | ${R[db_pages_$N]} | $(fmt "${R[db_cold_${N}_wall]}") | $(fmt "${R[db_cold_${N}_cpu]}") | $(fmt "${R[db_cold_${N}_rss]}" 0) | $(per_page "${R[db_cold_${N}_wall]}" "${R[db_pages_$N]}") | $(ratio "${R[db_cold_${N}_wall]}" "${R[db_cold_${LAST}_wall]}") | $(ratio "${R[db_cold_${N}_rss]}" "${R[db_cold_${LAST}_rss]}") | ${R[db_bytes_$N]} | $(cat "$WORK/largest-$N.txt") |"
    done
    echo
    echo "- Median of $LARGE_RUNS cold builds at each size of \`LARGE_SIZES\` (the first row is the table above's)."
    echo "- Each corpus has a twentieth as many incidents as runs; generating it took $(for N in $LARGE_SIZES; do printf '%s s (%s runs) ' "${R[gen_$N]}" "$N"; done | sed 's/ $//')."
    echo "- Hugo, the raw loop, rebuilds and serve are measured at the sizes above only (\`SIZES\`); this table is \`LARGE_SIZES\`."
    for N in $LARGE_SIZES; do
      echo "- The slowest steps of one more cold build at $N runs: $(slowest_steps "$WORK/timings-$N.txt")."
      echo "- Every file over 2 MB at $N runs: $(cat "$WORK/over2-$N.txt"). Downloads (\`actions.csv\`, \`actions.json\`,"
      echo "  \`actions.ics\`, the feeds, the sitemap) hold the whole history on purpose and are not pages; the 2 MB target"
      echo "  row counts pages and the files pages load (\`.html\`, \`.js\`, \`.css\`, \`.svg\`) only."
    done
    echo
  fi
  echo "## Rebuilds"
  echo
  echo "| Runs | cold wall | no-change wall | ratio | files touched | one run edited: wall | ratio | files rewritten | serve: edit to reload | ratio |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for N in $SIZES; do
    echo "| $N | $(fmt "${R[db_cold_${N}_wall]}") | $(fmt "${R[db_same_${N}_wall]}") | $(ratio "${R[db_same_${N}_wall]}" "${R[db_cold_${N}_wall]}") | ${R[db_same_files_$N]} | $(fmt "${R[db_edit_${N}_wall]}") | $(ratio "${R[db_edit_${N}_wall]}" "${R[db_cold_${N}_wall]}") | ${R[db_edit_files_$N]} | $(fmt "${R[db_serve_${N}]}") | $(ratio "${R[db_serve_${N}]}" "${R[db_cold_${N}_wall]}") |"
  done
  echo
  echo "\"serve: edit to reload\" is \`drillbook serve --port N\` on the same corpus: from saving an edit of one run's summary"
  echo "until the run page, polled over HTTP every 10 ms, shows it (median of ${R[db_serve_edits_${LAST}]:-?} edits, the slowest"
  echo "$(fmt "${R[db_serve_max_${LAST}]:-0}") s at $LAST runs; docs/serve.md)."
  echo
  echo "Files rewritten after editing one run's summary ($LAST runs): $(paste -sd' ' "$WORK/edited-$LAST.txt" | sed 's/ /, /g')."
  echo
  incremental_report
  echo "## Start-up and small sites"
  echo
  echo "| Measure | drillbook | Chaos Toolkit | ratio |"
  echo "| --- | ---: | ---: | ---: |"
  if [ "$CHAOS_NOTE" = measured ]; then
    echo "| start-up: \`drillbook --version\` / \`chaos --help\` (median of 20) | $(fmt "${R[db_version]}" 4) s | $(fmt "${R[chaos_help]}" 4) s | $(ratio "${R[db_version]}" "${R[chaos_help]}") |"
    echo "| one-run site build / \`chaos report\` (HTML, one journal) | $(fmt "${R[db_single_wall]}" 3) s, $(fmt "${R[db_single_rss]}" 0) MB | $(fmt "${R[chaos_report_wall]}" 3) s, $(fmt "${R[chaos_report_rss]}" 0) MB | $(ratio "${R[db_single_wall]}" "${R[chaos_report_wall]}") |"
  else
    echo "| start-up: \`drillbook --version\` (median of 20) | $(fmt "${R[db_version]}" 4) s | – | – |"
    echo "| one-run site build | $(fmt "${R[db_single_wall]}" 3) s, $(fmt "${R[db_single_rss]}" 0) MB | – | – |"
    echo
    echo "Chaos Toolkit: $CHAOS_NOTE."
  fi
  echo
  echo "## Targets"
  echo
  echo "Issue 14's targets, each from this run (\"after\") beside round 5's (\"before\": bench/results-round5.md, the last"
  echo "full bench before issue 14's work, and for 100,000 runs the figures issue 14 quotes)."
  echo
  echo "| Target | before (round 5, 10000 runs) | after (this run) | |"
  echo "| --- | ---: | ---: | --- |"
  W=$(ratio "${R[db_cold_${LAST}_wall]}" "${R[hugo_cold_${LAST}_wall]}")
  M=$(ratio "${R[db_cold_${LAST}_rss]}" "${R[hugo_cold_${LAST}_rss]}")
  S=$(ratio "${R[db_same_${LAST}_wall]}" "${R[db_cold_${LAST}_wall]}")
  RL=$(ratio "${R[db_cold_${LAST}_wall]}" "${R[raw_${LAST}_wall]}")
  E=$(ratio "${R[db_edit_${LAST}_wall]}" "${R[db_cold_${LAST}_wall]}")
  echo "| $LAST runs: cold build wall ≤ 0.5 × Hugo (equivalent site) | 1.007 × | $W × | $(pass "$W" 0.5) |"
  echo "| $LAST runs: cold build wall ≤ 4 × the raw loop | 8.722 × | $RL × | $(pass "$RL" 4) |"
  echo "| $LAST runs: cold build peak RSS ≤ 0.1 × Hugo (equivalent site) | 0.095 × | $M × | $(pass "$M" 0.1) |"
  echo "| $LAST runs: one-run edit rebuild ≤ 0.1 × cold | 0.963 × | $E × | $(pass "$E" 0.1) |"
  echo "| $LAST runs: \`serve\` shows a saved edit ≤ 0.5 s (median of ${R[db_serve_edits_${LAST}]:-?} edits) | no \`serve\` | $(fmt "${R[db_serve_${LAST}]}") s | $(pass "${R[db_serve_${LAST}]}" 0.5) |"
  if [ -n "$LARGE_SIZES" ]; then
    for N in $LARGE_SIZES; do
      G=$(ratio "${R[db_cold_${N}_wall]}" "${R[db_cold_${LAST}_wall]}")
      echo "| $N runs: cold build ≤ 11 × the $LAST-run build | 15 × (55 s) | $G × ($(fmt "${R[db_cold_${N}_wall]}") s) | $(pass "$G" 11) |"
      echo "| $N runs: peak RSS ≤ 1 GB | 860 MB | $(fmt "${R[db_cold_${N}_rss]}" 0) MB | $(pass "${R[db_cold_${N}_rss]}" 1024) |"
      echo "| $N runs: no page, nor file a page loads, over 2 MB | 12 MB (schedule) | ${R[db_largest_name_$N]} $(fmt "$(echo "${R[db_largest_$N]} / 1048576" | bc -l)" 2) MB, ${R[db_over2_$N]} over | $( [ "${R[db_over2_$N]}" = 0 ] && echo met || echo missed) |"
    done
  else
    echo "| 100000 runs: cold build ≤ 11 × the $LAST-run build | 15 × (55 s) | not measured (\`make bench-100k\`) | – |"
    echo "| 100000 runs: peak RSS ≤ 1 GB | 860 MB | not measured (\`make bench-100k\`) | – |"
    echo "| 100000 runs: no page, nor file a page loads, over 2 MB | 12 MB (schedule) | not measured (\`make bench-100k\`) | – |"
  fi
  echo "| $LAST runs: no-change rebuild ≤ 0.05 × cold (issue 5) | 0.037 × | $S × | $(pass "$S" 0.05) |"
  echo "| start-up ≤ 20 ms (issue 5) | 8.8 ms | $(fmt "$(echo "${R[db_version]} * 1000" | bc -l)" 1) ms | $(pass "${R[db_version]}" 0.020) |"
  echo
  echo "## Notes"
  echo
  echo "- drillbook wrote ${R[db_bytes_$LAST]} MB for $LAST runs; its largest pages: $(cat "$WORK/largest-$LAST.txt")."
  echo "- Spread over the $RUNS cold builds at $LAST runs (the machine is shared): drillbook $(fmt "${R[db_cold_${LAST}_wall_min]}")–$(fmt "${R[db_cold_${LAST}_wall_max]}") s,"
  echo "  Hugo (equivalent site) $(fmt "${R[hugo_cold_${LAST}_wall_min]}")–$(fmt "${R[hugo_cold_${LAST}_wall_max]}") s."
  echo "- The slowest steps of one more cold build at $LAST runs (\`--timings\`, below): $(slowest_steps "$WORK/timings-$LAST.txt")."
  echo "- What the bench measures, how to read it, and the history of optimisation rounds: bench/README.md."
  echo
  echo "## Where a cold build of $LAST runs spends its time (\`--timings\`)"
  echo
  echo '```text'
  cat "$WORK/timings-$LAST.txt"
  echo '```'
  for N in $LARGE_SIZES; do
    echo
    echo "At $N runs:"
    echo
    echo '```text'
    cat "$WORK/timings-$N.txt"
    echo '```'
  done
} >"$RESULTS"
cat "$RESULTS"
echo "bench: done in $(( (SECONDS - BENCH_START) / 60 )) min $(( (SECONDS - BENCH_START) % 60 )) s; the report is $RESULTS" >&2
