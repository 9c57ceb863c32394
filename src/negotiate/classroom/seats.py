"""The classroom seats, and how each one is cast onto the model.

Seats follow the mapping in the teaching literature (facts §4.1): the two delegations, 2-3
automakers, a chip maker, a defence prime, a Chinese magnet maker, a non-China supplier and
an optional press/observer seat. Firm seats are cast onto one model firm each; the
non-China supplier onto the MP-like supplier; the Chinese magnet maker is a classroom-level
actor (the model has no Chinese firms) whose lever is the one Chinese exporters really held in
2025: filing export-licence applications for named foreign customers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..calendar import HOMES, SECTORS

if TYPE_CHECKING:
    from ..model import TradeModel


@dataclass(frozen=True, slots=True)
class SeatSpec:
    id: str
    title: str
    kind: str  # government | firm | magnet | supplier | observer
    side: str | None = None  # the delegation this seat is or lobbies ("us"/"cn")
    sector: str | None = None
    home: str | None = None
    blurb: str = ""


SEATS: dict[str, SeatSpec] = {s.id: s for s in (
    SeatSpec("us", "U.S. delegation", "government", "us",
             blurb="Treasury, USTR and Commerce: tariffs, tech curbs, support for new supply."),
    SeatSpec("cn", "China delegation", "government", "cn",
             blurb="Vice-Premier, MOFCOM and customs: tariffs, the licence regime, tech measures."),
    SeatSpec("auto_us", "Detroit automaker", "firm", "us", "automotive", "US",
             blurb="Electric motors need NdFeB magnets with dysprosium and terbium."),
    SeatSpec("auto_eu", "European automaker", "firm", "us", "automotive", "EU",
             blurb="Your suppliers filed hundreds of licence requests; a quarter were granted."),
    SeatSpec("auto_jp", "Japanese automaker", "firm", "us", "automotive", "JP",
             blurb="You stockpiled after 2010; how long will that cover last?"),
    SeatSpec("chip", "U.S. chip maker", "firm", "us", "semiconductors", "US",
             blurb="Your products are the U.S. lever; your fabs need rare-earth inputs too."),
    SeatSpec("defence", "U.S. defence prime", "firm", "us", "defence", "US",
             blurb="Military end users are denied 'in principle'; your queue is the longest."),
    SeatSpec("magnet_cn", "Chinese magnet maker", "magnet", "cn",
             blurb="You hold the export licences; every shipment needs one."),
    SeatSpec("supplier", "Non-China supplier (MP-like)", "supplier", "us",
             blurb="Mountain Pass and a magnet plant in Texas; new capacity takes years."),
    SeatSpec("press", "Press / observer", "observer",
             blurb="Report what you see; your headlines reach every seat."),
)}
GOVERNMENTS = ("us", "cn")
FIRM_SEATS = tuple(s.id for s in SEATS.values() if s.kind == "firm")
#: Seats whose decisions change the model (the observer only writes).
PLAYING_SEATS = tuple(s.id for s in SEATS.values() if s.kind != "observer")
#: Students per seat: teams of 2-4 (facts §4.1).
MAX_TEAM = 4


def seat(seat_id: str) -> SeatSpec:
    from ..errors import NegotiateError

    if seat_id not in SEATS:
        raise NegotiateError(f"seat {seat_id!r} is unknown; allowed: {', '.join(SEATS)}")
    return SEATS[seat_id]


def cast_firms(model: TradeModel) -> dict[str, int]:
    """Give each firm seat its own model firm of the seat's sector and home.

    A firm of the right sector and home is used when one exists; otherwise the nearest one is
    re-tagged, because a 20-firm panel drawn at random may hold no U.S. defence prime. Seat
    firms always need heavy rare earths, so the licence queue matters to every firm seat.
    Deterministic (same scenario and seed, same casting), so a replay casts identically.
    """
    panel = model.firms
    taken: set[int] = set()
    casting: dict[str, int] = {}
    for seat_id in FIRM_SEATS:
        spec = SEATS[seat_id]
        sector, home = SECTORS.index(spec.sector), HOMES.index(spec.home)
        order = sorted(
            (i for i in range(panel.n) if i not in taken),
            key=lambda i: (panel.sector[i] != sector, panel.home[i] != home, not panel.heavy[i], i),
        )
        if not order:
            break
        index = order[0]
        panel.recast(index, sector=sector, home=home, heavy=True)
        taken.add(index)
        casting[seat_id] = index
    return casting
