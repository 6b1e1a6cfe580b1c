"""Band colours shared by every report, so that the same band looks the same everywhere."""

from __future__ import annotations

from collections.abc import Sequence

from weltoffen.model.dimensions import Band

__all__ = ["NO_BAND", "PALETTE", "band_color", "rank_color"]

#: Colours of the bands, lowest band first (colour-blind safe, printable, and dark enough for
#: white text at WCAG AA contrast, 4.5:1 and more); more bands sample
#: the same ramp.
PALETTE = ("#b04a33", "#9c6b00", "#437f2c", "#1f7a7a")
NO_BAND = "#707070"


def rank_color(index: int, count: int) -> str:
    """Colour of the *index*-th of *count* bands, lowest first."""
    if count <= 1:
        return PALETTE[-1]
    position = round(index * (len(PALETTE) - 1) / (count - 1))
    return PALETTE[position]


def band_color(bands: Sequence[Band], band: str | None) -> str:
    """The colour of band id *band* by its rank among *bands* (grey for no or an unknown band).

    The same colours as the report's bars and swatches, so every report colours bands alike.
    """
    ordered = sorted(bands, key=lambda b: b.min)
    rank = next((k for k, b in enumerate(ordered) if b.id == band), None)
    return NO_BAND if rank is None else rank_color(rank, len(ordered))
