"""A student's seat: the briefing, what the seat sees, its levers only, talks and messages."""

from __future__ import annotations

from typing import Any

import solara

from negotiate.classroom.decisions import describe
from negotiate.classroom.runtime import get_service
from negotiate.classroom.seats import FIRM_SEATS, SEATS
from negotiate.errors import NegotiateError
from negotiate.strategies import Posture

from .live import refresh, use_live
from .panels import Figures, Header, MessageList, briefing_text, recipient_name

POSTURE_HELP = {
    "comply": "keep the terms (or hold your instruments)",
    "concede": "ease: lower tariffs and curbs, approve more licences",
    "seek_talks": "ask for talks next week",
    "accuse": "publicly accuse the other side (not a breach)",
    "retaliate": "raise tariffs/curbs a step (a breach if a deal is in force)",
    "escalate": "raise them a big step",
}


@solara.component
def SeatPage(token: str) -> None:
    use_live(token)
    try:
        view = get_service().seat_view(token)
    except NegotiateError as exc:
        solara.Error(str(exc))
        return
    seat_id = view["seat"]
    Header(view, f"{view['student']} · {SEATS[seat_id].title if seat_id else 'no seat yet'}")
    if seat_id is None:
        solara.Info("You are in the room. The teacher will give you a seat.")
        return
    if view["status"] == "ended":
        solara.Success("The game is over.")
        solara.Button("Open the debrief", href=f"/debrief?t={token}", color="primary")
    with solara.Columns([1, 1]):
        with solara.Column():
            solara.Markdown(f"Team: {', '.join(view['team'])}")
            with solara.Details("Your briefing (goals, constraints, what only you know)"):
                solara.Markdown(briefing_text(seat_id))
            Figures("The world this week", view["public"])
            Figures("Only your seat sees this", view["private"])
            if view["mine"]:
                last = view["mine"][-1]
                solara.Markdown(f"**Your score so far: {last['score_total']:.1f}** "
                                f"(last turn {last['score_turn']:+.1f})")
        with solara.Column():
            if view["kind"] != "observer" and view["status"] != "ended":
                DecisionPanel(token, view).key(f"decision-{view['turn']}")
            if view["kind"] == "government":
                TalksPanel(token, view)
            MessagesPanel(token, view)


def _defaults(view: dict[str, Any]) -> dict[str, Any]:
    if view["decision"]:
        return dict(view["decision"])
    if view["kind"] == "government":
        return {"posture": "comply"}
    if view["kind"] == "magnet":
        return {"licence_for": []}
    return {}


