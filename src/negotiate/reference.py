"""Write the scenario-key reference (docs/scenario-reference.md) from the scenario class itself,
so the documentation cannot drift from what the loader accepts.

``python -m negotiate.reference > docs/scenario-reference.md``
"""

from __future__ import annotations

from .calendar import REQUIRED, SCHEMA
from .params import Choice, Flag, Range, Subset, Text, number
from .scenario import FIELDS, SECTIONS


def _allowed(spec) -> str:
    if isinstance(spec, Range):
        unit = f" {spec.unit}" if spec.unit else ""
        return f"{number(spec.lo)} .. {number(spec.hi)}{unit}"
    if isinstance(spec, Choice | Subset):
        return ", ".join(spec.options)
    if isinstance(spec, Flag):
        return "true / false"
    return "text"


def _default(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]" if value else "[]"
    return f"`{value}`" if value != "" else '""'


def render() -> str:
    lines = [
        "# Scenario reference",
        "",
        "Generated from `negotiate.scenario.TradeScenario` by `python -m negotiate.reference`;",
        "a test fails if this file is out of date. Keys are written as `section.key` on the",
        "command line (`--set us.strategy=tft`) and as `key` inside `[section]` in a file.",
        "Unknown keys, wrong types, values out of range, NaN and infinity are errors.",
        "",
        "A file may start from another with `extends = \"rare-earth-2025\"` (a built-in name or a",
        "path relative to the file): tables merge key by key, `[[events]]` are added,",
        "`remove_events = [\"label\", ...]` drops inherited events, and inherited events before",
        "the file's own `start_date` are dropped.",
        "",
    ]
    for section in ("", *SECTIONS):
        rows = [f for f in FIELDS.values()
                if (f.key.split(".")[0] == section if section else "." not in f.key)]
        if not rows:
            continue
        lines += [f"## {'[' + section + ']' if section else 'Top level'}", "",
                  "| key | default | allowed | meaning |", "|---|---|---|---|"]
        for f in rows:
            if f.name == "events":
                continue
            doc = getattr(f.spec, "doc", "")
            lines.append(f"| `{f.key}` | {_default(f.default)} | {_allowed(f.spec)} | {doc} |")
        lines.append("")
    lines += ["## [[events]]", "",
              "Each event has `date` (YYYY-MM-DD), `kind`, and optional `label` and `source`.",
              "It takes effect at the start of the week that contains its date.", "",
              "| kind | fields (required in bold) |", "|---|---|"]
    for kind, spec in SCHEMA.items():
        required = set(REQUIRED.get(kind, ()))
        fields = []
        for name, rule in spec.items():
            shown = f"**{name}**" if name in required else name
            if isinstance(rule, Choice):
                shown += f" ({' / '.join(rule.options)})"
            elif isinstance(rule, Subset):
                shown += " (list of elements)"
            elif isinstance(rule, Flag | Text):
                shown += f" ({'true/false' if isinstance(rule, Flag) else 'text'})"
            else:
                shown += f" ({number(rule.lo)}..{number(rule.hi)})"
            fields.append(shown)
        lines.append(f"| `{kind}` | {', '.join(fields) or '—'} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
