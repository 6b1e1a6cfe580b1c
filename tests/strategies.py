"""Hypothesis strategies for valid questionnaires and for valid responses to them.

The one place tests (and other test helpers, such as the batch-scoring comparison) get generated
model objects from:

* :func:`questionnaires` — questionnaires that pass every model check, with dimension trees of depth
  1..3, every question kind, weights, reverse keying, shared scales, "don't know" / "not applicable"
  flags, conditions on earlier questions, bands tiling 0..100, per-dimension policy overrides and
  every built-in aggregation and weighting. Keyword arguments narrow what is drawn, for properties
  that only hold for part of the space.
* :func:`responses` — responses to a given questionnaire in every answer state (values, don't know
  and not applicable where allowed, explicit skips, missing answers).
* :func:`questionnaire_and_responses` — both at once.
* :func:`answer_values` — the valid answer values of one question.
* :func:`crosswalk_cases` — responses over abstract question ids with a crosswalk drawn over
  them (renames, recodes, splits, merges by every rule, drops, additions), and a second one
  continuing it, for the properties of migrating and chaining.
* :func:`formula_texts` — text a spreadsheet program would run as a formula, or any text;
  :func:`spreadsheet_cases` — a questionnaire and responses whose every text is of that kind.
* :func:`hostile_texts` — visible text with characters a terminal obeys or hides instead of
  showing (controls, bidi overrides and marks, zero-width spaces) inserted anywhere;
  :func:`look_alike_pairs` — a word and a spelling of it with letters from other scripts.

Numbers are kept on coarse grids (weights in quarters, points in halves) so that sums and ratios
stay exact enough for equalities such as "coverage is exactly 1" to be meaningful.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Literal, TypeVar

import attrs
from hypothesis import strategies as st

from weltoffen import (
    DONT_KNOW,
    NOT_APPLICABLE,
    SKIPPED,
    AllOf,
    AnyOf,
    Band,
    Choice,
    Compare,
    Dimension,
    Equals,
    Includes,
    Linear,
    MetadataField,
    MultipleChoice,
    Not,
    Numeric,
    OneOf,
    Option,
    Policies,
    Questionnaire,
    Response,
    Scale,
    ScaleQuestion,
    State,
    Suggestion,
    TextQuestion,
    Threshold,
    YesNo,
)
from weltoffen._unicode import _LOOK_ALIKES, invisible
from weltoffen.model import AnswerValue, Condition, Question
from weltoffen.scoring.check import point_span
from weltoffen.serialization.cells import FORMULA_STARTS, unstorable
from weltoffen.strategies import (
    Equal,
    Exclude,
    Explicit,
    GeometricMean,
    ItemCount,
    Minimum,
    Prorate,
    SumOfPoints,
    WeightedMean,
    Zero,
)
from weltoffen.typing import Aggregation, MissingPolicy, Weighting

__all__ = [
    "AGGREGATIONS",
    "KINDS",
    "POLICIES",
    "UNSEEN_CATEGORIES",
    "WEIGHTINGS",
    "answer_values",
    "bands",
    "conditions_on",
    "crosswalk_cases",
    "formula_texts",
    "hostile_texts",
    "iter_conditions",
    "look_alike_pairs",
    "map_dimensions",
    "metadata_fields",
    "options_of",
    "questionnaire_and_responses",
    "questionnaires",
    "responses",
    "spreadsheet_cases",
    "states_of",
    "texts",
    "unseen_chars",
    "with_conditions",
]

T = TypeVar("T")

#: Question kinds by their ``kind`` tag.
KINDS: tuple[str, ...] = ("scale", "yes_no", "choice", "multiple_choice", "numeric", "text")
AGGREGATIONS: tuple[Aggregation, ...] = (WeightedMean(), SumOfPoints(), Minimum(), GeometricMean())
WEIGHTINGS: tuple[Weighting, ...] = (Explicit(), Equal(), ItemCount())
POLICIES: tuple[MissingPolicy, ...] = (Exclude(), Zero(), Prorate())

_LANGUAGES = ("de", "en", "fr")
_STATE_NAMES = frozenset(s.value for s in State)

# -- small pieces ------------------------------------------------------------------------------


# Hypothesis validates every new strategy object on first use; building them once per shape
# (instead of once per draw) makes generation several times faster.
@functools.cache
def _ints(lo: int, hi: int) -> st.SearchStrategy[int]:
    return st.integers(min_value=lo, max_value=hi)


def _pick(draw: st.DrawFn, items: Sequence[T]) -> T:
    """One of *items* (shrinking towards the first)."""
    return items[draw(_ints(0, len(items) - 1))]


#: Points on a grid of halves: exact in binary, so sums of points stay exact. Some are negative
#: (FHIR, REDCap and LimeSurvey allow that).
points = st.integers(min_value=-6, max_value=20).map(lambda k: k / 2)
#: Positive weights on a grid of quarters.
weights = st.integers(min_value=1, max_value=16).map(lambda k: k / 4)

# Text as people write it, including characters YAML must quote or escape.
_words = st.text(
    alphabet=st.characters(
        codec="utf-8", categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Co")
    ),
    max_size=12,
)
#: Respondent ids: words with more than white space (an empty id is refused).
_respondent_ids = _words.filter(str.strip)


def texts(languages: Sequence[str] = _LANGUAGES) -> st.SearchStrategy[dict[str, str]]:
    """A multilingual text: language code -> words (possibly empty)."""
    return st.dictionaries(st.sampled_from(languages), _words, max_size=2)


# Most texts are plain; a third are random words to exercise quoting and escaping. Every draw is
# a fresh dict: a value shared between draws that one example changes would make the next example
# differ from its replay (hypothesis reports that as a flaky strategy).
_empty: st.SearchStrategy[dict[str, str]] = st.builds(dict)
_text: st.SearchStrategy[dict[str, str]] = st.one_of(
    _empty,
    st.sampled_from([{"en": "Yes"}, {"de": "Ja", "en": "Yes"}, {"de": 'Größe: 3 – "ok"'}]).map(
        dict
    ),
    texts(),
)
_bool = st.booleans()
_maybe_text = st.one_of(_empty, _text)

# Option values: short words, digits and words YAML 1.1 would read as booleans or nulls; inner
# spaces are fine, spaces around a value are refused (CSV cells are trimmed).
_option_value = st.one_of(
    st.sampled_from(["yes", "no", "on", "off", "null", "1", "2", "10", "0.5", "ja", "nein", "~"]),
    st.text(alphabet="abcxyzäöü-_ 0123", min_size=1, max_size=6),
).filter(lambda v: v not in _STATE_NAMES and v == v.strip())


@st.composite
def options(draw: st.DrawFn, min_size: int = 2, max_size: int = 5) -> tuple[Option, ...]:
    """Options with distinct values whose points are not all the same."""
    values = draw(st.lists(_option_value, min_size=min_size, max_size=max_size, unique=True))
    pts = [draw(points) for _ in values]
    if len(set(pts)) < 2:
        # make the scale discriminate: the last option earns one point more than the first
        pts[-1] = pts[0] + 1.0
    return tuple(Option(value=v, label=draw(_text), points=p) for v, p in zip(values, pts))


_cuts = [st.sets(st.integers(min_value=1, max_value=99), min_size=n, max_size=n) for n in range(5)]
# a suggestion's settings (its questions need the questionnaire's ids) are drawn elsewhere
_suggestions = st.lists(
    st.builds(Suggestion, text=_text, done_at=st.sampled_from([0.75, 0.5, 1.0])), max_size=2
)


@st.composite
def bands(draw: st.DrawFn) -> tuple[Band, ...]:
    """Zero to five bands tiling 0..100 without gaps or overlaps, in any order."""
    count = draw(_ints(0, 5))
    if count == 0:
        return ()
    cuts = sorted(draw(_cuts[count - 1]))
    edges = [0.0, *map(float, cuts), 100.0]
    out = [
        Band(
            id=f"b{i}",
            min=lo,
            max=hi,
            label=draw(_text),
            feedback=draw(_text),
            suggestions=tuple(draw(_suggestions)),
        )
        for i, (lo, hi) in enumerate(itertools.pairwise(edges))
    ]
    return tuple(draw(st.permutations(out)))


@st.composite
def point_bands(draw: st.DrawFn, low: float, high: float) -> tuple[Band, ...]:
    """One to four bands on points tiling *low*..*high* (the points of a complete response),
    edged on the grid of points (ties with totals included) or between; the outer ends may
    reach beyond."""
    if not high > low:
        return ()
    steps = int((high - low) * 8)  # points and weights make totals on a grid of eighths
    inner = draw(st.sets(_ints(1, max(1, steps - 1)), max_size=3)) if steps > 1 else set()
    cuts = sorted(low + k / 8 for k in inner)
    start = low - _pick(draw, (0.0, 0.5, 1000.0))
    end = high + _pick(draw, (0.0, 0.5, 1000.0))
    edges = [start, *cuts, end]
    out = [
        Band(id=f"p{i}", min=lo, max=hi, label=draw(_text))
        for i, (lo, hi) in enumerate(itertools.pairwise(edges))
    ]
    return tuple(draw(st.permutations(out)))


def banded(
    draw: st.DrawFn, dims: Sequence[Dimension], scales: Sequence[Scale]
) -> tuple[tuple[Band, ...], Literal["score", "points"]]:
    """Bands for a node over *dims*: on scores, or (a third of the time) on points."""
    if _pick(draw, (False, False, True)):
        span = point_span(dims, {s.id: s.options for s in scales})
        return draw(point_bands(*span)), "points"
    return draw(bands()), "score"


_COVERAGES = (0.0, 0.25, 0.5, 0.75, 1.0)


@st.composite
def policies(
    draw: st.DrawFn,
    allowed: Sequence[MissingPolicy] = POLICIES,
    min_coverage: bool = True,
    inherit: bool = True,
) -> Policies:
    """Missing-answer settings; with *inherit*, any of them may be left to the enclosing level."""
    if inherit:
        return Policies(
            dont_know=_pick(draw, [None, *allowed]),
            skipped=_pick(draw, [None, *allowed]),
            min_coverage=_pick(draw, [None, *_COVERAGES]) if min_coverage else None,
        )
    return Policies(
        dont_know=_pick(draw, allowed),
        skipped=_pick(draw, allowed),
        min_coverage=_pick(draw, _COVERAGES) if min_coverage else 0.0,
    )


# -- spreadsheet cells -------------------------------------------------------------------------

#: Text that spreadsheet programs run, as found in the wild, and its near misses: apostrophes
#: before a formula (our own escape, which must survive a round trip) and an error value.
FORMULA_EXAMPLES = (
    '=HYPERLINK("http://x","click")',
    "=1+1",
    "+1",
    "-2",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "'=1+1",
    "''-2",
    "'quoted",
    "#N/A",
    "=",
)
# Characters of ids: what a formula needs, but nothing a header cell would hide. Readers trim header
# cells and XLSX keeps no carriage return, so tabs and carriage returns are left to the labels.
_ID_ALPHABET = "abcxyz019=+-@()$!:/\"',."


def formula_texts(alphabet: str | None = None, max_size: int = 12) -> st.SearchStrategy[str]:
    """Text that starts (after any apostrophes) as a formula does, or any text at all."""
    rest = st.text(alphabet=alphabet, max_size=max_size) if alphabet else st.text(max_size=max_size)
    started = st.tuples(st.text("'", max_size=2), st.sampled_from(FORMULA_STARTS), rest)
    return st.one_of(st.sampled_from(FORMULA_EXAMPLES), started.map("".join), rest)


# A cell of an answer sheet that loads back as the same text: readers trim cells, XLSX keeps no
# carriage return, and some texts mean "don't know" or "skipped" instead.
_cell_texts = formula_texts().filter(
    lambda t: (
        t == t.strip()
        and t != ""
        and "\r" not in t
        and unstorable(t) is None
        and t.casefold() not in _STATE_NAMES
    )
)
# ids are also checked to hold no invisible character, such as the tab a formula may start with
_sheet_ids = formula_texts(_ID_ALPHABET).filter(
    lambda t: (
        t != ""
        and t == t.strip()
        and not any(invisible(c) for c in t)
        and "\r" not in t
        and t != "respondent"
        and not t.startswith("meta.")
        and t.casefold() not in _STATE_NAMES
    )
)


@st.composite
def spreadsheet_cases(draw: st.DrawFn) -> tuple[Questionnaire, list[Response]]:
    """A questionnaire and responses where ids, labels, answers and metadata all start formulas.

    Ids are drawn from a small alphabet of formula characters; labels and question texts are any
    text; respondent ids, metadata and text answers are texts an answer sheet holds as they are
    (see ``_cell_texts``); numbers include negative ones, which are numbers, not formulas.
    """
    qid_text, qid_choice, qid_number, dim_id, meta_key, extra_key = draw(
        st.lists(_sheet_ids, min_size=6, max_size=6, unique=True)
    )
    values = draw(st.lists(_sheet_ids, min_size=2, max_size=3, unique_by=str.casefold))

    def label() -> dict[str, str]:
        return {"en": draw(formula_texts())}

    questionnaire = Questionnaire(
        id=draw(_sheet_ids),
        language="en",
        title=label(),
        metadata=(MetadataField(key=meta_key, label=label()),),
        dimensions=(
            Dimension(
                id=dim_id,
                title=label(),
                questions=(
                    TextQuestion(id=qid_text, text=label(), help=label()),
                    Choice(
                        id=qid_choice,
                        text=label(),
                        options=tuple(
                            Option(value=v, label=label(), points=float(i))
                            for i, v in enumerate(values)
                        ),
                    ),
                    Numeric(id=qid_number, text=label(), linear=Linear(low=-50, high=50)),
                ),
            ),
        ),
    )
    who = draw(st.lists(_cell_texts, min_size=1, max_size=3, unique=True))
    responses = [
        Response(
            respondent=respondent,
            answers={
                qid_text: draw(_cell_texts),
                qid_choice: _pick(draw, values),
                qid_number: draw(_ints(-100, 100)) / 2,
            },
            # one key the questionnaire declares, one it does not (sheets keep both)
            metadata={meta_key: draw(_cell_texts), extra_key: draw(_cell_texts)},
        )
        for respondent in who
    ]
    return questionnaire, responses


# -- questions ---------------------------------------------------------------------------------


class _Ids:
    """Hands out unique ids (``q1``, ``q2``, ... and ``d1``, ...) within one questionnaire."""

    def __init__(self) -> None:
        self._counters = {"q": itertools.count(1), "d": itertools.count(1), "s": itertools.count(1)}

    def __call__(self, prefix: str) -> str:
        return f"{prefix}{next(self._counters[prefix])}"


#: Missing-value codes a questionnaire may declare: no generated answer equals them (option
#: values use other digits, numeric bounds lie within -50..50).
ROOT_CODES = (("999", "dont_know"), ("-77", "skipped"), ("99.5", "not_applicable"))


def _base(draw: st.DrawFn, qid: str, scorable: bool) -> dict[str, Any]:
    dont_know, not_applicable = draw(_bool), draw(_bool)
    offered = ["skipped"] + ["dont_know"] * dont_know + ["not_applicable"] * not_applicable
    own = {"-99": _pick(draw, offered)} if _pick(draw, (False, False, False, True)) else {}
    return {
        "id": qid,
        "text": draw(_text),
        "help": draw(_maybe_text),
        "weight": draw(weights),
        "scored": _pick(draw, [True, True, True, False]) if scorable else False,
        "dont_know": dont_know,
        "not_applicable": not_applicable,
        "missing_codes": own,
    }


def codes_of(question: Question, questionnaire: Questionnaire) -> list[str]:
    """The missing-value codes that apply to *question*: the questionnaire's for the states it
    offers, and its own."""
    offered = {"skipped": True, **{s.value: True for s in states_of(question)}}
    shared = [c for c, state in questionnaire.missing_codes.items() if offered.get(state)]
    return [*shared, *question.missing_codes]


def _code_forms(code: str, question: Question) -> list[AnswerValue]:
    """How a table may hold *code*: as text, or as the number it spells."""
    number = float(code)
    numbers: list[AnswerValue] = [number, int(number)] if number.is_integer() else [number]
    if isinstance(question, Numeric):
        return numbers
    return [code, f"{number}", *numbers]


_int_bound = st.one_of(st.none(), st.integers(min_value=-50, max_value=50).map(float))
_quarter_bound = st.one_of(
    st.none(), st.integers(min_value=-200, max_value=200).map(lambda k: k / 4)
)
_threshold_mins = st.sets(st.integers(min_value=-40, max_value=40), min_size=1, max_size=4)
_linear_ends = st.lists(
    st.integers(min_value=-40, max_value=40), min_size=2, max_size=2, unique=True
)
_positive_points = points.filter(lambda p: p > 0)
_two_points = st.lists(points, min_size=2, max_size=2, unique=True)


@st.composite
def _numeric(draw: st.DrawFn, base: dict[str, Any]) -> Numeric:
    integer = draw(_bool)
    bound = _int_bound if integer else _quarter_bound
    minimum = draw(bound)
    maximum = draw(bound)
    if minimum is not None and maximum is not None and minimum > maximum:
        minimum, maximum = maximum, minimum
    if draw(_bool):
        mins = sorted(draw(_threshold_mins))
        pts = [draw(points) for _ in mins]
        if len(set(pts)) < 2:
            pts.append(max(pts) + 1.0)
            mins.append(mins[-1] + 1)
        thresholds = tuple(Threshold(min=float(m), points=p) for m, p in zip(mins, pts))
        return Numeric(
            **base,
            unit=draw(_text),
            minimum=minimum,
            maximum=maximum,
            integer=integer,
            thresholds=thresholds,
        )
    low, high = draw(_linear_ends)
    linear = Linear(low=float(low), high=float(high), points=draw(_positive_points))
    return Numeric(
        **base, unit=draw(_text), minimum=minimum, maximum=maximum, integer=integer, linear=linear
    )


@st.composite
def _multiple(draw: st.DrawFn, base: dict[str, Any]) -> MultipleChoice:
    opts = list(draw(options(min_size=1, max_size=5)))
    method: Literal["share", "sum", "max"] = _pick(draw, ("share", "sum", "max"))
    min_selected = draw(st.integers(min_value=0, max_value=len(opts)))
    if method == "max" and len(opts) == 1:
        min_selected = 0  # the one option must be choosable or not, else every answer is alike
    max_selected = _pick(draw, [None, *range(max(min_selected, 1), len(opts) + 1)])
    total = sum(o.points for o in opts if o.points > 0)
    flat = all(o.points == 0 for o in opts)
    if flat or (method == "max" and min_selected and len({o.points for o in opts}) < 2):
        # every method needs a point range: one option worth more than the rest
        opts[-1] = attrs.evolve(opts[-1], points=max(o.points for o in opts) + 1.0)
        total = sum(o.points for o in opts if o.points > 0)
    cap = None
    if method == "sum" and draw(_bool):
        cap = draw(st.integers(min_value=1, max_value=max(1, int(total) * 2)).map(float))
    return MultipleChoice(
        **base,
        options=tuple(opts),
        method=method,
        cap=cap,
        min_selected=min_selected,
        max_selected=max_selected,
    )


@st.composite
def questions(
    draw: st.DrawFn,
    qid: str,
    scales: Sequence[Scale] = (),
    kinds: Sequence[str] = KINDS,
    reverse: bool = True,
) -> Question:
    """One valid question of one of *kinds*; scale questions may use one of *scales*."""
    kind = _pick(draw, kinds)
    base = _base(draw, qid, scorable=kind != "text")
    if kind == "scale":
        rev = draw(_bool) if reverse else False
        use_shared: bool = draw(_bool)
        if scales and use_shared:
            return ScaleQuestion(**base, scale=_pick(draw, scales).id, reverse=rev)
        return ScaleQuestion(**base, options=draw(options()), reverse=rev)
    if kind == "yes_no":
        yes, no = draw(_two_points)
        return YesNo(**base, yes_points=yes, no_points=no)
    if kind == "choice":
        return Choice(**base, options=draw(options()))
    if kind == "multiple_choice":
        return draw(_multiple(base))
    if kind == "numeric":
        return draw(_numeric(base))
    return TextQuestion(**base)


def _counts(question: Question) -> bool:
    """Whether the question takes part in scoring (every generated one discriminates)."""
    return question.scored and not isinstance(question, TextQuestion)


# -- the tree ----------------------------------------------------------------------------------


@attrs.frozen
class _Settings:
    kinds: Sequence[str]
    aggregations: Sequence[Aggregation]
    weightings: Sequence[Weighting]
    policies: Sequence[MissingPolicy]
    min_coverage: bool
    reverse: bool
    bands: bool
    max_questions: int
    max_children: int


@st.composite
def _dimension(
    draw: st.DrawFn, ids: _Ids, depth: int, max_depth: int, scales: Sequence[Scale], cfg: _Settings
) -> Dimension:
    n_children = draw(_ints(0, cfg.max_children)) if depth < max_depth else 0
    children = tuple(
        draw(_dimension(ids, depth + 1, max_depth, scales, cfg)) for _ in range(n_children)
    )
    dim_id = ids("d")
    qs = [
        draw(questions(ids("q"), scales, cfg.kinds, cfg.reverse))
        for _ in range(draw(_ints(0 if children else 1, cfg.max_questions)))
    ]
    if not children and not any(_counts(q) for q in qs):
        # a leaf needs something to score
        scorable = [k for k in cfg.kinds if k != "text"] or ["scale"]
        q = draw(questions(ids("q"), scales, scorable, cfg.reverse))
        qs.append(attrs.evolve(q, scored=True))
    bands_on: Literal["score", "points"] = "score"
    own_bands: tuple[Band, ...] = ()
    if cfg.bands:
        own_bands, bands_on = banded(
            draw, (Dimension(id=dim_id, questions=tuple(qs), dimensions=children),), scales
        )
    return Dimension(
        id=dim_id,
        title=draw(_text),
        description=draw(_maybe_text),
        weight=draw(weights),
        weighting=_pick(draw, cfg.weightings),
        aggregation=_pick(draw, cfg.aggregations),
        scoring=draw(policies(cfg.policies, cfg.min_coverage)),
        bands=own_bands,
        bands_on=bands_on,
        questions=tuple(draw(st.permutations(qs))),
        dimensions=children,
    )


@st.composite
def questionnaires(
    draw: st.DrawFn,
    *,
    max_depth: int = 3,
    kinds: Sequence[str] = KINDS,
    aggregations: Sequence[Aggregation] = AGGREGATIONS,
    weightings: Sequence[Weighting] = WEIGHTINGS,
    policy_kinds: Sequence[MissingPolicy] = POLICIES,
    min_coverage: bool = True,
    reverse: bool = True,
    conditions: bool = True,
    with_bands: bool = True,
    max_top: int = 3,
    max_children: int = 2,
    max_questions: int = 3,
    missing_codes: bool = True,
    otherwise: bool = False,
) -> Questionnaire:
    """A questionnaire that passes every model check.

    Args:
        max_depth: Deepest level of the dimension tree (top-level dimensions are level 1).
        kinds: Question kinds to draw from (every leaf still gets a scored question).
        aggregations: Aggregation strategies for the root and every dimension.
        weightings: Weighting schemes for the root and every dimension.
        policy_kinds: Missing-answer policies the root and dimensions may name.
        min_coverage: Whether minimum coverages above 0 are drawn.
        reverse: Whether scale questions may be reverse keyed.
        conditions: Whether questions and dimensions may carry conditions (on earlier questions).
        with_bands: Whether bands are drawn.
        max_top: Most top-level dimensions.
        max_children: Most child dimensions per dimension.
        max_questions: Most questions per dimension.
        missing_codes: Whether the questionnaire may declare missing-value codes (questions
            may declare their own regardless).
        otherwise: Whether questions with a condition may count as an answer while it is false.
    """
    cfg = _Settings(
        kinds=kinds,
        aggregations=aggregations,
        weightings=weightings,
        policies=policy_kinds,
        min_coverage=min_coverage,
        reverse=reverse,
        bands=with_bands,
        max_questions=max_questions,
        max_children=max_children,
    )
    ids = _Ids()
    scales = tuple(
        Scale(id=ids("s"), options=draw(options()), label=draw(_text))
        for _ in range(draw(_ints(0, 2)))
    )
    depth = draw(_ints(1, max_depth))
    top = [draw(_dimension(ids, 1, depth, scales, cfg)) for _ in range(draw(_ints(1, max_top)))]
    language = _pick(draw, ["en", "de"])
    codes = {c: state for c, state in ROOT_CODES if draw(_bool)} if missing_codes else {}
    root_bands, root_on = banded(draw, top, scales) if with_bands else ((), "score")
    q = Questionnaire(
        id=_pick(draw, ["demo", "self-check", "ü-test"]),
        version=_pick(draw, ["1", "1.0", "2024-01", "0.3.1"]),
        language=language,
        title=draw(_text),
        description=draw(_text),
        scales=scales,
        metadata=draw(metadata_fields()),
        scoring=draw(policies(policy_kinds, min_coverage, inherit=False)),
        missing_codes=codes,
        weighting=_pick(draw, weightings),
        aggregation=_pick(draw, aggregations),
        bands=root_bands,
        bands_on=root_on,
        dimensions=tuple(top),
    )
    if conditions:
        q = draw(with_conditions(q, otherwise=otherwise))
    return q


# -- conditions --------------------------------------------------------------------------------


def options_of(question: Question, scales: Sequence[Scale]) -> tuple[Option, ...]:
    """The options of a choice-like question (its own or its shared scale's)."""
    if isinstance(question, ScaleQuestion) and question.scale is not None:
        return next(s.options for s in scales if s.id == question.scale)
    if isinstance(question, ScaleQuestion | Choice | MultipleChoice):
        return question.options
    return ()


def _condition(
    draw: st.DrawFn, candidates: Sequence[Question], scales: Sequence[Scale], depth: int
) -> Condition:
    shape = _pick(draw, ("atom", "atom", "all", "any", "not")) if depth > 0 else "atom"
    if shape in ("all", "any"):
        parts = tuple(
            _condition(draw, candidates, scales, depth - 1) for _ in range(draw(_ints(1, 3)))
        )
        return AllOf(parts) if shape == "all" else AnyOf(parts)
    if shape == "not":
        return Not(_condition(draw, candidates, scales, depth - 1))
    question = _pick(draw, candidates)
    qid = question.id
    if isinstance(question, YesNo):
        return Equals(qid, draw(_bool))
    if isinstance(question, MultipleChoice):
        return Includes(qid, _pick(draw, [o.value for o in question.options]))
    if isinstance(question, ScaleQuestion | Choice):
        values = [o.value for o in options_of(question, scales)]
        if draw(_bool):
            return Equals(qid, _pick(draw, values))
        chosen = list(dict.fromkeys(_pick(draw, values) for _ in range(draw(_ints(1, 3)))))
        return OneOf(qid, tuple(chosen))
    if isinstance(question, Numeric):
        return Compare(qid, _pick(draw, ("gt", "ge", "lt", "le")), float(draw(_ints(-40, 40))))
    return Equals(qid, draw(_words))


@st.composite
def conditions_on(
    draw: st.DrawFn, candidates: Sequence[Question], scales: Sequence[Scale], depth: int = 2
) -> Condition:
    """A condition reading only *candidates*, fitting each question's kind, nested up to *depth*
    levels of all / any / not."""
    return _condition(draw, candidates, scales, depth)


@st.composite
def with_conditions(
    draw: st.DrawFn, q: Questionnaire, chance: float = 0.15, otherwise: bool = False
) -> Questionnaire:
    """*q* with conditions added to some questions and dimensions; with *otherwise*, some
    questions with a condition count as a given answer (or state) while it is false.

    A question's condition reads only questions before it in document order; a dimension's reads
    only questions before its first question. Every condition thus depends on strictly earlier
    questions, so no cycle can arise, whatever the enclosing dimensions' conditions are.
    """
    order = [question for _, question in q.iter_questions()]
    position = {question.id: i for i, question in enumerate(order)}
    draw_it = st.floats(min_value=0, max_value=1).map(lambda x: x < chance)

    def condition(before: int) -> Condition | None:
        if before == 0 or not draw(draw_it):
            return None
        return _condition(draw, order[:before], q.scales, 2)

    def first_question(dim: Dimension) -> int:
        own = [position[x.id] for x in dim.questions]
        return min(own + [first_question(d) for d in dim.dimensions])

    def conditioned(x: Question) -> Question:
        when = condition(position[x.id])
        if when is None or not otherwise or not _pick(draw, (False, True)):
            return attrs.evolve(x, when=when)
        value = draw(st.one_of(answer_values(x, q.scales), st.sampled_from(states_of(x))))
        return attrs.evolve(x, when=when, otherwise=value)

    def rebuild(dim: Dimension) -> Dimension:
        new_questions = tuple(conditioned(x) for x in dim.questions)
        return attrs.evolve(
            dim,
            when=condition(first_question(dim)),
            questions=new_questions,
            dimensions=tuple(rebuild(d) for d in dim.dimensions),
        )

    return attrs.evolve(q, dimensions=tuple(rebuild(d) for d in q.dimensions))


def iter_conditions(q: Questionnaire) -> Iterator[Condition]:
    """Every condition in *q* (on questions and on dimensions)."""
    for _, dim in q.iter_dimensions():
        if dim.when is not None:
            yield dim.when
        for question in dim.questions:
            if question.when is not None:
                yield question.when


# -- responses ---------------------------------------------------------------------------------


def answer_values(
    question: Question, scales: Sequence[Scale] = ()
) -> st.SearchStrategy[AnswerValue]:
    """Values that answer *question* validly (no answer states)."""
    if isinstance(question, YesNo):
        return st.one_of(st.booleans(), st.booleans(), st.sampled_from(["yes", "no", "ja", "nein"]))
    if isinstance(question, ScaleQuestion | Choice):
        return st.sampled_from([o.value for o in options_of(question, scales)])
    if isinstance(question, MultipleChoice):
        values = [o.value for o in question.options]
        most = len(values) if question.max_selected is None else question.max_selected
        return st.lists(
            st.sampled_from(values), min_size=question.min_selected, max_size=most, unique=True
        ).map(tuple)
    if isinstance(question, Numeric):
        return _numbers(question)
    return _words.filter(lambda w: w not in _STATE_NAMES)


def _numbers(question: Numeric) -> st.SearchStrategy[AnswerValue]:
    lo, hi = question.minimum, question.maximum
    if question.integer:
        return st.integers(
            min_value=None if lo is None else int(lo), max_value=None if hi is None else int(hi)
        ).filter(lambda v: abs(v) < 10**9)
    floats = st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False).filter(
        lambda v: abs(v) < 1e9
    )
    lo_int = None if lo is None else math.ceil(lo)
    hi_int = None if hi is None else math.floor(hi)
    if lo_int is not None and hi_int is not None and lo_int > hi_int:
        return floats
    ints = st.integers(min_value=lo_int, max_value=hi_int).filter(lambda v: abs(v) < 10**9)
    return st.one_of(floats, ints)


