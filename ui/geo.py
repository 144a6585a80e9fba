"""The map's reference data: the 38 district and county boundaries, the three functional zones'
marker positions, and the plotly config that keeps a geo chart offline.

Boundaries: `data/reference/chongqing-districts.geojson` (MIT, notice in
`chongqing-districts.LICENSE`; exterior rings clockwise, as plotly's geo choropleth needs).
The functional zones (两江新区, 西部科学城重庆高新区, 万盛经开区) have no polygons: they are
markers at the approximate centres of `data/reference/functional_zones.csv`.

The chart names the boundaries by URL (`GEOJSON_URL`: `static/chongqing-districts.geojson`, a
byte-identical copy of the reference file, as Streamlit's static serving refuses links; a test
keeps the two equal), so each rerun does not resend them. plotly.js also fetches a world topojson for every geo chart that has a choropleth trace, even with
the base map hidden (`geo.visible = False`); by default from cdn.plot.ly. `TOPOJSON_URL`
points it at `static/world_110m.json`, an empty topology the app serves itself
(`server.enableStaticServing`), so no request leaves the server.
"""

from __future__ import annotations

import json
from functools import cache

import pandas as pd

from scoring.db import REFERENCE
from ui import style

GEOJSON = REFERENCE / "chongqing-districts.geojson"
ZONES = REFERENCE / "functional_zones.csv"
TOPOJSON_URL = "app/static/"  # relative to the page: also right under a server.baseUrlPath
# The browser reads the boundaries once from the app instead of receiving 260 KB in every chart message.
GEOJSON_URL = TOPOJSON_URL + GEOJSON.name
MAP_CONFIG = style.PLOTLY_CONFIG | {"topojsonURL": TOPOJSON_URL, "scrollZoom": False}


@cache
def boundaries() -> dict:
    """The GeoJSON FeatureCollection of the 38 districts and counties (feature id = adcode)."""
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


@cache
def zones() -> pd.DataFrame:
    """district_code, name, lon, lat of the three functional zones."""
    return pd.read_csv(ZONES, dtype={"district_code": str})[["district_code", "name", "lon", "lat"]]


@cache
def outline(code: str) -> dict:
    """A FeatureCollection of the one unit `code` (an outline trace carries only its own shape)."""
    collection = boundaries()
    return {"type": "FeatureCollection",
            "features": [f for f in collection["features"] if f["properties"]["adcode"] == code]}


def codes_with_polygons() -> frozenset[str]:
    return frozenset(f["properties"]["adcode"] for f in boundaries()["features"])
