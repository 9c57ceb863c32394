"""Pieces shared by the Explore and Play pages."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import ipyvuetify
import solara
import traitlets

from negotiate.errors import NegotiateError
from negotiate.eventlog import LogRecord
from negotiate.outcome import Outcome
from negotiate.params import BoundsError, Range, number, parse_number

from .charts import CHART_ALT, IMAGE_FORMAT
from .state import message

CSS = Path(__file__).with_name("style.css")
ACTORS = {"us": "U.S.", "cn": "China", "both": "Both", "firms": "Firms", "calendar": "Calendar"}
KIND_LABELS = {
    "accusation": "Accusation", "posture": "Move", "agreement": "Agreement", "extension": "Extension",
    "lapse": "Lapse", "snapback": "Snapback", "talks": "Talks", "talks_failed": "Talks failed",
    "offer": "Offer", "call": "Leaders' call", "licence_decisions": "Licences",
    "plant_stoppage": "Plant stoppage", "ai_move": "AI move", "human_move": "Your move",
    "calendar": "Calendar", "consultation": "Consultation", "injected": "Injected", "branch": "Branch",
    "agency_move": "Agency acts alone", "execution_noise": "Execution noise", "note": "Note",
}


@solara.component
def Styles() -> None:
    solara.Style(CSS)


@solara.component
def OutcomeBanner(outcome: Outcome, *, final: bool, week: int, weeks: int, date: str) -> None:
    """The outcome in words (never colour alone), with its one-line reason."""
    if week == 0 and not final:
        # Nothing has been played: an average over no weeks is not an outcome.
        with solara.Div(classes=["banner", "banner-not-started"],
                        attributes={"role": "status", "aria-live": "polite"}):  # type: ignore[call-arg]
            solara.HTML(tag="div", unsafe_innerHTML=(
                f'<span class="banner-when">Week 0 of {weeks}:</span> '
                '<strong class="banner-label">Not started</strong> '
                '<span class="banner-reason">— no outcome yet; the first week has not been played.</span>'))
        return
    when = "Final outcome" if final else f"So far (week {week} of {weeks}, {date})"
    with solara.Div(classes=["banner", f"banner-{outcome.kind}"],
                    attributes={"role": "status", "aria-live": "polite"}):  # type: ignore[call-arg]
        solara.HTML(tag="div", unsafe_innerHTML=(
            f'<span class="banner-when">{html.escape(when)}:</span> '
            f'<strong class="banner-label">{html.escape(outcome.label)}</strong> '
            f'<span class="banner-reason">— {html.escape(outcome.reason)}</span>'))


def _truth(record: LogRecord, reveal: bool) -> str:
    if record.kind != "accusation":
        return ""
    if not reveal:
        return '<span class="tag tag-hidden">truth revealed at the end</span>'
    if record.real:
        return '<span class="tag tag-real">▲ real breach</span>'
    return '<span class="tag tag-false">✕ false alarm</span>'


@solara.component
def Timeline(records: list[LogRecord], *, reveal: bool, page_size: int = 40,
             skip_kinds: Iterable[str] = ("licence_decisions",), empty: str = "No events yet.") -> None:
    """Every event, newest first, with dates, a page at a time (one HTML table per page is
    cheap to redraw every week; older pages are a click away)."""
    skip = set(skip_kinds)
    events = [r for r in reversed(records) if r.kind not in skip]
    page, set_page = solara.use_state(0)
    pages = max(1, -(-len(events) // page_size))
    page = min(page, pages - 1)
    shown = events[page * page_size:(page + 1) * page_size]
    rows = []
    for r in shown:
        rows.append(
            f'<tr data-week="{r.week}">'
            f'<td class="t-date">{html.escape(r.date)}<br><span class="t-week">week {r.week}</span></td>'
            f"<td>{html.escape(ACTORS.get(r.actor, r.actor))}</td>"
            f"<td>{html.escape(KIND_LABELS.get(r.kind, r.kind.replace('_', ' ').capitalize()))}</td>"
            f"<td>{html.escape(r.details)} {_truth(r, reveal)}</td>"
            "</tr>")
    body = "".join(rows) or f'<tr><td colspan="4">{html.escape(empty)}</td></tr>'
    Heading("Timeline", 3)
    if pages > 1:
        first = page * page_size + 1
        with solara.Div(classes=["toolbar", "timeline-pager"]):
            solara.Button("Newer events", on_click=lambda: set_page(page - 1), disabled=page == 0,
                          outlined=True, classes=["btn-newer"])
            solara.HTML(tag="span", classes=["timeline-range"], unsafe_innerHTML=(
                f"Events {first}–{first + len(shown) - 1} of {len(events)}, newest first"))
            solara.Button("Older events", on_click=lambda: set_page(page + 1),
                          disabled=page >= pages - 1, outlined=True, classes=["btn-older"])
    # A scrolling region: focusable and named, so a keyboard can scroll it (WCAG 2.1.1).
    solara.HTML(tag="div", classes=["timeline"], attributes={  # type: ignore[call-arg]
        "tabindex": "0", "role": "region", "aria-label": "Timeline"}, unsafe_innerHTML=(
        '<table aria-label="Timeline of events, newest first"><thead><tr><th>Date</th><th>Who</th>'
        f"<th>What</th><th>Details</th></tr></thead><tbody>{body}</tbody></table>"))


@solara.component
def ChartImage(image: bytes, alt: str, *, fmt: str = IMAGE_FORMAT, classes: list[str] | None = None) -> None:
    """A chart image with a text alternative (solara.Image can carry no ``alt``); inline as a
    data URL, so it costs no request and works offline."""
    src = f"data:image/{fmt};base64," + base64.b64encode(image).decode("ascii")
    solara.v.Html(tag="img", attributes={"src": src, "alt": alt},
                  class_=" ".join(["chart-img", *(classes or [])]))


@solara.component
def Disclosure(summary: str, children: list | None = None, classes: list[str] | None = None) -> None:
    """A native details/summary: Enter or Space opens it, and the browser keeps it open across
    redraws (solara.Details puts aria-expanded where WCAG does not allow it)."""
    solara.v.Html(tag="details", class_=" ".join(["disclosure", *(classes or [])]), children=[
        solara.v.Html(tag="summary", children=[summary]), *(children or [])])


def table_html(caption: str, heads: list[str], rows: list[list[str]]) -> str:
    """A plain HTML table, every cell escaped."""
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in heads)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<table class="data-table"><caption>{html.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


@solara.component
def ChartGrid(images: dict[str, bytes], texts: dict[str, str],
              tables: dict[str, tuple[list[str], list[list[str]]]] | None = None) -> None:
    """Each chart with its words: the alt text and caption say what it shows now, and "show
    as table" holds the same data (app/charts.py builds both)."""
    with solara.Div(classes=["charts"]):
        for name, image in images.items():
            title = CHART_ALT.get(name, name)
            text = texts.get(name, "")
            with solara.Div(classes=["chart", f"chart-{name}"]):
                ChartImage(image, f"{title}. {text}" if text else title)
                solara.Text(text or title, classes=["chart-caption"])
                if tables and name in tables:
                    heads, rows = tables[name]
                    with Disclosure(f"Show as table: {title.split(' (')[0].split(',')[0]}",
                                    classes=["chart-table"]):
                        solara.HTML(tag="div", classes=["table-scroll"], attributes={  # type: ignore[call-arg]
                                    "tabindex": "0", "role": "region", "aria-label": f"{title}: table"},
                                    unsafe_innerHTML=table_html(title, heads, rows))


