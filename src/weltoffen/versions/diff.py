"""What changed between two versions of a questionnaire, and whether it changes scores.

Items that carry an identity (questions, dimensions, options, bands, scales, metadata fields)
are matched by it, so a question moved, reworded or given new points is one change, not a
removal and an addition. A change *affects scores* exactly when it touches what enters the
:func:`~weltoffen.versions.fingerprint.fingerprint`: two questionnaires differ in a change that
affects scores if and only if their fingerprints differ.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs

from weltoffen.versions.fingerprint import (
    PRESENTATION,
    Keyed,
    definition_tree,
    plain_tree,
    used_scales,
)

if TYPE_CHECKING:
    from weltoffen.model.questionnaire import Questionnaire

__all__ = ["Change", "ChangeKind", "Diff", "diff"]

ChangeKind = Literal["added", "removed", "changed"]

#: The subject a field (or a list of items under it) makes of the changes inside it; the deepest
#: field named here decides (an option's ``points`` are "points", its ``label`` "text").
_SUBJECTS = {
    "questions": "question",
    "dimensions": "dimension",
    "options": "option",
    "scales": "scale",
    "metadata": "metadata",
    "bands": "band",
    "thresholds": "points",
    "linear": "points",
    "points": "points",
    "yes_points": "points",
    "no_points": "points",
    "reverse": "points",
    "weight": "weight",
    "when": "condition",
    "otherwise": "condition",
    "weighting": "strategy",
    "aggregation": "strategy",
    "scoring": "policy",
    "missing_codes": "missing code",
    "suggestions": "suggestion",
    "title": "text",
    "description": "text",
    "text": "text",
    "help": "text",
    "label": "text",
    "feedback": "text",
    "unit": "text",
    "version": "version",
    "language": "language",
}


@attrs.frozen
class Change:
    """One difference between two versions.

    Attributes:
        kind: ``added``, ``removed`` or ``changed``.
        subject: What it is about: ``question``, ``option``, ``points``, ``weight``,
            ``condition``, ``band``, ``dimension``, ``strategy``, ``policy``, ``scale``,
            ``missing code``, ``text``, ``suggestion``, ``metadata``, ``order`` or ``setting``.
        path: Where, as field names and the ids of items (``("dimensions", "d1", "questions",
            "q2", "options", "yes", "points")``).
        old: The value before (``None`` for an addition), as plain data.
        new: The value after (``None`` for a removal), as plain data.
        affects_scores: Whether the change can change a score (see the fingerprint).
    """

    kind: ChangeKind
    subject: str
    path: tuple[str, ...]
    old: object
    new: object
    affects_scores: bool

    def to_json(self) -> dict[str, object]:
        """The change as JSON data."""
        return {
            "kind": self.kind,
            "subject": self.subject,
            "path": list(self.path),
            "old": self.old,
            "new": self.new,
            "affects_scores": self.affects_scores,
        }


@attrs.frozen
class Diff:
    """The changes from one version of a questionnaire to another, in document order.

    Attributes:
        old: ``(id, version, fingerprint)`` of the old questionnaire.
        new: The same of the new one.
        changes: Every difference found.
    """

    old: tuple[str, str, str]
    new: tuple[str, str, str]
    changes: tuple[Change, ...]

    @property
    def affects_scores(self) -> bool:
        """Whether some change can change a score."""
        return any(change.affects_scores for change in self.changes)

    def to_json(self) -> dict[str, object]:
        """The diff as JSON data (what ``weltoffen diff --format json`` prints)."""
        return {
            "old": dict(zip(("instrument", "version", "fingerprint"), self.old, strict=True)),
            "new": dict(zip(("instrument", "version", "fingerprint"), self.new, strict=True)),
            "affects_scores": self.affects_scores,
            "changes": [change.to_json() for change in self.changes],
        }


def diff(old: Questionnaire, new: Questionnaire) -> Diff:
    """The changes that turn *old* into *new*, each classified as affecting scores or not."""
    from weltoffen.versions.fingerprint import fingerprint

    old_tree, new_tree = definition_tree(old), definition_tree(new)
    used = used_scales(old_tree) | used_scales(new_tree)
    walk = _Walk(used)
    changes = tuple(walk.node(old_tree, new_tree, (), "setting", affects=True, top=True))
    return Diff(
        old=(old.id, old.version, fingerprint(old)),
        new=(new.id, new.version, fingerprint(new)),
        changes=changes,
    )


@attrs.frozen
class _Walk:
    used: set[str]

    def node(
        self,
        old: Any,
        new: Any,
        path: tuple[str, ...],
        subject: str,
        *,
        affects: bool,
        top: bool = False,
    ) -> Iterator[Change]:
        if isinstance(old, list) and not old and isinstance(new, Keyed):
            old = Keyed((), {})
        if isinstance(new, list) and not new and isinstance(old, Keyed):
            new = Keyed((), {})
        if isinstance(old, Keyed) and isinstance(new, Keyed):
            yield from self.items(old, new, path, subject, affects=affects)
        elif (
            isinstance(old, dict) and isinstance(new, dict) and old.get("@kind") == new.get("@kind")
        ):
            for name in [*old, *(n for n in new if n not in old)]:
                if name == "@kind":
                    continue
                inner = _SUBJECTS.get(name, subject)
                still = affects and not _presentation(name, old.get(name, new.get(name)), top)
                where = (*path, name)
                if name not in new:  # a translation or a setting left out
                    yield Change("removed", inner, where, plain_tree(old[name]), None, still)
                elif name not in old:
                    yield Change("added", inner, where, None, plain_tree(new[name]), still)
                else:
                    yield from self.node(old[name], new[name], where, inner, affects=still)
        elif old != new:
            yield Change("changed", subject, path, plain_tree(old), plain_tree(new), affects)

    def items(
        self, old: Keyed, new: Keyed, path: tuple[str, ...], subject: str, *, affects: bool
    ) -> Iterator[Change]:
        scales = path == ("scales",)

        def counts(key: str) -> bool:
            # an unused scale decides no score; one used before or after does
            return affects and (not scales or key in self.used)

        for key in old.order:
            if key not in new.items:
                yield Change(
                    "removed", subject, (*path, key), plain_tree(old.items[key]), None, counts(key)
                )
        for key in new.order:
            if key not in old.items:
                yield Change(
                    "added", subject, (*path, key), None, plain_tree(new.items[key]), counts(key)
                )
            else:
                yield from self.node(
                    old.items[key], new.items[key], (*path, key), subject, affects=counts(key)
                )
        kept_old = [key for key in old.order if key in new.items]
        kept_new = [key for key in new.order if key in old.items]
        if kept_old != kept_new:
            # the order of scales matters only among those in use
            moved = not scales or [k for k in kept_old if k in self.used] != [
                k for k in kept_new if k in self.used
            ]
            yield Change("changed", "order", path, kept_old, kept_new, affects and moved)


def _presentation(name: str, value: object, top: bool) -> bool:
    """Whether field *name* (holding *value*) never affects a score."""
    from weltoffen.versions.fingerprint import TEXT_FIELDS

    if top and name in PRESENTATION:
        return True
    return name == "suggestions" or (name in TEXT_FIELDS and isinstance(value, Mapping))
