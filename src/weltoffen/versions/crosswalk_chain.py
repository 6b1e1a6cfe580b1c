"""Composing crosswalks: 1.0 → 1.1 and 1.1 → 2.0 as one crosswalk 1.0 → 2.0.

Migrating through the composed crosswalk gives the same answers as migrating through each in
turn; what cannot be one crosswalk (an old question feeding two merges, say) is refused with
:class:`ChainError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from weltoffen.exceptions import (
    WeltoffenError,
)
from weltoffen.model.answers import AnswerValue, State
from weltoffen.versions.crosswalk import (
    Added,
    Carry,
    Crosswalk,
    Dropped,
    Fresh,
    Merged,
    Recode,
    Recoded,
    Renamed,
    Source,
    Split,
    Target,
    answer_key,
    apply_recode,
    consumed,
    sources,
)

__all__ = ["ChainError", "chain"]


# -- composing ----------------------------------------------------------------------------------


class ChainError(WeltoffenError, ValueError):
    """Crosswalks that cannot be chained: versions that do not line up, or steps the crosswalk
    format cannot say in one (a merged question merged again, ...)."""


def chain(*crosswalks: Crosswalk) -> Crosswalk:
    """One crosswalk doing *crosswalks* in turn (1.0 → 1.1, 1.1 → 2.0 gives 1.0 → 2.0).

    Migrating through the result gives the same answers as migrating through each in turn.

    Raises:
        ChainError: None given, another instrument, a version that does not continue the one
            before, or a composition the format cannot express.
    """
    if not crosswalks:
        raise ChainError("chain() needs at least one crosswalk")
    out = crosswalks[0]
    for step in crosswalks[1:]:
        out = _compose(out, step)
    return out


def _compose(a: Crosswalk, b: Crosswalk) -> Crosswalk:
    if a.instrument != b.instrument:
        raise ChainError(
            f"cannot chain crosswalks of two instruments: {a.instrument!r} and {b.instrument!r}"
        )
    if a.to_version != b.from_version:
        raise ChainError(
            f"cannot chain {a.from_version} → {a.to_version} with "
            f"{b.from_version} → {b.to_version}: the second must start at {a.to_version}"
        )
    fed_a, fed_b = sources(a), sources(b)
    gone_a = consumed(a) - set(fed_a)  # old ids that are no question of the middle version

    def middle(qid: str) -> Source:
        """What feeds the middle version's question *qid* from the first version."""
        if qid in fed_a:
            return fed_a[qid]
        if qid in gone_a:
            return Fresh(None)
        return Carry(qid, {})

    composed: dict[str, Source] = {}
    for qid, src in fed_b.items():
        composed[qid] = _through(src, middle, qid)
    used_b = consumed(b)
    for qid, src in fed_a.items():
        if qid not in used_b and qid not in fed_b:
            composed[qid] = src
    reasons = {d.old: d.reason for d in a.dropped}
    for d in b.dropped:
        src = middle(d.old)
        for old in _olds(src):
            reasons.setdefault(old, d.reason)
    return _from_sources(a, b, composed, consumed(a) | _olds_of_b(b, middle), reasons)


def _olds(src: Source) -> list[str]:
    if isinstance(src, Carry):
        return [src.old]
    if isinstance(src, Merged):
        return list(src.old)
    return []


def _olds_of_b(b: Crosswalk, middle: Callable[[str], Source]) -> set[str]:
    """The first version's questions that *b*'s names lead back to."""
    return {old for _, qid in b.old_ids() for old in _olds(middle(qid))}


def _through(src: Source, middle: Callable[[str], Source], qid: str) -> Source:
    if isinstance(src, Fresh):
        return src
    if isinstance(src, Carry):
        before = middle(src.old)
        if isinstance(before, Carry):
            return Carry(before.old, _then(before.recode, src.recode))
        if isinstance(before, Merged):
            return attrs.evolve(before, new=qid, recode=_then(before.recode, src.recode))
        if before.state is None:
            return before
        after = apply_recode(src.recode, before.state)
        if after is None or isinstance(after, State):
            return Fresh(after)
        raise ChainError(
            f"{qid!r}: an added question's state {before.state.value!r} is recoded to an "
            "answer, which an added question cannot hold"
        )
    olds: list[str] = []
    each: dict[str, Recode] = {}
    for old in src.old:
        before = middle(old)
        if not isinstance(before, Carry) or before.old in olds:
            raise ChainError(
                f"{qid!r} merges {old!r}, which the step before merged, added or shares with "
                "another merged question: the two steps cannot be written as one crosswalk"
            )
        olds.append(before.old)
        recode = _then(before.recode, src.each.get(old, {}))
        if recode:
            each[before.old] = recode
    return attrs.evolve(src, old=tuple(olds), new=qid, each=each)


def _from_sources(
    a: Crosswalk,
    b: Crosswalk,
    composed: Mapping[str, Source],
    named: set[str],
    reasons: Mapping[str, str | None],
) -> Crosswalk:
    carries: dict[str, list[tuple[str, Recode]]] = {}
    merged: list[Merged] = []
    added: list[Added] = []
    used: set[str] = set()
    for qid, src in composed.items():
        if isinstance(src, Carry):
            carries.setdefault(src.old, []).append((qid, src.recode))
        elif isinstance(src, Merged):
            merged.append(src)
            for old in src.old:
                if old in used:
                    raise ChainError(f"{old!r} would feed two merges: not one crosswalk")
                used.add(old)
        else:
            state: Any = None if src.state is None else src.state.value
            added.append(Added(new=qid, state=state))
    renamed: list[Renamed] = []
    recoded: list[Recoded] = []
    split: list[Split] = []
    for old, targets in carries.items():
        if old in used:
            raise ChainError(f"{old!r} would feed a merge and another question: not one crosswalk")
        used.add(old)
        if len(targets) > 1:
            split.append(Split(old=old, into=tuple(Target(new=n, recode=r) for n, r in targets)))
            continue
        ((new, recode),) = targets
        if new != old:
            renamed.append(Renamed(old=old, new=new, recode=recode))
        elif recode:
            recoded.append(Recoded(question=old, recode=recode))
        else:
            # carried as it is: said by not naming it
            used.discard(old)
    dropped = [
        Dropped(old=old, reason=reasons.get(old))
        for old in sorted(named - used)
        if composed.get(old) != Carry(old, {})
    ]
    return Crosswalk(
        instrument=a.instrument,
        from_version=a.from_version,
        to_version=b.to_version,
        description=_joined(a.description, b.description),
        renamed=tuple(renamed),
        recoded=tuple(recoded),
        split=tuple(split),
        merged=tuple(merged),
        dropped=tuple(dropped),
        added=tuple(added),
    )


def _joined(first: str | None, second: str | None) -> str | None:
    return " ".join(d for d in (first, second) if d) or None


def _then(first: Recode, second: Recode) -> dict[str, AnswerValue | None]:
    """The recode doing *first*, then *second*."""
    out: dict[str, AnswerValue | None] = {}
    for key, value in first.items():
        out[key] = None if value is None else apply_recode(second, value)
    for key, value in second.items():
        out.setdefault(key, value)
    # an entry mapping a value onto itself says nothing: left out, so equal recodes compare equal
    return {k: v for k, v in out.items() if v is None or answer_key(v) != k}
