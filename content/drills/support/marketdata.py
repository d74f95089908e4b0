"""The reference market-data feed the provider drills (2.1, 2.2) compare served quotes against.

Every live provider publishes the same instrument on the same tick clock: tick = floor(unix time x
TICKS_PER_SECOND), price = reference_price(tick). A client that knows this module can tell, for any
quote it was served, whether the price is the reference price of its tick (else "wrong") and how
old the tick was when the quote arrived (older than STALE_AFTER_SECONDS: "stale").
Python 3 standard library only.
"""
import time

SYMBOL = "BONDX"
TICKS_PER_SECOND = 10
STALE_AFTER_SECONDS = 2.0


def current_tick(now=None):
    return int((time.time() if now is None else now) * TICKS_PER_SECOND)


def tick_time(tick):
    return tick / TICKS_PER_SECOND


def reference_price(tick):
    """A deterministic walk around 101.00 with two decimals: the feed's known price at `tick`."""
    step = (tick * 7919) % 401 - 200  # -200 … 200
    return round(101.0 + step / 100.0, 2)


def quote(provider, tick=None):
    tick = current_tick() if tick is None else tick
    return {"provider": provider, "symbol": SYMBOL, "tick": tick, "price": reference_price(tick)}
