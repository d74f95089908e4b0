#!/usr/bin/env python3
"""Judges the load drills (3.1, 3.2) from what the system under test logged.

Usage: load-report.py MARKS ACCESS_LOG API_LOG METRIC [KIND [BASE_KIND]]
MARKS has one line per window start, `NAME UNIX_SECONDS [STRESSOR_CPU_TICKS]` (the drill writes it
with `date`), and a last `end UNIX_SECONDS [TICKS]`; with the third column (the CPU time the
stressor had used, in clock ticks), a `pressure` window in which the stressor did not run (used less
than one clock tick of CPU) is not pressure: the metrics of `pressure` windows then print no number
(a stressor at a low priority on a machine busy with other work may get only 1 % of a core: it still
ran, and the text says how much it got). Windows of the same NAME (e.g. `baseline` and `burst`,
alternating) are pooled, so both kinds are measured over the same stretch of time and a change in the machine's
load hits both alike. ACCESS_LOG is nginx's (`$msec $status $request_time`: every answer users
got, including 429 and 502), API_LOG the order API's own (support/order-api.py); a request counts
in the window it started in. Metrics:
  successful_rps KIND        2xx answers nginx sent per second in KIND windows (per second of the
                             time load was offered: from each window's first request to its last)
  throughput_multiplier KIND BASE   successful_rps KIND / successful_rps BASE
  error_rate KIND            5xx answers / all answers in KIND windows, in %
  rate_limited_share KIND    429 answers / all answers in KIND windows, in %
  p95_latency_ratio KIND BASE   p95 of the API's own handler time in KIND windows / in BASE ones
                             (pooled over all windows of each kind)
  p95_pair_ratio KIND BASE   the median, over the pairs of adjacent windows (the i-th KIND window
                             with the i-th BASE one), of KIND's handler p95 / BASE's: a stretch of
                             time in which other processes load the machine slows both windows of a
                             pair, and one such stretch moves the median by one pair at most
  p95_ms KIND                that p95, in ms
  cpu_percent KIND           the API's CPU time / wall time over KIND windows, in % of one core
                             (the highest of the windows)
Prints the number, then a line saying what it counted. Prints no number (exit 1) when there is
nothing to judge (no answer in a window kind), so the criterion is not measured rather than met.
Python 3 standard library only.
"""
import sys


TICKS_PER_SECOND = 100


def windows(path):
    """[(name, start, end)], and the pressure windows in which the stressor did not run."""
    marks = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 2:
                marks.append((parts[0], float(parts[1]), float(parts[2]) if len(parts) > 2 else None))
    spans, idle, busy = [], [], []
    for (name, start, ticks), (_, end, next_ticks) in zip(marks, marks[1:]):
        spans.append((name, start, end))
        if name == "pressure" and ticks is not None and next_ticks is not None:
            cores = (next_ticks - ticks) / TICKS_PER_SECOND / max(end - start, 1e-9)
            busy.append(f"{cores:.2f}")
            if next_ticks - ticks < 1:
                idle.append(f"{cores:.2f} cores at {start:.1f}")
    return spans, idle, busy


