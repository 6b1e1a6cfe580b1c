"""From a custom weighting class to a YAML questionnaire to results.

Run it from anywhere:  python examples/custom-weighting/run.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import weltoffen as w
from weltoffen.testing import check_weighting
from weltoffen.typing import Child

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # so that rank_weights imports when run as a script

from rank_weights import RankOrderCentroid, registry  # noqa: E402


def main() -> None:
    # 1. The class passes the same conformance checks as the built-ins.
    children = [Child(id=i, weight=1.0, items=2, is_dimension=True) for i in "abc"]
    check_weighting(RankOrderCentroid(("b", "a", "c")), children, registry=registry)

    # 2. The questionnaire names it by its registered kind; load it with our registry.
    questionnaire = w.load_questionnaire(HERE / "questionnaire.yaml", registry=registry)
    plan = w.compile(questionnaire)
    weights = dict(zip((plan.nodes[i].id for i in plan.root.children), plan.root.child_weights))
    print("weights: " + ", ".join(f"{k} {v:.3f}" for k, v in weights.items()))

    # 3. Score the responses.
    for response in w.load_responses(HERE / "responses.yaml"):
        result = w.score(plan, response)
        fields = ", ".join(f"{d.id} {d.score:.1f}" for d in result.dimensions)
        print(f"{result.respondent}: {result.score:.1f} ({fields})")

    # 4. It round-trips: dumping and loading again gives the same questionnaire.
    again = w.load_questionnaire(
        text=w.dump_questionnaire(questionnaire, registry=registry), registry=registry
    )
    assert again == questionnaire


if __name__ == "__main__":
    main()
