"""weltoffen's ids and option values as LimeSurvey question codes and answer codes.

LimeSurvey allows question codes of a letter followed by at most 19 letters and digits, and
answer (and subquestion) codes of at most 5 letters and digits. An id or value that fits is kept
as it is; the others are made to fit, the same way every time, so that the survey written and the
response exports read for one questionnaire always agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from weltoffen.model.questionnaire import Questionnaire

__all__ = ["CODE", "TITLE", "codes", "titles"]

TITLE = re.compile(r"[A-Za-z][A-Za-z0-9]{0,19}")
CODE = re.compile(r"[A-Za-z0-9]{1,5}")


def titles(questionnaire: Questionnaire) -> dict[str, str]:
    """Question ids and metadata keys -> the question codes the survey gives them."""
    names = [key.key for key in questionnaire.metadata]
    names += [question.id for _, question in questionnaire.iter_questions()]
    return _fitted(names)


def _fitted(names: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    taken: set[str] = set()
    names = list(dict.fromkeys(names))
    for name in names:  # names that fit keep them
        if TITLE.fullmatch(name) and name.casefold() not in taken:
            out[name] = name
            taken.add(name.casefold())
    for name in names:
        if name in out:
            continue
        base = re.sub(r"[^A-Za-z0-9]", "", name)
        if not base[:1].isalpha():
            base = "Q" + base
        base = base[:20]
        title, k = base, 1
        while title.casefold() in taken:
            k += 1
            title = base[: 20 - len(str(k))] + str(k)
        out[name] = title
        taken.add(title.casefold())
    return out


def codes(values: Sequence[str], reserved: Iterable[str] = ()) -> dict[str, str]:
    """Option values -> answer codes: the values themselves when all fit (and none is
    *reserved*), else ``A1``, ``A2``, ... in order."""
    blocked = {r.casefold() for r in reserved}
    folded = [v.casefold() for v in values]
    if (
        all(CODE.fullmatch(v) for v in values)
        and len(set(folded)) == len(folded)
        and not blocked & set(folded)
    ):
        return {v: v for v in values}
    return {v: f"A{i}" for i, v in enumerate(values, start=1)}


def inverse(mapping: Mapping[str, str]) -> dict[str, str]:
    """Codes -> the ids or values they stand for."""
    return {code: name for name, code in mapping.items()}
