"""What weltoffen's own exporters write for other tools, undone on the way back in."""

from __future__ import annotations

from typing import Any

__all__ = ["own_question_settings"]


def own_question_settings(question: dict[str, Any]) -> None:
    """Undo, in place, what an exporter wrote for the other tool into a question's settings:
    options of a shared scale inline (the question names the scale) and reverse-keyed points
    (the question says reverse)."""
    if question.get("kind") != "scale":
        return
    if question.get("scale") is not None:
        question.pop("options", None)
    elif question.get("reverse") is True and question.get("options"):
        points = [o["points"] for o in question["options"]]
        lo, hi = min(points), max(points)
        for option in question["options"]:
            option["points"] = lo + hi - option["points"]
