"""Helpers shared by several test modules: fixtures' paths, sample answers, hand-made results.

Test modules import from here (and fixtures come from ``conftest.py``), never from each other,
so that running or changing one test module does not depend on another.
"""

from __future__ import annotations

import ast
import csv
import inspect
import random
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from weltoffen import DONT_KNOW, Response, ScoringPlan, State, compile, score
from weltoffen.analysis.advice import advise
from weltoffen.instruments import load_instrument
from weltoffen.model.questions import (
    Choice,
    MultipleChoice,
    Numeric,
    ScaleQuestion,
    TextQuestion,
    YesNo,
)
from weltoffen.reports.document import ReportDocument, build_document
from weltoffen.scoring.results import DimensionResult, Result

# -- the reliability fixtures (a questionnaire and responses checked against R's psych) ---------

RELIABILITY_FIXTURES = Path(__file__).parent / "fixtures" / "reliability"


def read_responses(path: Path) -> list[Response]:
    """The fixture CSV: option values, ``dont_know``, or empty for skipped."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Response(
            respondent=row.pop("respondent"),
            answers={k: DONT_KNOW if v == "dont_know" else v for k, v in row.items() if v != ""},
        )
        for row in rows
    ]


# -- the bundled instrument with answers to every question --------------------------------------

#: A free-text answer that must come out as plain text, never as markup.
HOSTILE = "<script>alert('x')</script> | *bold* [link](javascript:void)"


@cache
def kommune() -> ScoringPlan:
    return compile(load_instrument("weltoffene-kommune", "1.0"))


def sample_response(plan: ScoringPlan, respondent: str = "teststadt", shift: int = 0) -> Response:
    """Answers to every question: a spread of options, some "don't know", some skipped."""
    answers: dict[str, object] = {}
    for i, qp in enumerate(plan.questions):
        q = qp.question
        k = i + shift
        if k % 11 == 5:
            continue  # skipped
        if q.dont_know and k % 9 == 4:
            answers[q.id] = DONT_KNOW
        elif isinstance(q, TextQuestion):
            answers[q.id] = HOSTILE
        elif isinstance(q, MultipleChoice):
            answers[q.id] = tuple(list(qp.points)[: 1 + k % 3])
        elif isinstance(q, Numeric):
            answers[q.id] = q.maximum if q.maximum is not None and k % 2 else (q.minimum or 0)
        elif isinstance(q, ScaleQuestion | Choice):
            options = list(qp.points)
            answers[q.id] = options[k % len(options)]
        else:
            answers[q.id] = k % 3 != 0
    return Response(
        respondent=respondent,
        answers=answers,  # type: ignore[arg-type]
        metadata={"name": "Teststadt <b>am See</b>", "type": "landkreis", "population": 123456},
    )


def document(lang: str | None = None, cohort: int = 0, shift: int = 0) -> ReportDocument:
    """The report document of :func:`sample_response`, with a cohort of *cohort* others."""
    plan = kommune()
    response = sample_response(plan, shift=shift)
    result = score(plan, response, trace=True)
    members = None
    if cohort:
        members = [score(plan, sample_response(plan, f"m{i}", shift=i)) for i in range(cohort)]
    advice = advise(plan, result, response=response)
    return build_document(plan, result, advice, lang=lang, cohort=members)


# -- random answers for batch scoring ------------------------------------------------------------


def random_responses(plan: ScoringPlan, count: int, seed: int) -> Iterator[Response]:
    rnd = random.Random(seed)
    for i in range(count):
        answers: dict[str, Any] = {}
        for qp in plan.questions:
            q = qp.question
            x = rnd.random()
            if x < 0.1:
                continue
            if x < 0.15 and q.dont_know:
                answers[q.id] = DONT_KNOW
            elif x < 0.2 and q.not_applicable:
                answers[q.id] = State.NOT_APPLICABLE
            elif isinstance(q, TextQuestion):
                answers[q.id] = "notes"
            elif isinstance(q, YesNo):
                answers[q.id] = rnd.random() < 0.5
            elif isinstance(q, Numeric):
                answers[q.id] = rnd.choice([0, 0.5, 2.0, 7.25, 30])
            elif isinstance(q, MultipleChoice):
                answers[q.id] = tuple(rnd.sample(list(qp.points), rnd.randint(0, 3)))
            else:
                answers[q.id] = rnd.choice(list(qp.points))
        yield Response(respondent=f"r{i}", answers=answers)


def pandas_frame(plan: ScoringPlan, responses: Sequence[Response]) -> Any:
    """Answers as people keep them in pandas: values as given, states as their names."""
    # pandas is optional: only the tests that skip without it get here.
    import pandas as pd

    from weltoffen.scoring.batch import question_ids

    records = []
    for r in responses:
        records.append(
            {
                qid: v.value if isinstance(v, State) else list(v) if isinstance(v, tuple) else v
                for qid, v in r.answers.items()
            }
        )
    return pd.DataFrame(records, columns=list(question_ids(plan)), dtype=object)


# -- results made by hand -------------------------------------------------------------------------


def hand_made_result(who: str, overall: float | None, **dims: float | None) -> Result:
    """A result of instrument "t": top-level dimensions a, b, ... with the given scores."""
    return Result(
        respondent=who,
        instrument="t",
        version="1",
        score=overall,
        points=0.0,
        max_points=1.0,
        coverage=1.0,
        dimensions=tuple(
            DimensionResult(id=k, score=v, points=0.0, max_points=1.0, coverage=1.0)
            for k, v in dims.items()
        ),
    )


# -- a plugin distribution -------------------------------------------------------------------------

PLUGIN_MODULE = "weltoffen_demo_plugin"

#: A questionnaire whose weighting only the plugin of ``installed_plugin`` (conftest) provides.
PLUGIN_QUESTIONNAIRE = """
id: t
version: "1"
weighting: {kind: demo_first_counts_double}
dimensions:
  - id: d1
    questions: [{id: a, kind: yes_no, text: A}]
  - id: d2
    questions: [{id: b, kind: yes_no, text: B}]