def states_of(question: Question) -> list[State]:
    """The non-answer states *question* allows as answers."""
    allowed = [SKIPPED]
    if question.dont_know:
        allowed.append(DONT_KNOW)
    if question.not_applicable:
        allowed.append(NOT_APPLICABLE)
    return allowed


_MISSING = object()
_meta_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    _words,
)


@st.composite
def responses(
    draw: st.DrawFn,
    questionnaire: Questionnaire,
    *,
    missing: bool = True,
    respondent: st.SearchStrategy[str] | None = None,
    codes: bool = False,
) -> Response:
    """A valid response to *questionnaire*.

    Each question is answered with a valid value, or (where *missing* allows) given one of the
    non-answer states it permits, explicitly skipped, or left out.

    Args:
        questionnaire: The questionnaire answered.
        missing: ``False`` answers every question with a value.
        respondent: Strategy for the respondent id (default: short text, not blank).
        codes: Whether a missing state may be given by one of its missing-value codes, in any
            form a table holds it (999, 999.0, "999").
    """
    answers: dict[str, AnswerValue] = {}
    for _, question in questionnaire.iter_questions():
        choice: Any = draw(answer_values(question, questionnaire.scales))
        usable = codes_of(question, questionnaire) if codes and missing else []
        if usable and _pick(draw, (False, False, True)):
            answers[question.id] = _pick(draw, _code_forms(_pick(draw, usable), question))
            continue
        if missing:
            choice = draw(
                st.one_of(
                    st.just(choice),
                    st.just(choice),
                    st.sampled_from([*states_of(question), _MISSING]),
                )
            )
        if choice is not _MISSING:
            answers[question.id] = choice
    return Response(
        respondent=draw(respondent if respondent is not None else _respondent_ids),
        answers=answers,
        metadata=draw(st.dictionaries(_words, _meta_values, max_size=3)),
    )


