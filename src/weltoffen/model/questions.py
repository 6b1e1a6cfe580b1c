"""Answer scales and the question kinds."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar, Literal, Union

import attrs

from weltoffen._fields import checked, describe
from weltoffen._repr import value_repr
from weltoffen._rules import InvariantError, also, finite
from weltoffen.exceptions import ProblemCode
from weltoffen.model.answers import AnswerValue
from weltoffen.model.conditions import Condition

__all__ = [
    "Choice",
    "CodeState",
    "Linear",
    "MissingCodes",
    "MultipleChoice",
    "Numeric",
    "Option",
    "Question",
    "Scale",
    "ScaleQuestion",
    "TextQuestion",
    "Threshold",
    "YesNo",
]

Text = Mapping[str, str]

#: The answer state a missing-value code stands for.
CodeState = Literal["dont_know", "not_applicable", "skipped"]
#: Missing-value codes: an answer equal to a code (compared as text, so that 999, 999.0 and
#: "999" all match the code "999") takes the code's state instead.
MissingCodes = Mapping[str, CodeState]

# Points may be negative (FHIR, REDCap and LimeSurvey allow it): every score is min-max
# normalised per question, so only the spread between a question's answers matters.
_POINTS = finite("points must be a finite number")
_FINITE = finite("must be a finite number")


def _low_and_high(linear: Linear, attribute: attrs.Attribute[float], high: float) -> None:
    low = linear.low
    if not (math.isfinite(low) and math.isfinite(high)) or low == high:
        rule = f"a finite number other than low ({low!r})"
        raise InvariantError(
            linear,
            attribute.name,
            rule,
            high,
            message="low and high must be different finite numbers",
            shown=f"{low}..{high}",
            whole=True,
            code=ProblemCode.BAD_VALUE,
        )


def _not_below_minimum(numeric: Numeric, attribute: attrs.Attribute[Any], maximum: Any) -> None:
    minimum = numeric.minimum
    if minimum is not None and maximum is not None and minimum > maximum:
        raise InvariantError(
            numeric,
            attribute.name,
            f">= minimum ({minimum!r})",
            maximum,
            message="minimum is above maximum",
            shown=f"{minimum} > {maximum}",
            whole=True,
        )


@attrs.frozen(kw_only=True, field_transformer=checked)
class Option:
    """One answer option: the *value* a response gives, its *label* and the *points* it earns."""

    __repr__ = value_repr

    value: str
    label: Text = attrs.field(factory=dict)
    points: float = attrs.field(default=0.0, validator=_POINTS)


@attrs.frozen(kw_only=True, field_transformer=checked)
class Scale:
    """A named, shared list of ordered options (degree of implementation, agreement, ...)."""

    __repr__ = value_repr

    id: str
    options: tuple[Option, ...]
    label: Text = attrs.field(factory=dict)


@attrs.frozen(kw_only=True, field_transformer=checked)
class _Base:
    """Fields every question has.

    Attributes:
        id: Unique in the questionnaire; responses key their answers by it.
        text: The question in each language.
        help: An explanation shown beside the question.
        weight: Relative weight among the dimension's children (default 1).
        scored: ``False`` keeps the question (and its answers) out of every score.
        dont_know: Whether "don't know" is an allowed answer.
        not_applicable: Whether "not applicable" is an allowed answer.
        when: The question applies only when this condition holds; otherwise it is hidden.
        otherwise: With *when*: the answer the question counts as while its own condition is
            false, instead of being hidden (a follow-up not asked because the gate was "no"
            counts as "never": a structural answer, scored as given).
        missing_codes: Answers that stand for a state (REDCap's 999 "don't know"), on top of
            (and overriding) the questionnaire's.
    """

    __repr__ = value_repr

    id: str
    text: Text = attrs.field(factory=dict)
    help: Text = attrs.field(factory=dict)
    weight: float = attrs.field(
        default=1.0, validator=finite("weight must be a finite number >= 0", low=0)
    )
    scored: bool = True
    dont_know: bool = False
    not_applicable: bool = False
    when: Condition | None = None
    otherwise: AnswerValue | None = None
    missing_codes: MissingCodes = attrs.field(factory=dict)


@attrs.frozen(kw_only=True, field_transformer=checked)
class ScaleQuestion(_Base):
    """An ordinal question: options in order, from a shared *scale* or given inline as *options*.

    ``reverse=True`` declares a reverse-keyed item: an answer earning ``p`` points counts as
    ``min + max - p``.
    """

    __repr__ = value_repr

    kind: ClassVar[str] = "scale"
    scale: str | None = None
    options: tuple[Option, ...] = ()
    reverse: bool = False


@attrs.frozen(kw_only=True, field_transformer=checked)
class YesNo(_Base):
    """A yes/no question; answers are ``True``/``False`` (or ``"yes"``/``"no"``)."""

    __repr__ = value_repr

    kind: ClassVar[str] = "yes_no"
    yes_points: float = attrs.field(default=1.0, validator=_POINTS)
    no_points: float = attrs.field(default=0.0, validator=_POINTS)


@attrs.frozen(kw_only=True, field_transformer=checked)
class Choice(_Base):
    """A single choice among unordered options, each earning its points."""

    __repr__ = value_repr

    kind: ClassVar[str] = "choice"
    options: tuple[Option, ...] = ()


def _cap_with_sum(question: MultipleChoice, attribute: attrs.Attribute[Any], cap: Any) -> None:
    if cap is not None and question.method != "sum":
        raise InvariantError(
            question,
            attribute.name,
            "given with method 'sum' only",
            cap,
            message="cap applies only to method 'sum'",
            shown=question.method,
            code=ProblemCode.CONFLICTING_KEYS,
        )


def _choosable(question: MultipleChoice, attribute: attrs.Attribute[Any], fewest: Any) -> None:
    count = len(question.options)
    if not 0 <= fewest <= count:
        raise InvariantError(
            question,
            attribute.name,
            f"in 0..{count}",
            fewest,
            message=f"min_selected must lie in 0..{count}",
            shown=str(fewest),
        )


def _at_least_fewest(question: MultipleChoice, attribute: attrs.Attribute[Any], most: Any) -> None:
    if most is not None and most < max(question.min_selected, 1):
        raise InvariantError(
            question,
            attribute.name,
            f">= min_selected ({question.min_selected!r}) and >= 1",
            most,
            message="max_selected must be >= min_selected and >= 1",
            shown=str(most),
        )


@attrs.frozen(kw_only=True, field_transformer=checked)
class MultipleChoice(_Base):
    """Any number of options may be chosen.

    Attributes:
        method: ``share`` — points of the chosen options over all attainable points;
            ``sum`` — chosen points added up, full marks at *cap* (default: all attainable);
            ``max`` — the best chosen option.
        cap: With ``sum``, the points that already earn full marks.
        min_selected: Fewest options an answer must choose.
        max_selected: Most options an answer may choose (``None``: no limit).
    """

    __repr__ = value_repr

    kind: ClassVar[str] = "multiple_choice"
    options: tuple[Option, ...] = ()
    method: Literal["share", "sum", "max"] = "share"
    cap: float | None = attrs.field(
        default=None,
        validator=also(
            finite("cap must be a finite number > 0", low=0, strict=True), _cap_with_sum
        ),
    )
    min_selected: int = attrs.field(default=0, validator=_choosable)
    max_selected: int | None = attrs.field(default=None, validator=_at_least_fewest)


@attrs.frozen(kw_only=True, field_transformer=checked)
class Threshold:
    """Numeric scoring step: values at or above *min* earn *points* (the highest step reached)."""

    __repr__ = value_repr

    min: float = attrs.field(validator=_FINITE)
    points: float = attrs.field(validator=_POINTS)


@attrs.frozen(kw_only=True, field_transformer=checked)
class Linear:
    """Numeric scoring on a straight line: 0 at *low*, full *points* at *high*, clamped.

    *low* above *high* scores lower values better.
    """

    __repr__ = value_repr

    low: float
    high: float = attrs.field(validator=_low_and_high)
    points: float = attrs.field(
        default=1.0, validator=finite("points must be a finite number > 0", low=0, strict=True)
    )


@attrs.frozen(kw_only=True, field_transformer=checked)
class Numeric(_Base):
    """A number, within *minimum*..*maximum* when given, scored by *thresholds* or *linear*."""

    __repr__ = value_repr

    kind: ClassVar[str] = "numeric"
    unit: Text = attrs.field(factory=dict)
    minimum: float | None = attrs.field(default=None, validator=_FINITE)
    maximum: float | None = attrs.field(default=None, validator=also(_FINITE, _not_below_minimum))
    integer: bool = False
    thresholds: tuple[Threshold, ...] = ()
    linear: Linear | None = None


@attrs.frozen(kw_only=True, field_transformer=checked)
class TextQuestion(_Base):
    """Free text (evidence, comments): kept in results, never scored."""

    __repr__ = value_repr

    kind: ClassVar[str] = "text"
    scored: bool = False


Question = Union[ScaleQuestion, YesNo, Choice, MultipleChoice, Numeric, TextQuestion]  # noqa: UP007

describe(
    Question,
    "a question (ScaleQuestion, YesNo, Choice, MultipleChoice, Numeric or TextQuestion)",
    "questions (ScaleQuestion, YesNo, Choice, MultipleChoice, Numeric or TextQuestion)",
)

#: The question classes by their ``kind`` tag in data files.
QUESTION_KINDS: dict[str, type[Question]] = {
    cls.kind: cls for cls in (ScaleQuestion, YesNo, Choice, MultipleChoice, Numeric, TextQuestion)
}
