"""A page of the Solara/Vuetify controls the app uses, next to accessible alternatives.

Served on its own (``solara run tests/a11y/component_probe.py``) by test_component_probe.py,
which scans each ``#probe-…`` block with axe; docs/accessibility-notes.md records the results.
"""

from __future__ import annotations

import base64
import io

import solara
from matplotlib.figure import Figure

DARKER = """
#probe-button-colours-darker .v-btn.warning { background-color: #b45309 !important; }
#probe-button-colours-darker .v-btn.error { background-color: #c62828 !important; }
#probe-button-colours-darker .v-btn.success { background-color: #2e7d32 !important; }
"""
ITEMS = [{"text": "Tit for tat", "value": "tft"}, {"text": "Always cooperate", "value": "allc"}]


def chart_figure() -> Figure:
    figure = Figure(figsize=(3, 2))
    figure.subplots().plot([0, 1, 2], [145, 125, 30])
    return figure


def chart_png() -> bytes:
    buffer = io.BytesIO()
    chart_figure().savefig(buffer, format="png")
    return buffer.getvalue()


@solara.component
def Probe(name: str, children: list | None = None) -> None:
    solara.Div(children=children or [], attributes={"id": f"probe-{name}"})  # type: ignore[call-arg]


@solara.component
def Page() -> None:
    choice, set_choice = solara.use_state("tft")
    number, set_number = solara.use_state(3)
    share, set_share = solara.use_state(0.5)
    flag, set_flag = solara.use_state(False)
    png = solara.use_memo(chart_png, [])
    figure = solara.use_memo(lambda: chart_figure(), [])
    with solara.Column():
        solara.HTML(tag="h1", unsafe_innerHTML="Component probe")
        Probe("v-select", [solara.v.Select(label="U.S. strategy", items=ITEMS, v_model=choice,
                                           on_v_model=set_choice)])
        Probe("v-autocomplete", [solara.v.Autocomplete(label="U.S. strategy", items=ITEMS,
                                                       v_model=choice, on_v_model=set_choice)])
        Probe("v-radio-group", [solara.v.RadioGroup(
            label="U.S. strategy", v_model=choice, on_v_model=set_choice,
            children=[solara.v.Radio(label=i["text"], value=i["value"]) for i in ITEMS])])
        Probe("toggle-buttons", [solara.ToggleButtonsSingle(value=choice, values=["tft", "allc"],
                                                            on_value=set_choice)])
        Probe("slider-int", [solara.SliderInt("Turns", value=number, min=0, max=10,
                                              on_value=set_number)])
        Probe("slider-float", [solara.SliderFloat("Share", value=share, min=0, max=1, step=0.1,
                                                  on_value=set_share)])
        Probe("input-float", [solara.InputFloat("Share", value=share, on_value=set_share)])
        Probe("checkbox", [solara.Checkbox(label="Accuse", value=flag, on_value=set_flag)])
        Probe("switch", [solara.Switch(label="Monitoring", value=flag, on_value=set_flag)])
        Probe("image", [solara.Image(png, width="100%", format="png")])
        Probe("figure-matplotlib", [solara.FigureMatplotlib(figure)])
        Probe("img-with-alt", [solara.v.Html(tag="img", attributes={
            "src": "data:image/png;base64," + base64.b64encode(png).decode(),
            "alt": "U.S. tariff 145% in week 1, China 125%; 30% by week 3", "style": "width:100%"})])
        Probe("link-button", [solara.Link("/elsewhere", children=[solara.Button("Go")])])
        Probe("link-text", [solara.Link("/elsewhere", children=[solara.Text("Go")])])
        Probe("details", [solara.Details("Make an offer", children=[solara.Text("Caps")])])
        Probe("native-details", [solara.v.Html(tag="details", children=[
            solara.v.Html(tag="summary", children=["Make an offer"]), solara.Text("Caps")])])
        Probe("button-colours", [solara.Button("Close turn now", color="warning"),
                                 solara.Button("End game", color="error"),
                                 solara.Button("Accept", color="success")])
        # The same buttons with darker theme colours (white text at 4.5:1 or more).
        solara.Style(DARKER)
        Probe("button-colours-darker", [solara.Button("Close turn now", color="warning"),
                                        solara.Button("End game", color="error"),
                                        solara.Button("Accept", color="success")])
        solara.Text(f"value: {choice} {number} {share} {flag}", classes=["probe-values"])