def questionnaire_and_responses(
    questionnaire: st.SearchStrategy[Questionnaire] | None = None,
    *,
    count: int = 1,
    missing: bool = True,
    codes: bool = False,
) -> st.SearchStrategy[tuple[Questionnaire, list[Response]]]:
    """A questionnaire with *count* responses to it (distinct respondent ids); with *codes*,
    missing states may be given by their missing-value codes."""
    source = questionnaire if questionnaire is not None else questionnaires()

    def with_responses(q: Questionnaire) -> st.SearchStrategy[tuple[Questionnaire, list[Response]]]:
        each = [
            responses(q, missing=missing, respondent=st.just(f"r{i + 1}"), codes=codes)
            for i in range(count)
        ]
        return st.tuples(st.just(q), st.tuples(*each).map(list))

    return source.flatmap(with_responses)


# -- helpers for tests that transform questionnaires -------------------------------------------


def map_dimensions(q: Questionnaire, fn: Callable[[Dimension], Dimension]) -> Questionnaire:
    """*q* with *fn* applied to every dimension, children first."""

    def walk(dim: Dimension) -> Dimension:
        return fn(attrs.evolve(dim, dimensions=tuple(walk(d) for d in dim.dimensions)))

    return attrs.evolve(q, dimensions=tuple(walk(d) for d in q.dimensions))


