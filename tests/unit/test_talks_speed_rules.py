"""What the cheap paths of a round of talks rely on: offers built without ``Offer.__init__``
are ordinary offers, utilities cap as ``min`` does, and a log text written late is the text."""

import dataclasses
import datetime as dt
import pickle

import pytest

from negotiate import TradeModel, load_scenario
from negotiate.eventlog import EventLog
from negotiate.negotiation import (
    Offer,
    Party,
    alternating_offers,
    blend,
    hold_talks,
    ideal_offer,
    party,
    status_quo_offer,
    utility,
)


def test_offers_built_for_talks_are_plain_offers():
    # blend, ideal_offer and status_quo_offer skip the dataclass __init__; that is only the
    # same offer while Offer checks nothing on construction.
    assert not hasattr(Offer, "__post_init__")
    a, b = Offer(100.0, 0.0, 1.0, 2.0, 0.4, "general", 13), Offer(0.0, 50.0, 0.0, 10.0, 0.0, "single", 26)
    made = [blend(a, b, 0.3),
            ideal_offer("us", 50.0, 40.0, 0.6, 0.3, 12.0, 13),
            ideal_offer("cn", 50.0, 40.0, 0.6, 0.3, 12.0, 13),
            status_quo_offer(50.0, 40.0, 0.6, 0.3, 12.0, "temporary", 13)]
    for offer in made:
        assert type(offer) is Offer
        assert offer == Offer(**dataclasses.asdict(offer))
        assert hash(offer) == hash(Offer(**dataclasses.asdict(offer)))
        with pytest.raises(dataclasses.FrozenInstanceError):
            offer.weeks = 1
    assert made[1] == Offer(50.0, 0.0, 1.0, 2.0, 0.6, "general", 13)
    assert made[2] == Offer(0.0, 40.0, 0.3, 12.0, 0.0, "single", 13)


def test_a_party_written_out_init_is_still_a_frozen_dataclass():
    ideal = Offer(145.0, 0.0, 1.0, 0.0, 1.0, "general")
    status_quo = Offer(145.0, 125.0, 0.0, 18.0, 1.0, "single")
    seated = Party("us", ideal, status_quo, pressure=0.2, trust=0.5)
    # replace seats the party again: what follows from pressure follows the new pressure.
    assert dataclasses.replace(seated, pressure=0.6) == Party("us", ideal, status_quo, 0.6, 0.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        seated.pressure = 0.9


def test_utility_counts_caps_above_the_scale_as_the_scale_top():
    over = Offer(190.0, 160.0, 0.5, 40.0, 0.5, "temporary", 13)
    top = Offer(145, 125, 0.5, 18, 0.5, "temporary", 13)
    for side in ("us", "cn"):
        assert utility(side, over) == utility(side, top)


def test_an_offer_logged_unwritten_reads_back_as_its_description():
    log = EventLog(dt.date(2025, 1, 6))
    offer = Offer(77.5, 70.0, 0.505, 7.5, 0.455, "temporary", 13)
    written = []

    def describe():
        written.append(1)
        return offer.describe()

    log.add(15, "us", "posture", "comply")
    assert [r.details for r in log.records] == ["comply"]
    log.add_unwritten(15, "cn", "offer", describe)
    assert log.count("offer", "cn") == 1 and not written  # counting reads no text
    assert log.column("details") == ["comply", offer.describe()]
    log.add_unwritten(16, "us", "offer", describe)
    assert [r.details for r in log.records] == ["comply", offer.describe(), offer.describe()]
    assert log.to_frame()["details"].tolist() == ["comply", offer.describe(), offer.describe()]
    assert offer.describe() == ("US tariff <= 78, CN tariff <= 70, approvals >= 50%, review <= 8 wk, "
                                "US curbs <= 0.46, temporary licences, 13 wk")


def test_a_round_of_talks_logs_every_offer_it_exchanged():
    model = TradeModel(load_scenario("rare-earth-2025", {"firms.count": 5, "weeks": 20}, seed=1))
    for _ in range(14):
        model.step()
    first, second = party(model, model.us), party(model, model.cn)
    result = alternating_offers(first, second, model.scenario.talks_rounds)
    # Both delegations read the same status quo, whoever proposes.
    assert first.status_quo == second.status_quo
    model.talks_proposer = "us"
    before = len(model.log)
    hold_talks(model, 15)
    offers = [r for r in model.log.records[before:] if r.kind == "offer"]
    assert offers and [(r.actor, r.details) for r in offers] == [(side, o.describe()) for side, o in result.offers]
    agreed = [r.details for r in model.log.records[before:] if r.kind == "agreement"]
    assert agreed == ([f"talks: {result.agreed.describe()}"] if result.agreed else [])
    assert pickle.loads(pickle.dumps(model.log)).to_frame().equals(model.log.to_frame())