@solara.component
def TextField(label: str, value: str, parse: Callable[[str], Any], on_valid: Callable[[Any], None],
              *, hint: str = "", key_name: str = "", disabled: bool = False) -> None:
    """A typed field that applies its value only when it parses; otherwise it shows why,
    inline, and nothing changes. A new ``value`` from outside (reset, new scenario) replaces
    what was typed."""
    error, set_error = solara.use_state("", key="error")
    solara.use_effect(lambda: set_error(""), [value])

    def typed(new: str) -> None:
        try:
            parsed = parse(new)
        except NegotiateError as exc:
            set_error(message(exc))
            return
        set_error("")
        on_valid(parsed)

    TypedField(label, value, typed, error=error, hint=hint, disabled=disabled,
               classes=["field", f"field-{key_name}" if key_name else "field"])


@solara.component
def Heading(text: str, level: int = 2, classes: list[str] | None = None, *, focusable: bool = False) -> None:
    """``focusable``: focus can be sent here (not reached by Tab), e.g. by :func:`KeepFocus`."""
    # Not solara.Markdown: it asks the CDN for KaTeX, which fails offline.
    solara.HTML(tag=f"h{level}", unsafe_innerHTML=html.escape(text), classes=classes or [],
                attributes={"tabindex": "-1"} if focusable else {})  # type: ignore[call-arg]