def without_point_bands(q: Questionnaire) -> Questionnaire:
    """*q* without its bands on points: for tests that change weights or points, which move
    the totals those bands must cover."""

    def drop(node: Any) -> Any:
        return attrs.evolve(node, bands=(), bands_on="score") if node.bands_on == "points" else node

    return drop(map_dimensions(q, drop))


@st.composite
def metadata_fields(draw: st.DrawFn) -> tuple[MetadataField, ...]:
    """Declared metadata: unique keys, some with coded options."""
    keys = draw(
        st.lists(
            st.sampled_from(["type", "size", "date", "role", "région"]), unique=True, max_size=3
        )
    )
    return tuple(
        MetadataField(
            key=key,
            label=draw(_text),
            options=tuple(
                Option(value=value, label=draw(_text))
                for value in draw(
                    st.lists(st.sampled_from(["a", "b", "c-d", "1"]), unique=True, max_size=3)
                )
            ),
        )
        for key in keys
    )


# -- hostile text ------------------------------------------------------------------------------

#: Unicode categories of characters with no glyph of their own: controls, format characters,
#: line and paragraph separators.
UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})

#: One such character: the notorious ones by name (escape, bell, CSI, bidi overrides, isolates
#: and marks, zero-width characters, the byte order mark) and any other of those categories.
unseen_chars: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(
        "\x1b\x07\x00\r\n\t\x7f\x85\x9b\u061c\u200b\u200c\u200d\u200e\u200f"
        "\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff\u2028\u2029"
    ),
    st.characters(categories=tuple(sorted(UNSEEN_CATEGORIES))),
)
_visible = st.text(alphabet=st.characters(categories=("L", "N", "P")), min_size=1, max_size=8)


