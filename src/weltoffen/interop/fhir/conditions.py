"""FHIR ``enableWhen`` (with ``enableBehavior``) as weltoffen conditions, in plain data form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from weltoffen.exceptions import Location, ProblemCode
from weltoffen.interop.fhir.common import Walker, is_number
from weltoffen.interop.report import ReportBuilder

__all__ = ["Target", "read_enable_when"]

#: What a condition needs to know of the question it reads: its weltoffen kind, its option values
#: (choice-like questions) and whether it offers answer states that FHIR would count as answers.
Target = Mapping[str, Any]

_OPERATORS = ("exists", "=", "!=", ">", "<", ">=", "<=")
_COMPARE = {">": "gt", "<": "lt", ">=": "ge", "<=": "le"}
_EXPECTED = {
    "boolean": "true or false",
    "number": "a number",
    "integer": "an integer",
    "string": "a string",
}
_ANSWER_TYPES = {
    "answerBoolean": "boolean",
    "answerDecimal": "number",
    "answerInteger": "integer",
    "answerDate": "string",
    "answerDateTime": "string",
    "answerTime": "string",
    "answerString": "string",
    "answerCoding": "coding",
    "answerQuantity": "quantity",
    "answerReference": "reference",
}


def read_enable_when(
    item: Mapping[str, Any],
    where: Location,
    link_id: str,
    targets: Mapping[str, Target],
    walker: Walker,
    notes: ReportBuilder,
) -> dict[str, Any] | None:
    """The item's ``enableWhen`` list as one condition (plain data), or ``None``.

    Every entry gives a finding; entries that do not map are dropped and the combined condition is
    then reported as approximated. Malformed entries are recorded as problems on *walker*.
    """
    entries = walker.objects(item, "enableWhen", where)
    if not entries:
        return None
    behaviour = walker.string(item, "enableBehavior", where)
    if behaviour not in (None, "all", "any"):
        walker.problem(
            ProblemCode.BAD_VALUE,
            "enableBehavior must be 'all' or 'any'",
            (*where, "enableBehavior"),
            got=repr(behaviour),
        )
    if behaviour is None and len(entries) > 1:
        walker.problem(
            ProblemCode.MISSING_KEY,
            "enableBehavior is required with more than one enableWhen",
            (*where, "enableBehavior"),
            expected="'all' or 'any'",
        )
    parts: list[dict[str, Any]] = []
    lost = 0
    for e_where, entry in entries:
        part = _entry(entry, e_where, link_id, targets, walker, notes)
        if part is None:
            lost += 1
        else:
            parts.append(part)
    if not parts:
        return None
    combined = parts[0] if len(parts) == 1 else {"any" if behaviour == "any" else "all": parts}
    if lost:
        notes.approximated(
            "enableBehavior",
            f"{lost} of {len(entries)} enableWhen entries could not be imported; the condition "
            "uses the others, so the item applies "
            + ("less often" if behaviour == "any" else "more often")
            + " than in FHIR",
            location=(*where, "enableWhen"),
            source_id=link_id,
            hint="check the dropped entries listed above",
        )
    return combined


def _entry(
    entry: Mapping[str, Any],
    where: Location,
    link_id: str,
    targets: Mapping[str, Target],
    walker: Walker,
    notes: ReportBuilder,
) -> dict[str, Any] | None:
    question = walker.string(entry, "question", where)
    operator = walker.string(entry, "operator", where)
    answers = [key for key in entry if isinstance(key, str) and key.startswith("answer")]
    bad = False
    if question is None:
        walker.problem(ProblemCode.MISSING_KEY, "enableWhen needs a question", (*where, "question"))
        bad = True
    if operator is None or operator not in _OPERATORS:
        walker.problem(
            ProblemCode.BAD_VALUE if operator is not None else ProblemCode.MISSING_KEY,
            "enableWhen needs an operator",
            (*where, "operator"),
            expected=", ".join(_OPERATORS),
            got=None if operator is None else repr(operator),
        )
        bad = True
    if len(answers) != 1 or answers[0] not in _ANSWER_TYPES:
        walker.problem(
            ProblemCode.MISSING_KEY if not answers else ProblemCode.BAD_VALUE,
            "enableWhen needs exactly one answer[x]",
            where,
            expected=", ".join(_ANSWER_TYPES),
            got=", ".join(answers) or None,
        )
        return None
    key = answers[0]
    answer = _answer(entry, key, where, walker)
    if bad or answer is None or question is None or operator is None:
        return None
    target = targets.get(question)
    if target is None:
        walker.problem(
            ProblemCode.UNKNOWN_REFERENCE,
            f"enableWhen refers to {question!r}, which is no item of this questionnaire",
            (*where, "question"),
        )
        return None

    def drop(reason: str) -> None:
        notes.dropped(
            "enableWhen",
            f"{question} {operator} {answer!r}: {reason}",
            location=where,
            source_id=link_id,
            hint="express the condition by hand in the weltoffen questionnaire",
        )

    kind = target["kind"]
    if kind is None:
        drop(f"{question!r} is not imported as a question")
        return None
    if operator == "exists":
        if not isinstance(answer, bool) or key != "answerBoolean":
            walker.problem(
                ProblemCode.WRONG_TYPE,
                "exists takes answerBoolean",
                (*where, key),
                expected="answerBoolean",
            )
            return None
        present = _answered(question, target)
        if present is None:
            drop(f"whether a {kind} question is answered cannot be written as a weltoffen test")
            return None
        approximate = bool(target.get("states"))
        (notes.approximated if approximate else notes.exact)(
            "enableWhen",
            f"{question} exists {str(answer).lower()} becomes a test of every possible answer"
            + ("; a 'don't know' answer counts as not answered" if approximate else ""),
            location=where,
            source_id=link_id,
        )
        return present if answer else {"not": present}
    test = _test(question, operator, answer, key, target)
    if isinstance(test, str):
        drop(test)
        return None
    said = f"{question} {operator} {answer!r}"
    notes.exact("enableWhen", said, location=where, source_id=link_id)
    return test


def _answer(entry: Mapping[str, Any], key: str, where: Location, walker: Walker) -> Any:
    value = entry[key]
    kind = _ANSWER_TYPES[key]
    ok = (
        (kind == "boolean" and isinstance(value, bool))
        or (kind == "number" and is_number(value))
        or (kind == "integer" and is_number(value) and isinstance(value, int))
        or (kind == "string" and isinstance(value, str))
        or (kind in ("coding", "quantity", "reference") and isinstance(value, Mapping))
    )
    if not ok:
        walker.problem(
            ProblemCode.WRONG_TYPE,
            f"{key} has a value of the wrong type",
            (*where, key),
            expected=_EXPECTED.get(kind, "an object"),
            got=repr(value),
        )
        return None
    if kind == "coding":
        code = value.get("code")
        if not isinstance(code, str):
            walker.problem(
                ProblemCode.MISSING_KEY, "answerCoding needs a code", (*where, key, "code")
            )
            return None
        return code
    if kind == "quantity":
        amount = value.get("value")
        if not is_number(amount):
            walker.problem(
                ProblemCode.MISSING_KEY, "answerQuantity needs a value", (*where, key, "value")
            )
            return None
        return amount
    return value


def _answered(question: str, target: Target) -> dict[str, Any] | None:
    kind = target["kind"]
    if kind in ("scale", "choice"):
        return {"question": question, "in": list(target["options"])}
    if kind == "multiple_choice":
        return {"any": [{"question": question, "includes": v} for v in target["options"]]}
    if kind == "yes_no":
        return {"question": question, "in": [True, False]}
    if kind == "numeric":
        return {"any": [{"question": question, "ge": 0.0}, {"question": question, "lt": 0.0}]}
    return None


def _test(
    question: str, operator: str, answer: Any, key: str, target: Target
) -> dict[str, Any] | str:
    """The condition for one comparison, or why it cannot be one."""
    kind = target["kind"]
    test: dict[str, Any]
    if operator in _COMPARE:
        if kind != "numeric" or isinstance(answer, bool) or not is_number(answer):
            return f"weltoffen compares only numbers of numeric questions ({kind} here)"
        return {"question": question, _COMPARE[operator]: float(answer)}
    if kind in ("scale", "choice", "multiple_choice"):
        value = str(answer) if not isinstance(answer, bool) else None
        if value is None or value not in target["options"]:
            return f"{answer!r} is none of the question's options"
        test = (
            {"question": question, "includes": value}
            if kind == "multiple_choice"
            else {"question": question, "equals": value}
        )
    elif kind == "yes_no":
        if not isinstance(answer, bool):
            return "a yes/no question is compared with answerBoolean only"
        test = {"question": question, "equals": answer}
    elif kind == "numeric":
        if isinstance(answer, bool) or not is_number(answer):
            return f"a numeric question is not compared with {key}"
        test = {"question": question, "equals": answer}
    elif kind == "text":
        if not isinstance(answer, str):
            return f"a text question is not compared with {key}"
        test = {"question": question, "equals": answer}
    else:
        return f"a {kind} question cannot be tested"
    return test if operator == "=" else {"not": test}
