#!/usr/bin/env python3
"""The users of the provider drills (2.1, 2.2): what they were served, judged against the reference feed.

  market-client.py watch BASE_URL LOG [--orders]
      Asks BASE_URL/quote ten times a second (and, with --orders, POSTs BASE_URL/orders five times a
      second) and appends one JSON line per answer to LOG: when it was sent and received, the HTTP
      status (0: no answer within 3 s), and the quote. Stops by itself after 10 minutes.
  market-client.py report LOG --since-file FILE --window SECONDS --primary NAME METRIC
      Judges the answers sent in [since, since + SECONDS] (since: the first number in FILE) and
      prints METRIC, then a line saying what it counted. A quote is good when it came, its price is
      the reference price of its tick (support/marketdata.py) and the tick was at most
      STALE_AFTER_SECONDS old on arrival; otherwise it is missing, wrong or stale. Metrics:
        data_quality_score   good quotes / quotes asked, in %
        failed_request_rate  quotes asked but not answered (non-200 or no answer), in %
        error_rate           the same share, for the "system stable" criterion
        fallback_seconds     from since to the first good quote from a provider other than the primary
        mock_fallback_seconds  from since to the first MOCK quote
        users_notified       1 when at least one MOCK quote was served, every MOCK quote carried a
                             notice and no live quote did (over the whole log), else 0
        order_success_rate   orders answered 2xx / orders sent, in %
        recovered            1 (exit 0) when, after since, users were served quotes from another
                             provider (or the mock) and then good quotes from the primary again;
                             else 0 (exit 3)
      A time to an event that did not happen in the window is printed as the window's length (the
      event took longer than that), so a criterion with a shorter target misses. When the log does
      not cover the window (the watcher died), nothing is printed and the exit status is 1.
Python 3 standard library only.
"""
import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit

import marketdata

MAX_SECONDS = 600


def ask(base, method, path, log, lock, kind):
    parts = urlsplit(base)
    sent = time.time()
    entry = {"kind": kind, "sent": sent}
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=3)
    try:
        connection.request(method, path, body=b'{"symbol":"BONDX","qty":1}' if method == "POST" else None,
                           headers={"Content-Type": "application/json"} if method == "POST" else {})
        response = connection.getresponse()
        body = response.read()
        entry["status"] = response.status
        if kind == "quote" and response.status == 200:
            entry["quote"] = json.loads(body)
    except (OSError, ValueError, http.client.HTTPException) as error:
        entry["status"] = 0
        entry["error"] = str(error)[:80]
    finally:
        connection.close()
    entry["received"] = time.time()
    with lock:
        log.write(json.dumps(entry) + "\n")
        log.flush()


def loop(base, method, path, per_second, log, lock, kind):
    start = time.monotonic()
    n = 0
    while time.monotonic() - start < MAX_SECONDS:
        ask(base, method, path, log, lock, kind)
        n += 1
        time.sleep(max(0.0, start + n / per_second - time.monotonic()))


def watch(argv):
    base, path = argv[0], argv[1]
    lock = threading.Lock()
    with open(path, "a", encoding="utf-8") as log:
        threads = [threading.Thread(target=loop, args=(base, "GET", "/quote", 10, log, lock, "quote"), daemon=True)]
        if "--orders" in argv:
            threads.append(threading.Thread(target=loop, args=(base, "POST", "/orders", 5, log, lock, "order"), daemon=True))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def verdict(entry):
    if entry.get("status") != 200 or "quote" not in entry:
        return "missing"
    quote = entry["quote"]
    if quote.get("price") != marketdata.reference_price(quote.get("tick", -1)):
        return "wrong"
    if entry["received"] - marketdata.tick_time(quote["tick"]) > marketdata.STALE_AFTER_SECONDS:
        return "stale"
    return "good"


def report(argv):
    path = argv[0]
    options = dict(zip(argv[1:-1:2], argv[2:-1:2]))
    metric = argv[-1]
    with open(options["--since-file"], encoding="utf-8") as handle:
        since = float(handle.read().split()[0])
    window = float(options["--window"])
    primary = options.get("--primary", "NSE")
    with open(path, encoding="utf-8") as handle:
        entries = [json.loads(line) for line in handle if line.strip()]
    if not entries or max(e["sent"] for e in entries) < since + window - 1:
        print(f"the log does not cover the window ({len(entries)} answers)")
        return 1
    inside = [e for e in entries if since <= e["sent"] <= since + window]
    quotes = [e for e in inside if e["kind"] == "quote"]
    orders = [e for e in inside if e["kind"] == "order"]
    counts = {"good": 0, "stale": 0, "wrong": 0, "missing": 0}
    for entry in quotes:
        counts[verdict(entry)] += 1

    def first(predicate):
        times = [e["received"] - since for e in quotes if predicate(e)]
        return (round(min(times), 3), "") if times else (window, f" (not seen within the {window:g} s observed)")

    def share(part, whole):
        return round(100 * part / whole, 2) if whole else None

    served = lambda e: e.get("quote", {}).get("provider")
    mock_all = [e for e in entries if served(e) == "MOCK"]
    live_all = [e for e in entries if served(e) not in (None, "MOCK")]
    counted = f"{len(quotes)} quotes: {counts['good']} good, {counts['stale']} stale, {counts['wrong']} wrong, {counts['missing']} missing"
    if metric == "data_quality_score":
        value, text = share(counts["good"], len(quotes)), counted
    elif metric in ("failed_request_rate", "error_rate"):
        value, text = share(counts["missing"], len(quotes)), counted
    elif metric == "fallback_seconds":
        value, text = first(lambda e: served(e) not in (None, primary, "MOCK") and verdict(e) == "good")
        text = "first good quote from a provider other than " + primary + text
    elif metric == "mock_fallback_seconds":
        value, text = first(lambda e: served(e) == "MOCK")
        text = "first MOCK quote" + text
    elif metric == "users_notified":
        with_notice = sum(1 for e in mock_all if e["quote"].get("notice"))
        false_alarms = sum(1 for e in live_all if e["quote"].get("notice"))
        value = 1 if mock_all and with_notice == len(mock_all) and false_alarms == 0 else 0
        text = f"{with_notice} of {len(mock_all)} MOCK quotes carried a notice; {false_alarms} of {len(live_all)} live quotes did"
    elif metric == "order_success_rate":
        accepted = sum(1 for e in orders if 200 <= e.get("status", 0) < 300)
        value, text = share(accepted, len(orders)), f"{accepted} of {len(orders)} orders accepted"
    elif metric == "recovered":
        after = [e for e in entries if e["sent"] >= since and e["kind"] == "quote" and served(e)]
        away = [e for e in after if served(e) != primary]
        back = [e for e in after if served(e) == primary and verdict(e) == "good" and away and e["received"] > away[-1]["received"]]
        if not (away and back):
            print(0)
            print(f"{len(away)} quotes from elsewhere, then {len(back)} good from {primary}")
            return 3
        value, text = 1, f"{len(away)} quotes from elsewhere, then {len(back)} good from {primary} again"
    else:
        print(f"unknown metric {metric}")
        return 2
    if value is None:
        print(f"nothing was asked in the window ({counted})")
        return 1
    print(value)
    print(text)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "watch":
        watch(sys.argv[2:])
    elif len(sys.argv) > 3 and sys.argv[1] == "report":
        sys.exit(report(sys.argv[2:]))
    else:
        sys.exit(__doc__)