@solara.component
def ErrorLine(text: str) -> None:
    if text:
        solara.HTML(tag="div", classes=["error-line"], unsafe_innerHTML=html.escape(text),
                    attributes={"role": "alert"})  # type: ignore[call-arg]


# Vuetify 2's autocomplete follows the ARIA 1.1 combobox pattern: role=combobox sits on a
# wrapper <div>, and the visible <label for=…> names only the <input> inside it. A wrapper
# div takes no name from a <label> or from its content, so a screen reader announced a
# combobox without a name. Naming the wrapper too would give one label two fields. Vuetify
# offers no way to set the wrapper's attributes, so this template moves the combobox role
# and its state to the labelled <input> (the ARIA 1.2 pattern) each time Vuetify writes them.
NAMED_COMBOBOX = """
<template>
  <v-autocomplete :label="label" :items="items" v-model="value" :disabled="disabled"
                  auto-select-first hide-details="auto" :class="field_class"></v-autocomplete>
</template>
<script>
module.exports = {
  mounted() {
    this.moveRole();
    this.observer = new MutationObserver(() => this.moveRole());
    this.observer.observe(this.$el, {subtree: true, childList: true, attributes: true,
                                     attributeFilter: ["role", "aria-expanded", "aria-owns"]});
  },
  beforeDestroy() {
    if (this.observer) this.observer.disconnect();
  },
  methods: {
    moveRole() {
      const slot = this.$el.querySelector(".v-input__slot");
      const input = this.$el.querySelector("input:not([type=hidden])");
      if (!slot || !input) return;
      const set = (el, name, value) => {
        if (value === null) {
          if (el.hasAttribute(name)) el.removeAttribute(name);
        } else if (el.getAttribute(name) !== value) {
          el.setAttribute(name, value);
        }
      };
      const expanded = slot.getAttribute("aria-expanded");
      const owns = slot.getAttribute("aria-owns");
      if (expanded !== null) this.expanded = expanded;
      if (owns !== null) this.owns = owns;
      for (const name of ["role", "aria-haspopup", "aria-expanded", "aria-owns"]) set(slot, name, null);
      const open = this.expanded === "true";
      set(input, "role", "combobox");
      set(input, "aria-autocomplete", "list");
      set(input, "aria-expanded", open ? "true" : "false");
      set(input, "aria-controls", open && this.owns ? this.owns : null);
    },
  },
};
</script>
"""


class NamedCombobox(ipyvuetify.VuetifyTemplate):
    """A Vuetify autocomplete whose combobox is its labelled input (named by its label)."""

    template = traitlets.Unicode(NAMED_COMBOBOX).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    items = traitlets.List().tag(sync=True)
    value = traitlets.Any(None, allow_none=True).tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    field_class = traitlets.Unicode("").tag(sync=True)


@solara.component
def LabelledSelect(label: str, options: list[tuple[Any, str]], value: Any,
                   on_value: Callable[[Any], None], *, classes: list[str] | None = None,
                   disabled: bool = False) -> None:
    """A choice whose items show words but carry values.

    An autocomplete, not v-select: Vuetify 2's select is a role=button holding a focusable
    input (nested-interactive, which screen readers cannot announce); this one is a combobox
    that arrow keys open and move through, and typing filters. Its name is its label
    (:class:`NamedCombobox`).
    """
    NamedCombobox.element(label=label, items=[{"text": text, "value": v} for v, text in options],
                          value=value, on_value=lambda v: v is not None and on_value(v),
                          disabled=disabled, field_class=" ".join(["field", *(classes or [])]))


@solara.component
def Choice(label: str, value: Any, values: list, on_value: Callable[[Any], None],
           *, classes: list[str] | None = None) -> None:
    """``solara.Select``'s call, shown as the accessible :func:`LabelledSelect`."""
    LabelledSelect(label, [(v, str(v)) for v in values], value, on_value, classes=classes)


# A typed field whose text lives in the browser and travels to the server inside the message
# that applies it (Enter, or leaving the field). Solara's InputText/InputFloat lost typed
# text in two ways, both seen under load: their text reaches the server only as a state
# update, which the browser holds back while an earlier one is pending, so the Enter event
# overtook it and applied the old text; and each redraw (a classroom page redraws whenever
# its room changes) wrote the last applied text back over what was being typed.
APPLIED_FIELD = """
<template>
  <v-text-field :label="label" v-model="text" :class="field_class" :disabled="disabled" :error="!!error"
                :error-messages="error ? [error] : []" :messages="hint ? [hint] : []"
                :hide-details="hint || error ? false : 'auto'"
                @keyup.enter="send" @blur="send"></v-text-field>
</template>
<script>
module.exports = {
  data() {
    return {text: "", known: ""};
  },
  created() {
    this.text = this.known = this.shown;
  },
  watch: {
    // A new value from the server (a slider moved, a reset) replaces the text; the value
    // just applied coming back, or a redraw that changes nothing, leaves the text alone.
    shown(now) {
      if (now !== this.known) this.text = now;
      this.known = now;
    },
  },
  methods: {
    send() {
      // Only a change is applied: passing through a field by Tab applies nothing.
      if (this.text === this.known) return;
      this.known = this.text;
      this.apply(this.text);
    },
  },
};
</script>
"""