@st.composite
def hostile_texts(draw: st.DrawFn) -> str:
    """Visible text (never empty) with one to four unseen characters inserted anywhere."""
    chars = list(draw(_visible))
    for _ in range(draw(_ints(1, 4))):
        chars.insert(draw(_ints(0, len(chars))), draw(unseen_chars))
    return "".join(chars)


_confusable_letters = "".join(sorted(_LOOK_ALIKES))


@st.composite
def look_alike_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """A word of Latin letters and digits, and the same word with some replaced by look-alikes."""
    word = draw(st.text(alphabet=_confusable_letters, min_size=1, max_size=10))
    positions = draw(st.sets(_ints(0, len(word) - 1), min_size=1))
    other = [_pick(draw, _LOOK_ALIKES[c]) if i in positions else c for i, c in enumerate(word)]
    return word, "".join(other)


# -- crosswalks --------------------------------------------------------------------------------

#: The option values of the abstract questions that crosswalk cases answer.
_XW_VALUES = ("a", "b", "c", "d")
_xw_scalar = st.one_of(
    st.sampled_from(_XW_VALUES),
    st.booleans(),
    st.integers(min_value=-3, max_value=3),
    st.sampled_from([DONT_KNOW, NOT_APPLICABLE, SKIPPED]),
)
_xw_answer = st.one_of(
    _xw_scalar,
    st.lists(st.sampled_from(_XW_VALUES), unique=True, max_size=3).map(tuple),
)
# Recodes name option values and states; they lead to option values or to no answer (a state
# inside a multiple choice would be no option, see weltoffen.versions.migrate).
_xw_recode = st.dictionaries(
    st.sampled_from([*_XW_VALUES, "true", "false", "dont_know"]),
    st.one_of(st.none(), st.sampled_from(_XW_VALUES)),
    max_size=3,
)