@solara.component
def DecisionPanel(token: str, view: dict[str, Any]) -> None:
    draft, set_draft = solara.use_state(_defaults(view))
    message, set_message = solara.use_state("")
    failed, set_failed = solara.use_state(False)
    kind = view["kind"]

    def put(name: str, value: Any) -> None:
        new = dict(draft)
        if value is None:
            new.pop(name, None)
        else:
            new[name] = value
        set_draft(new)

    def submit() -> None:
        try:
            ack = get_service().submit(token, draft, view["turn"])
        except NegotiateError as exc:
            set_failed(True)
            set_message(str(exc))
            return
        set_failed(False)
        set_message(f"Decision saved for turn {ack['turn']} (version {ack['revision']}). "
                    "You can change it until the turn closes.")
        refresh()

    with solara.Card("Your decision this turn"):
        if kind == "government":
            GovernmentLevers(view, draft, put, set_draft)
        elif kind == "firm":
            solara.SliderFloat("Extra stockpile target (weeks)", value=draft.get("stockpile_weeks", 0.0),
                               min=0, max=26, step=1, on_value=lambda v: put("stockpile_weeks", float(v)))
            solara.SliderFloat("Move this share of China purchases to other suppliers",
                               value=draft.get("switch_share", 0.0), min=0, max=0.5, step=0.05,
                               on_value=lambda v: put("switch_share", float(v)))
            solara.SliderFloat("Lobby your government (effort)", value=draft.get("lobby", 0.0),
                               min=0, max=1, step=0.1, on_value=lambda v: put("lobby", float(v)))
            solara.Checkbox(label="Apply for an export licence (through your Chinese supplier)",
                            value=bool(draft.get("apply_licence")),
                            on_value=lambda v: put("apply_licence", True if v else None))
        elif kind == "magnet":
            solara.Markdown("File licence applications for up to three customers this week:")
            chosen = list(draft.get("licence_for", []))
            for seat_id in FIRM_SEATS:
                def toggle(v: bool, seat_id: str = seat_id) -> None:
                    now = set(draft.get("licence_for", []))
                    now = now | {seat_id} if v else now - {seat_id}
                    put("licence_for", sorted(now))

                solara.Checkbox(label=SEATS[seat_id].title, value=seat_id in chosen, on_value=toggle)
        elif kind == "supplier":
            solara.SliderFloat("Extra investment in ramping up (effort)", value=draft.get("invest", 0.0),
                               min=0, max=1, step=0.1, on_value=lambda v: put("invest", float(v)))
        solara.Markdown(f"*Your choice:* {describe(view['seat'], draft)}")
        solara.Button("Submit decision", on_click=submit, color="primary")
        if view["revision"]:
            solara.Text(f"Saved: version {view['revision']} for turn {view['turn']}",
                        classes=["saved-label"])
        if message:
            (solara.Error if failed else solara.Success)(message)


@solara.component
def GovernmentLevers(view: dict[str, Any], draft: dict[str, Any], put, set_draft) -> None:
    side = view["side"]
    solara.Select("Posture", value=draft.get("posture", "comply"), values=[p.value for p in Posture],
                  on_value=lambda v: put("posture", v))
    solara.Text(POSTURE_HELP.get(draft.get("posture", "comply"), ""))
    direct = any(k in draft for k in ("tariff_headline", "tech_curbs", "approval_rate",
                                      "review_weeks", "diversification"))
    solara.Checkbox(label="Set instruments directly", value=direct,
                    on_value=lambda v: set_draft(_toggle_direct(v, view, draft)))
    if direct:
        solara.SliderFloat("Headline tariff (%)", value=draft.get("tariff_headline", 0.0), min=0, max=200,
                           step=5, on_value=lambda v: put("tariff_headline", float(v)))
        solara.SliderFloat("Tech curbs (index)", value=draft.get("tech_curbs", 0.0), min=0, max=1,
                           step=0.05, on_value=lambda v: put("tech_curbs", float(v)))
        if side == "cn":
            solara.SliderFloat("Licence approval rate", value=draft.get("approval_rate", 1.0), min=0,
                               max=1, step=0.05, on_value=lambda v: put("approval_rate", float(v)))
            solara.SliderFloat("Review time (weeks)", value=draft.get("review_weeks", 9.0), min=0,
                               max=52, step=1, on_value=lambda v: put("review_weeks", float(v)))
            solara.Select("Licence kind", value=draft.get("licence_kind", "single"),
                          values=["single", "temporary", "general"],
                          on_value=lambda v: put("licence_kind", v))
        else:
            solara.SliderFloat("Support for non-China supply", value=draft.get("diversification", 0.0),
                               min=0, max=1, step=0.05, on_value=lambda v: put("diversification", float(v)))
    solara.Checkbox(label="Accuse the other side of breaking the deal", value=bool(draft.get("accuse")),
                    on_value=lambda v: put("accuse", True if v else None))
    extend = {True: "extend", False: "let it lapse"}.get(draft.get("extend"), "leave to advisers (AI)")
    solara.Select("If the truce is due to end", value=extend,
                  values=["leave to advisers (AI)", "extend", "let it lapse"],
                  on_value=lambda v: put("extend", {"extend": True, "let it lapse": False}.get(v)))


