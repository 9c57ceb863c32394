"""Names people use for the things a player types, and the checks of what was typed.

Every bound and parser comes from the core: instruments from ``negotiate.moves``
(``MOVE_NUMBERS``, ``FIELD_LABELS``, ``parse_number``), offer terms from
``negotiate.negotiation`` (``OFFER_BOUNDS``, ``OFFER_LABELS``, ``parse_offer_field``). This
module only writes each field's label as a form shows it ("Headline tariff (%)") and puts
that name at the start of the message.
"""

from __future__ import annotations

from negotiate import negotiation
from negotiate.errors import MoveError
from negotiate.moves import FIELD_LABELS, MOVE_NUMBERS, parse_number
from negotiate.params import Range, number

from .state import parse_seed

SIDE_TITLES = {"us": "the United States", "cn": "China"}


def _title(words: str) -> str:
    return words[:1].upper() + words[1:]


def _label(words: str, bound: Range) -> str:
    return f"{_title(words)} ({bound.unit})" if bound.unit else _title(words)


#: Each instrument field's label, e.g. "Licence approval rate (share)".
MOVE_LABELS = {name: _label(FIELD_LABELS[name], bound) for name, bound in MOVE_NUMBERS.items()}
#: The numeric offer terms a form shows, and their labels, e.g. "U.S. tariff cap (%)".
OFFER_LABELS = {name: _label(negotiation.OFFER_LABELS[name], bound)
                for name, bound in negotiation.OFFER_BOUNDS.items() if isinstance(bound, Range)}


def bare(label: str) -> str:
    """'Headline tariff (%)' -> 'Headline tariff': the name a message starts with."""
    return label.split(" (")[0]


def move_field_error(side: str, name: str, text: str) -> str:
    """One instrument as typed -> '' when fine, else one line naming it and what is allowed."""
    try:
        parse_number(bare(MOVE_LABELS[name]), str(text), MOVE_NUMBERS[name])
    except MoveError as exc:
        return str(exc)
    return ""


def offer_value(name: str, text: str) -> float:
    """One offer term as typed -> its value, or MoveError naming the term and its bounds."""
    return negotiation.parse_offer_field(name, str(text), label=bare(OFFER_LABELS[name]))


def offer_field_error(name: str, text: str) -> str:
    try:
        offer_value(name, text)
    except MoveError as exc:
        return str(exc)
    return ""


def span(bound: Range) -> str:
    """A bound as a hint under its field says it: '0 to 1 share'."""
    unit = f" {bound.unit}" if bound.unit else ""
    return f"{number(bound.lo)} to {number(bound.hi)}{unit}"


def offer_hint(name: str) -> str:
    """The allowed range under an offer field: '0 to 1 share'."""
    whole = " (whole weeks)" if name in negotiation.WHOLE_OFFER_FIELDS else ""
    return span(negotiation.OFFER_BOUNDS[name]) + whole


def move_hint(name: str, now: str) -> str:
    """Under an instrument field: its current value and the allowed range."""
    return f"now {now}; {span(MOVE_NUMBERS[name])}"


def seed(text: str) -> int:
    """A typed seed; '1,234' is refused by the one number parser rather than read as 1234."""
    return parse_seed(text)
