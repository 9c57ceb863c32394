"""The firms' weekly arithmetic, compiled: orders, shipments, arrivals, production, switching
and lobbying, one pass over the firms.

This is the one home of these rules; :class:`~negotiate.agents.firm.FirmPanel` calls it
and keeps the state. It is compiled with numba because at 40 firms a week written as numpy
calls cost numpy's per-call overhead about 60 times, which was a third of the whole week
(docs/architecture.md, "Firms as arrays, their week compiled"). The arithmetic is the same element by element as numpy's,
operation for operation, and every total is numpy's own pairwise sum (:func:`pairwise_total`),
so a compiled week gives the tables a numpy week gave, bit for bit. Products with weights
(BLAS dot products) stay in numpy, whose summation order the BLAS build decides.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# Part of the gap to target cover that firms reorder each week.
RESTOCK = 0.25
# Share of a blocked Chinese order that firms try to buy on the thin non-China spot market.
SPOT_SCRAMBLE = 0.5

# numpy's pairwise summation works in blocks of this many elements (numpy's PW_BLOCKSIZE).
_PAIRWISE_BLOCK = 128

#: Rows of the block of arrays one week makes (new each week: the firm table keeps them).
WEEK_ROWS = ("inventory", "production", "in_transit", "received_china", "received_other",
             "china_share")
#: Per-firm terms the week reads, rows of one array (they change only with a seat's levers).
TERMS = ("demand", "inv_demand", "inv_cover", "target", "half_target")
#: The week's totals, in the order :func:`firm_week` writes them (``earliest_due``: the first
#: week a licence decision falls due, -1 for none pending).
TOTALS = ("total_request", "blocked", "shipped", "arrived", "made", "new_stoppages", "switched",
          "earliest_due", "production", "inventory")
# How far one province's review time may stretch or shrink the usual one.
REVIEW_JITTER = (0.7, 1.3)


@njit(cache=True)
def _block_sum(a: np.ndarray, lo: int, n: int) -> float:  # pragma: no cover - compiled
    # numpy's sum of one block of at most _PAIRWISE_BLOCK elements: eight running sums.
    if n < 8:
        res = -0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    whole = n - n % 8
    while i < whole:
        j = lo + i
        r0 += a[j]
        r1 += a[j + 1]
        r2 += a[j + 2]
        r3 += a[j + 3]
        r4 += a[j + 4]
        r5 += a[j + 5]
        r6 += a[j + 6]
        r7 += a[j + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@njit(cache=True)
def _split(n: int) -> int:  # pragma: no cover - compiled
    half = n // 2
    return half - half % 8


@njit(cache=True)
def _pairwise(a: np.ndarray, lo: int, n: int) -> float:  # pragma: no cover - compiled
    # numpy's pairwise sum (numpy/_core/src/umath/loops_utils.h.src): halves, each summed the
    # same way, until a block is small enough. numba cannot cache a recursive function, so
    # the recursion runs on a stack of its own: each level holds its range, and its left
    # half's sum once that is done.
    if n <= _PAIRWISE_BLOCK:
        return _block_sum(a, lo, n)
    starts = np.empty(64, dtype=np.int64)
    sizes = np.empty(64, dtype=np.int64)
    left = np.empty(64)
    left_done = np.zeros(64, dtype=np.bool_)
    top = 0
    starts[0], sizes[0] = lo, n
    while True:
        while sizes[top] > _PAIRWISE_BLOCK:  # down the left halves to a block
            left_done[top] = False
            starts[top + 1], sizes[top + 1] = starts[top], _split(sizes[top])
            top += 1
        result = _block_sum(a, starts[top], sizes[top])
        top -= 1
        while top >= 0 and left_done[top]:  # each finished right half joins its left
            result = left[top] + result
            top -= 1
        if top < 0:
            return result
        left[top], left_done[top] = result, True  # then the right half of this level
        half = _split(sizes[top])
        starts[top + 1], sizes[top + 1] = starts[top] + half, sizes[top] - half
        top += 1


@njit(cache=True)
def pairwise_total(a: np.ndarray) -> float:  # pragma: no cover - compiled
    """``float(np.add.reduce(a))`` for a 1-D float64 array, bit for bit."""
    return 0.0 + _pairwise(a, 0, a.size)


@njit(cache=True)
def _effort(production: float, inventory: float, inv_cover: float, extra: float) -> float:
    # pragma: no cover - compiled
    fear = 1.0 - inventory * inv_cover
    fear = max(fear, 0.0)
    fear = min(fear, 1.0)
    fear *= 0.5
    effort = 1.0 - production
    effort += fear
    effort += extra
    return min(effort, 1.0)


@njit(cache=True)
def lobbying_into(out: np.ndarray, production: np.ndarray, inventory: np.ndarray,
                  inv_cover: np.ndarray, extra: np.ndarray) -> None:  # pragma: no cover
    """Each firm's lobbying effort into ``out``: lost production, plus half the fear of
    running out (how far stock is below the buffer target, 0..1), plus a seat's extra push,
    at most 1. ``inv_cover`` is 1 / (weekly demand x buffer weeks); ``extra`` may be empty
    (no seat pushes)."""
    pushed = extra.size > 0
    for i in range(out.size):
        out[i] = _effort(production[i], inventory[i], inv_cover[i], extra[i] if pushed else 0.0)


@njit(cache=True)
def _held_back(licence_until: int, needs_licence: bool, week_no: int) -> bool:  # pragma: no cover
    # Under controls, China holds back the order of a firm that needs a licence and has
    # none in force this week.
    return licence_until < week_no and needs_licence


@njit(cache=True)
def firm_week(week_no: int, slot: int, controls: bool, terms: np.ndarray,
              china_share: np.ndarray, transit_weeks: np.ndarray, inventory: np.ndarray,
              in_transit: np.ndarray, stopped: np.ndarray, licence_until: np.ndarray,
              heavy: np.ndarray, pending_until: np.ndarray, extra: np.ndarray,
              pipeline: np.ndarray, capacity: float, switch_rate: float, week: np.ndarray,
              scratch: np.ndarray, effort: np.ndarray,
              totals: np.ndarray) -> None:  # pragma: no cover - compiled
    """One week of every firm (docs/ODD.md §7, "Firms"). Reads last week's state and the
    per-firm ``terms`` (rows :data:`TERMS`), writes this week's state into ``week`` (rows
    :data:`WEEK_ROWS`; its last row takes the China shares after switching, when any firm
    switched), ``effort`` (lobbying) and ``totals`` (:data:`TOTALS`); ``pipeline`` (goods
    at sea, a ring of weekly slots) and ``stopped`` (below half production) are updated in
    place.

    Under ``controls`` China holds back the orders of firms that need a licence and have
    none in force this week (``week_no``). Firms order on their inventory position (stock
    plus goods at sea) against the target cover plus what their lead time keeps at sea, so
    lead times do not make them reorder what is already on its way. The non-China market
    fills every request when it can, else a share of each; China ships the rest of every
    permitted order.
    """
    demand, inv_demand, inv_cover = terms[0], terms[1], terms[2]
    target, half_target = terms[3], terms[4]
    n = demand.size
    slots = pipeline.shape[0]
    inventory_now, production, transit_now = week[0], week[1], week[2]
    arrived, got_other, new_share = week[3], week[4], week[5]
    order, to_china, blocked, shipped, made = scratch[0], scratch[1], scratch[2], scratch[3], scratch[4]
    for i in range(n):
        # Target cover plus the goods its lead time keeps at sea at its China share.
        order_target = target[i] + demand[i] * china_share[i] * transit_weeks[i]
        want = order_target - (inventory[i] + in_transit[i])
        want = max(want, 0.0)
        want *= RESTOCK
        want = demand[i] + want
        order[i] = want
        china = want * china_share[i]
        to_china[i] = china
        request = want - china
        if controls:
            held = china * _held_back(licence_until[i], heavy[i], week_no)
            blocked[i] = held
            request += held * SPOT_SCRAMBLE
        got_other[i] = request
    blocked_total = pairwise_total(blocked) if controls else 0.0
    total_request = pairwise_total(got_other)
    if total_request <= capacity:
        for i in range(n):
            shipped[i] = to_china[i] - blocked[i] if controls else to_china[i]
    else:
        scale = capacity / total_request
        for i in range(n):
            got_other[i] = got_other[i] * scale
            ship = order[i] - got_other[i]
            ship = max(ship, 0.0)
            if controls and _held_back(licence_until[i], heavy[i], week_no):
                ship = 0.0
            shipped[i] = ship
    # China's shipments join the pipeline; this week's slot arrives (lead 0 at once).
    new_stoppages = 0
    any_short = False
    for i in range(n):
        pipeline[(slot + transit_weeks[i]) % slots, i] += shipped[i]
        landed = pipeline[slot, i]
        pipeline[slot, i] = 0.0
        arrived[i] = landed
        transit_now[i] = in_transit[i] + shipped[i] - landed
        available = inventory[i] + landed + got_other[i]
        share = available * inv_demand[i]
        share = min(1.0, share)
        production[i] = share
        out = share * demand[i]
        made[i] = out
        left = available - out
        inventory_now[i] = left
        down = share < 0.5
        if down and not stopped[i]:
            new_stoppages += 1
        stopped[i] = down
        if share < 1.0 or left < half_target[i]:
            any_short = True
    switched = switch_rate > 0.0 and any_short
    if switched:
        for i in range(n):
            if production[i] < 1.0 or inventory_now[i] < half_target[i]:
                new_share[i] = china_share[i] * (1.0 - switch_rate)
            else:
                new_share[i] = china_share[i]
    lobbying_into(effort, production, inventory_now, inv_cover, extra)
    totals[0] = total_request
    totals[1] = blocked_total
    totals[2] = pairwise_total(shipped)
    totals[3] = pairwise_total(arrived)
    totals[4] = pairwise_total(made)
    totals[5] = new_stoppages
    totals[6] = 1.0 if switched else 0.0
    totals[7] = earliest_due(pending_until)
    totals[8] = pairwise_total(production)
    totals[9] = pairwise_total(inventory_now)


# ------------------------------------------------------------------ licences (ODD §7)
# China's random draws stay with numpy's generator, between these steps, so the run's one
# stream of random numbers is drawn in the same order and sizes as ever.
@njit(cache=True)
def licences_due(pending_until: np.ndarray, week: int, due: np.ndarray) -> int:  # pragma: no cover
    """The firms whose application is decided this week, in order, into ``due``; how many."""
    count = 0
    for i in range(pending_until.size):
        if 0 <= pending_until[i] <= week:
            due[count] = i
            count += 1
    return count


@njit(cache=True)
def decide_and_find(due: np.ndarray, count: int, draws: np.ndarray, approval_rate: float,
                    defence_factor: float, approval_factor: np.ndarray, defence: np.ndarray,
                    licence_until: np.ndarray, pending_until: np.ndarray, licensed_until: int,
                    controls: bool, renew_before: float, heavy: np.ndarray,
                    applicants: np.ndarray) -> tuple[int, int]:  # pragma: no cover
    """Decide the ``count`` applications due: approved when the draw is under the firm's
    chance (China's approval rate times its factor for the firm's home, times the defence
    factor for a defence customer), licensed until ``licensed_until``. Then, under controls,
    list the firms that apply now: unlicensed or licensed to before ``renew_before`` (a new
    licence could not come in time), needing one, with nothing pending. Returns (approved,
    applicants)."""
    approved = 0
    for k in range(count):
        i = due[k]
        chance = approval_rate * approval_factor[i]
        if defence[i]:
            chance = chance * defence_factor
        if draws[k] < chance:
            licence_until[i] = licensed_until
            approved += 1
        pending_until[i] = -1
    applying = 0
    if controls:
        for i in range(licence_until.size):
            if licence_until[i] < renew_before and heavy[i] and pending_until[i] < 0:
                applicants[applying] = i
                applying += 1
    return approved, applying


@njit(cache=True)
def file_applications(applicants: np.ndarray, count: int, draws: np.ndarray,
                      review_weeks: float, week: int, pending_until: np.ndarray) -> None:
    # pragma: no cover - compiled
    """File the ``count`` applications: each is decided after the review time, stretched by
    its province (bureaucracy varies; ``draws`` are uniform in [0, 1)), at least a week on."""
    low, high = REVIEW_JITTER
    for k in range(count):
        jitter = low + (high - low) * draws[k]  # numpy's Generator.uniform(low, high), exactly
        wait = np.rint(review_weeks * jitter)
        pending_until[applicants[k]] = week + np.int64(max(1.0, wait))


@njit(cache=True)
def earliest_due(pending_until: np.ndarray) -> int:  # pragma: no cover - compiled
    """The first week a pending application is decided (-1: none pending)."""
    earliest = -1
    for i in range(pending_until.size):
        due = pending_until[i]
        if due >= 0 and (earliest < 0 or due < earliest):
            earliest = due
    return earliest


def load() -> None:
    """Compile every kernel now (or load it from numba's cache beside this file) rather than
    in the first week a process plays: a process pool's fork server calls this, so that its
    children start with the kernels in memory."""
    one, none, index = np.ones(1), np.zeros(0), np.zeros(1, dtype=np.int64)
    flag = np.zeros(1, dtype=np.bool_)
    pending = np.full(1, -1, dtype=np.int64)
    firm_week(1, 0, True, np.ones((len(TERMS), 1)), one, index, one, one, flag, index.copy(),
              flag.copy(), pending, none, np.zeros((1, 1)), 1.0, 0.0,
              np.zeros((len(WEEK_ROWS), 1)), np.zeros((5, 1)), np.zeros(1), np.zeros(len(TOTALS)))
    licences_due(pending, 0, index)
    decide_and_find(index, 0, none, 1.0, 1.0, one, flag, index.copy(), pending, 1, True, 1.0, flag,
                    index.copy())
    file_applications(index, 0, none, 1.0, 0, pending)
    lobbying_into(np.zeros(1), one, one, one, none)