class AppliedField(ipyvuetify.VuetifyTemplate):
    """A text field that keeps what is typed in the browser and sends it when applied."""

    template = traitlets.Unicode(APPLIED_FIELD).tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    shown = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    hint = traitlets.Unicode("").tag(sync=True)
    field_class = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    # (count, text): the count makes each apply a change, even back to an earlier text.
    applied = traitlets.Tuple((0, "")).tag(sync=False)

    def vue_apply(self, text: Any) -> None:
        # Sent as a message of its own, so it keeps its place among clicks and key presses.
        self.applied = (self.applied[0] + 1, "" if text is None else str(text))


@solara.component
def TypedField(label: str, shown: str, on_apply: Callable[[str], None], *, error: str = "",
               hint: str = "", classes: list[str] | None = None, disabled: bool = False) -> None:
    """A text field that calls ``on_apply(text)`` on Enter or on leaving it (:class:`AppliedField`);
    ``shown`` replaces the text only when it changes."""
    AppliedField.element(label=label, shown=shown, error=error, hint=hint, disabled=disabled,
                         field_class=" ".join(classes or []),
                         on_applied=lambda applied: on_apply(applied[1]))


@solara.component
def TypedNumber(label: str, value: float, bound: Range, on_value: Callable[[float], None],
                *, integer: bool = False, parse: Callable[[str], float] | None = None,
                hint: str = "") -> None:
    """A number field beside a slider: a slider cannot be typed into (WCAG 2.1.1, 2.5.x).

    The number applies on Enter or on leaving the field (:class:`AppliedField`); one outside
    ``bound``, or not a number, is refused with one line saying what is allowed, and the text
    stays for the reader to correct. ``parse`` replaces the check against ``bound`` for a
    field with a rule of its own; it raises :class:`BoundsError`.
    """
    error, set_error = solara.use_state("")

    def apply(text: str) -> None:
        try:
            new = parse(text) if parse else parse_number(label, text, bound, whole=integer)
        except BoundsError as exc:
            set_error(str(exc))
            return
        set_error("")
        on_value(int(new) if integer else new)

    TypedField(label, number(value), apply, hint=hint, classes=["typed-number"])
    ErrorLine(error)


# When a redraw removes the control that had focus (a week's panel is rebuilt, a turn closes),
# the browser drops focus to the top of the page (WCAG 2.4.3). Each KeepFocus notes the
# control a reader was on; as it appears, if that control has gone and nothing holds focus,
# it moves focus to its target. Focus that is still somewhere on the page is left alone.
KEEP_FOCUS = """
<template>
  <span class="keep-focus" hidden></span>
</template>
<script>
module.exports = {
  mounted() {
    if (!window.negotiateFocusWatch) {
      window.negotiateFocusWatch = true;
      document.addEventListener("focusin", (event) => { window.negotiateLastFocus = event.target; });
    }
    if (!this.target) return;
    let frames = 0;
    const settle = () => {
      const last = window.negotiateLastFocus;
      const now = document.activeElement;
      const lost = last && !document.contains(last) && (!now || now === document.body);
      const target = lost && document.querySelector(this.target);
      if (target) {
        target.focus();
      } else if ((lost || (last && document.contains(last) && now === last)) && frames++ < 120) {
        // The old control may leave, and the target arrive, a few frames after this mounts.
        requestAnimationFrame(settle);
      }
    };
    settle();
  },
};
</script>
"""


class FocusKeeper(ipyvuetify.VuetifyTemplate):
    template = traitlets.Unicode(KEEP_FOCUS).tag(sync=True)
    target = traitlets.Unicode("").tag(sync=True)


@solara.component
def KeepFocus(target: str = "") -> None:
    """Where focus goes (a CSS selector) if the control that had it is redrawn away; with no
    target, it only starts noting where focus is."""
    FocusKeeper.element(target=target)