"""


# -- what static tools see of a package -----------------------------------------------------------


def static_exports(module: ModuleType) -> dict[str, str]:
    """Each name *module*'s source imports as itself (``from m import X as X``), with ``m``.

    That is what mypy and IDEs take for a re-export; ``TYPE_CHECKING`` blocks included, as they
    read them. Relative module names are made absolute.
    """
    source = Path(inspect.getfile(module)).read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            home = node.module
            if node.level:
                home = f"{module.__name__}.{home}"
            for alias in node.names:
                if alias.asname == alias.name:
                    found[alias.name] = home
    return found


# -- JSON results against the published schema -----------------------------------------------


@cache
def result_validators() -> dict[str, Any]:
    """One validator per kind of JSON result (and ``"any"`` for the whole schema), built once."""
    import jsonschema

    from weltoffen.reports.schema import KINDS, results_schema

    schema = results_schema()
    validators = {
        kind: jsonschema.Draft202012Validator(
            {"$schema": schema["$schema"], "$ref": f"#/$defs/{kind}", "$defs": schema["$defs"]}
        )
        for kind in KINDS
    }
    return {**validators, "any": jsonschema.Draft202012Validator(schema)}


def check_result(data: Any, kind: str) -> None:
    """*data* is a valid JSON result of *kind*, of this release's format (raises when not)."""
    from weltoffen.result_format import FORMAT_KEY, RESULT_FORMAT

    validators = result_validators()
    validators[kind].validate(data)
    validators["any"].validate(data)
    for entry in data if isinstance(data, list) else [data]:
        assert entry[FORMAT_KEY] == RESULT_FORMAT


def result_errors(data: Any, kind: str) -> list[str]:
    """The schema's complaints about *data* as a result of *kind* (empty when it is valid)."""
    return [e.message for e in result_validators()[kind].iter_errors(data)]
