"""The dashboard's colours, in one place: every chart of every page takes its colours from here.

- Institutions: one colour each, the same on every page, from a designed qualitative palette
  (Tableau 10's hues without its red, which is the focus colour; ten hues that stay apart for
  the colour-blind as well as they can). Banks B01… and leasing companies L01… walk the palette
  from different starts, so the first few of each group never share a colour. Charts that name
  every bar on its axis draw everyone in one neutral colour instead and highlight the focus
  (the user's own institution or district, or the one chosen): `focus_colors`.
- Indicators: one colour per indicator id, families in related hues (volume blues, pricing
  oranges, "3个1" reds …), so V1 and I1 no longer share one blue.
- Sequential scale of the map; grade colours; reference lines.
"""

from __future__ import annotations

import re
import zlib

FOCUS = "#B22222"  # the user's own institution or district, the chosen unit, lines of R15
NEUTRAL = "#4C78A8"  # everyone, when a chart needs no identity per bar
MUTED = "#C8CDD2"  # everyone else, when one is highlighted
LINE = "#1F2933"  # reference lines (selection line, median) and text
GRID = "#E4E7EB"

QUALITATIVE = (
    "#4E79A7",  # blue
    "#F28E2B",  # orange
    "#59A14F",  # green
    "#B07AA1",  # purple
    "#76B7B2",  # teal
    "#EDC948",  # yellow
    "#9C755F",  # brown
    "#FF9DA7",  # pink
    "#2F4B7C",  # navy
    "#BAB0AC",  # warm grey
)
# Banks and leasing companies start at different places, so B01…B05 and L01…L05 never meet.
PREFIX_OFFSET = {"B": 0, "L": 5}

INDICATORS = {
    # volume and reach: blues
    "V1": "#1F4E79", "V2": "#4E79A7", "V3": "#A0CBE8",
    # commitment, re-lending: teal, purple
    "T1": "#2A9D8F", "M1": "#7B5EA7",
    # pricing: oranges
    "P1": "#E07B39", "P2": "#F4B183",
    # "3个1" and speed: reds
    "S1": "#B22222", "S2": "#E8A09A",
    # simplified review, innovation: green, ochre
    "E1": "#59A14F", "I1": "#BFA32A",
    # the district race
    "D1": "#1F4E79", "D2": "#4E79A7", "D3": "#2A9D8F", "D4": "#E07B39", "D5": "#B22222",
}

# The map: light to dark blue, the focus outlined in FOCUS (a choropleth never uses red fills).
SEQUENTIAL = [[0.0, "#EEF3F8"], [0.25, "#C6DBEF"], [0.5, "#6BAED6"], [0.75, "#2171B5"], [1.0, "#08306B"]]

STAGES = {"connect": "#4E79A7", "approve": "#F28E2B", "disburse": "#59A14F"}  # the three "3个1" stages (R10)

GRADES = {"一级": "#1A9850", "二级": "#91CF60", "三级": "#FEE08B", "四级": "#D73027", "未评分": "#BDBDBD"}


def institution_color(inst_id: str) -> str:
    """The colour of an institution on every page: a function of its id alone."""
    match = re.fullmatch(r"([A-Z])(\d+)", str(inst_id))
    if match and match.group(1) in PREFIX_OFFSET:
        return QUALITATIVE[(PREFIX_OFFSET[match.group(1)] + int(match.group(2)) - 1) % len(QUALITATIVE)]
    return QUALITATIVE[zlib.crc32(str(inst_id).encode()) % len(QUALITATIVE)]


def indicator_color(indicator_id: str) -> str:
    """The colour of an indicator on every chart (a stable fallback for one not listed)."""
    return INDICATORS.get(indicator_id) or QUALITATIVE[zlib.crc32(indicator_id.encode()) % len(QUALITATIVE)]


def text_on(colour: str) -> str:
    """Dark or white text, whichever reads on a fill of `colour` (#RRGGBB), by its luminance."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return LINE if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#FFFFFF"


def focus_colors(ids, focus: str | None) -> list[str]:
    """One neutral colour for all, the focus (if any) in FOCUS and the others muted."""
    if focus is None:
        return [NEUTRAL] * len(ids)
    return [FOCUS if i == focus else MUTED for i in ids]
