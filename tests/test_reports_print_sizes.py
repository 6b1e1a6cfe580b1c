"""Charts print legibly: no label below 7 pt at the size the page prints them."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("matplotlib")

from weltoffen.reports.charts import heatmap_svg

#: A landscape A4 page inside the cohort report's print margins, in points; the heatmap is
#: printed at most 160 mm high (cohort.css), so a larger picture would be shrunk.
PAGE_WIDTH, PAGE_HEIGHT = 762, 453


@pytest.mark.parametrize(("members", "items"), [(40, 103), (12, 30), (45, 60)])
def test_the_heatmap_prints_at_full_size_with_labels_of_7_pt_or_more(
    members: int, items: int
) -> None:
    rows = [f"Member {k}" for k in range(members)]
    columns = [f"q{k}" for k in range(items)]
    values = [[float((r * 7 + c * 3) % 101) for c in range(items)] for r in range(members)]
    groups = [("First field", items // 2), ("Second field", items - items // 2)]

    svg = heatmap_svg(rows, columns, values, groups, value_label="Score", missing_label="none")

    sizes = [float(s) for s in re.findall(r"font-size: ([0-9.]+)px", svg)]
    assert sizes
    assert min(sizes) >= 7
    width, height = (
        float(v) for v in re.search(r'width="([0-9.]+)pt" height="([0-9.]+)pt"', svg).groups()
    )  # type: ignore[union-attr]
    assert width <= PAGE_WIDTH
    if members <= 40:
        assert height <= PAGE_HEIGHT
    ids_shown = all(f">{c}<" in svg or f"{c}</text>" in svg for c in columns[:3])
    assert ids_shown == (items <= 60)
