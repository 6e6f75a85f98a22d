"""Colours of the event types, shared by the map, the charts and the legend.

One table so a red dot on the map is a red bar on the timeline. Okabe-Ito colours:
told apart by readers with the common colour-vision deficiencies.
"""

TYPE_COLORS: dict[str, str] = {
    "meeting": "#0072B2",
    "statement": "#009E73",
    "attack": "#D55E00",
    "resolution": "#CC79A7",
    "agreement": "#E69F00",
    "other": "#555555",
}
UNKNOWN_TYPE_COLOR = "#999999"