def _toggle_direct(on: bool, view: dict[str, Any], draft: dict[str, Any]) -> dict[str, Any]:
    """Start from today's instruments when switching on; drop them all when switching off."""
    if on:
        return {**draft, **view["instruments"]}
    drop = ("tariff_headline", "tech_curbs", "approval_rate", "review_weeks", "diversification",
            "licence_kind")
    return {k: v for k, v in draft.items() if k not in drop}


@solara.component
def TalksPanel(token: str, view: dict[str, Any]) -> None:
    offer, set_offer = solara.use_state({"us_tariff_cap": 30.0, "cn_tariff_cap": 10.0,
                                         "approval_floor": 0.5, "review_cap": 9.0, "curb_cap": 0.3,
                                         "licence_kind": "temporary", "weeks": 13})
    message, set_message = solara.use_state("")

    def field(name: str, value: Any) -> None:
        set_offer({**offer, name: value})

    def act(fn) -> None:
        try:
            fn()
            set_message("")
            refresh()
        except NegotiateError as exc:
            set_message(str(exc))

    with solara.Card("Talks: offers between the delegations"):
        for o in reversed(view["offers"][-8:]):
            from negotiate.negotiation import Offer

            with solara.Row():
                solara.Text(f"#{o['id']} turn {o['turn']} from {o['side'].upper()} [{o['status']}]: "
                            f"{Offer(**o['offer']).describe()}")
                if o["status"] == "open" and o["side"] != view["seat"]:
                    solara.Button("Accept", color="success",
                                  on_click=lambda o=o: act(lambda: get_service().accept_offer(token, o["id"])))
        with solara.Details("Make an offer"):
            solara.SliderFloat("U.S. tariff cap (%)", value=offer["us_tariff_cap"], min=0, max=200, step=5,
                               on_value=lambda v: field("us_tariff_cap", float(v)))
            solara.SliderFloat("China tariff cap (%)", value=offer["cn_tariff_cap"], min=0, max=200, step=5,
                               on_value=lambda v: field("cn_tariff_cap", float(v)))
            solara.SliderFloat("Licence approval floor", value=offer["approval_floor"], min=0, max=1,
                               step=0.05, on_value=lambda v: field("approval_floor", float(v)))
            solara.SliderFloat("Review time cap (weeks)", value=offer["review_cap"], min=0, max=52, step=1,
                               on_value=lambda v: field("review_cap", float(v)))
            solara.SliderFloat("U.S. tech-curb cap", value=offer["curb_cap"], min=0, max=1, step=0.05,
                               on_value=lambda v: field("curb_cap", float(v)))
            solara.Select("Licence kind", value=offer["licence_kind"], values=["single", "temporary", "general"],
                          on_value=lambda v: field("licence_kind", v))
            solara.SliderInt("Duration (weeks)", value=offer["weeks"], min=1, max=52,
                             on_value=lambda v: field("weeks", int(v)))
            solara.Button("Send offer", color="primary",
                          on_click=lambda: act(lambda: get_service().propose_offer(token, offer)))
        if message:
            solara.Error(message)


@solara.component
def MessagesPanel(token: str, view: dict[str, Any]) -> None:
    text, set_text = solara.use_state("")
    to, set_to = solara.use_state(view["recipients"][0] if view["recipients"] else "")
    error, set_error = solara.use_state("")

    def send() -> None:
        try:
            get_service().send_message(token, to, text)
        except NegotiateError as exc:
            set_error(str(exc))
            return
        set_text("")
        set_error("")
        refresh()

    with solara.Card("Messages"):
        MessageList(view["messages"])
        if view["recipients"] and view["status"] != "ended":
            solara.Select("To", value=to, values=view["recipients"], on_value=set_to)
            solara.Text(f"→ {recipient_name(to)}")
            solara.InputText("Message (280 characters)", value=text, on_value=set_text,
                             continuous_update=True)
            solara.Button("Send", on_click=send, disabled=not text)
            if error:
                solara.Error(error)