def rows(path, columns):
    result = []
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) >= columns:
                    try:
                        result.append([float(p) for p in parts[:columns]])
                    except ValueError:
                        pass
    except FileNotFoundError:
        pass
    return result


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def main(argv):
    spans, idle, busy = windows(argv[0])
    # Every request belongs to the window it started in (end time minus duration), so a request
    # slowed in one window and answered in the next is counted where it was slowed.
    access = [[row[0] - row[2]] + row[1:] for row in rows(argv[1], 3)]
    api = [[row[0] - row[1] / 1e6] + row[1:] for row in rows(argv[2], 4)]
    metric, kinds = argv[3], argv[4:]

    def of(kind, table):
        chosen = [(s, e) for name, s, e in spans if name == kind]
        return [row for row in table if any(s <= row[0] < e for s, e in chosen)], sum(e - s for s, e in chosen), chosen

    def successful_rps(kind):
        # Per second of the time load was offered: in each window, from its first request to its
        # last (n requests span n - 1 intervals), not from mark to mark, which also counts the time
        # the drill took to start its next step (longer on a loaded machine).
        answers, _, chosen = of(kind, access)
        seconds = 0.0
        for start, end in chosen:
            starts = [row[0] for row in answers if start <= row[0] < end]
            if len(starts) > 1:
                seconds += (max(starts) - min(starts)) * len(starts) / (len(starts) - 1)
        ok = sum(1 for row in answers if 200 <= row[1] < 300)
        return (ok / seconds if seconds > 0 and answers else None), f"{ok} of {len(answers)} answers 2xx in {seconds:.2f} s of {kind} load"

    def share(kind, predicate, label):
        answers, _, _ = of(kind, access)
        if not answers:
            return None, f"no answers in {kind} windows"
        part = sum(1 for row in answers if predicate(row[1]))
        return round(100 * part / len(answers), 2), f"{part} of {len(answers)} answers in {kind} windows were {label}"

    def p95(kind):
        timed, _, _ = of(kind, api)
        return (percentile([row[1] / 1000 for row in timed], 95) if timed else None), len(timed)

    if metric == "successful_rps":
        value, text = successful_rps(kinds[0])
        value = None if value is None else round(value, 1)
    elif metric == "throughput_multiplier":
        high, high_text = successful_rps(kinds[0])
        low, low_text = successful_rps(kinds[1])
        value = round(high / low, 2) if high is not None and low else None
        text = f"{high_text}; {low_text}"
    elif metric == "error_rate":
        value, text = share(kinds[0], lambda status: status >= 500, "5xx")
    elif metric == "rate_limited_share":
        value, text = share(kinds[0], lambda status: status == 429, "429")
    elif metric == "p95_ms":
        value, count = p95(kinds[0])
        value, text = (None if value is None else round(value, 3)), f"p95 of {count} handler times in {kinds[0]} windows"
    elif metric == "p95_latency_ratio":
        high, high_count = p95(kinds[0])
        low, low_count = p95(kinds[1])
        value = round(high / low, 2) if high is not None and low else None
        text = (f"API handler p95 {high if high is None else round(high, 3)} ms over {high_count} orders in {kinds[0]} windows, "
                f"{low if low is None else round(low, 3)} ms over {low_count} in {kinds[1]} windows")
    elif metric == "p95_pair_ratio":
        pairs = zip([(s, e) for name, s, e in spans if name == kinds[0]], [(s, e) for name, s, e in spans if name == kinds[1]])
        ratios = []
        for (high_start, high_end), (low_start, low_end) in pairs:
            high = [row[1] / 1000 for row in api if high_start <= row[0] < high_end]
            low = [row[1] / 1000 for row in api if low_start <= row[0] < low_end]
            if high and low and percentile(low, 95) > 0:
                ratios.append((percentile(high, 95), percentile(low, 95)))
        ordered = sorted(high / low for high, low in ratios)
        middle = len(ordered) // 2
        median = (ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2) if ordered else None
        value = None if median is None else round(median, 2)
        text = (f"median of {len(ratios)} pairs of API handler p95s, {kinds[0]} against {kinds[1]} (ms): "
                + ", ".join(f"{high:.3f}/{low:.3f}" for high, low in ratios))
    elif metric == "cpu_percent":
        _, _, chosen = of(kinds[0], api)
        shares = []
        for start, end in chosen:
            inside = [row for row in api if start <= row[0] < end]
            if len(inside) >= 2 and inside[-1][0] > inside[0][0]:
                shares.append(100 * (inside[-1][3] - inside[0][3]) / (inside[-1][0] - inside[0][0]))
        value = round(max(shares), 1) if shares else None
        text = f"API CPU in {len(shares)} {kinds[0]} windows: " + ", ".join(f"{s:.1f} %" for s in shares)
    else:
        print(f"unknown metric {metric}")
        return 2
    if "pressure" in kinds and idle:
        value, text = None, "the stressor did not run in every pressure window (" + ", ".join(idle) + ")"
    if "pressure" in kinds and busy and value is not None:
        text += "; the stressor used " + ", ".join(busy) + " cores in the pressure windows"
    if value is None:
        print(f"nothing to judge: {text}")
        return 1
    print(value)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) if len(sys.argv) > 4 else __doc__)