@st.composite
def _xw_responses(draw: st.DrawFn, ids: Sequence[str]) -> list[Response]:
    count = draw(_ints(1, 4))
    out = []
    for i in range(count):
        answered = draw(st.lists(st.sampled_from(list(ids)), unique=True)) if ids else []
        answers = {q: draw(_xw_answer) for q in answered}
        out.append(Response(respondent=f"r{i}", answers=answers, metadata={"round": i}))
    return out


@st.composite
def _xw_crosswalk(
    draw: st.DrawFn, olds: Sequence[str], start: str, end: str
) -> tuple[Any, list[str]]:
    """A crosswalk from version *start* (questions *olds*) to *end*, and the new version's ids."""
    from weltoffen.versions.crosswalk import (
        Added,
        Crosswalk,
        Dropped,
        Merged,
        MergeRow,
        Recoded,
        Renamed,
        Split,
        Target,
    )

    fresh = (f"{end}-{i}" for i in itertools.count())
    new_ids: list[str] = []
    parts: dict[str, list[Any]] = {k: [] for k in ("renamed", "recoded", "split", "merged")}
    parts["dropped"], parts["added"] = [], []
    rest = list(olds)
    while rest:
        old = rest.pop(0)
        action = draw(
            st.sampled_from(["keep", "keep", "recode", "rename", "split", "merge", "drop"])
        )
        if action == "keep":
            new_ids.append(old)
        elif action == "recode":
            parts["recoded"].append(Recoded(question=old, recode=draw(_xw_recode)))
            new_ids.append(old)
        elif action == "rename":
            new = next(fresh)
            parts["renamed"].append(Renamed(old=old, new=new, recode=draw(_xw_recode)))
            new_ids.append(new)
        elif action == "split":
            targets = [
                Target(new=next(fresh), recode=draw(_xw_recode)) for _ in range(draw(_ints(1, 3)))
            ]
            parts["split"].append(Split(old=old, into=tuple(targets)))
            new_ids.extend(t.new for t in targets)
        elif action == "merge" and rest:
            group = [old, *rest[: draw(_ints(1, 2))]]
            del rest[: len(group) - 1]
            rule = draw(st.sampled_from(["first_answered", "minimum", "maximum", "table"]))
            table: list[Any] = []
            if rule == "table":
                table = [
                    MergeRow(
                        old=tuple(draw(st.one_of(st.none(), _xw_scalar)) for _ in group),
                        new=draw(st.one_of(st.none(), st.sampled_from(_XW_VALUES))),
                    )
                    for _ in range(draw(_ints(1, 3)))
                ]
            each = draw(st.dictionaries(st.sampled_from(group), _xw_recode, max_size=2))
            new = next(fresh)
            parts["merged"].append(
                Merged(
                    old=tuple(group),
                    new=new,
                    rule=rule,
                    order=_XW_VALUES if rule in ("minimum", "maximum") else (),
                    table=tuple(table),
                    each=each,
                    recode=draw(_xw_recode),
                )
            )
            new_ids.append(new)
        else:
            parts["dropped"].append(Dropped(old=old, reason=draw(st.none() | st.just("gone"))))
    for _ in range(draw(_ints(0, 2))):
        state = draw(st.sampled_from([None, "dont_know", "not_applicable", "skipped"]))
        new = next(fresh)
        parts["added"].append(Added(new=new, state=state))
        new_ids.append(new)
    cw = Crosswalk(
        instrument="check",
        from_version=start,
        to_version=end,
        **{k: tuple(v) for k, v in parts.items()},
    )
    return cw, new_ids


@st.composite
def crosswalk_cases(draw: st.DrawFn) -> tuple[list[Response], Any, Any]:
    """Responses to version ``1`` and crosswalks 1 → 2 and 2 → 3 (``weltoffen.versions``)."""
    olds = [f"q{i}" for i in range(draw(_ints(1, 6)))]
    first, middle = draw(_xw_crosswalk(olds, "1", "2"))
    second, _ = draw(_xw_crosswalk(middle, "2", "3"))
    return draw(_xw_responses(olds)), first, second
