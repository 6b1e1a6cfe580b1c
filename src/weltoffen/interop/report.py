"""The import report: what became of every construct of a foreign file.

An importer meets constructs (items, options, conditions, totals, ...) and records for each
whether it was imported exactly, approximated, or dropped, where it was in the source and what the
user can do about it. Nothing is dropped silently: a construct without a finding is a bug of the
importer. The report is plain data (``to_json``) and text (``summary`` and ``lines``).
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterable
from typing import Any

import attrs

from weltoffen.exceptions import render_location
from weltoffen.model.questionnaire import Questionnaire

__all__ = ["Fidelity", "Finding", "ImportReport", "Imported", "ReportBuilder"]


class Fidelity(str, enum.Enum):
    """How faithfully a construct of the source survives in weltoffen."""

    #: It means exactly the same in weltoffen.
    EXACT = "exact"
    #: It is imported with a different meaning in some cases; the message says which.
    APPROXIMATED = "approximated"
    #: It is not imported; the hint says what to do instead.
    DROPPED = "dropped"

    def __str__(self) -> str:
        return str(self.value)


def _location(steps: Iterable[str | int]) -> tuple[str | int, ...]:
    return tuple(steps)


@attrs.frozen(kw_only=True)
class Finding:
    """What became of one construct of the source.

    Attributes:
        fidelity: Exact, approximated or dropped.
        construct: The kind of construct, in the source format's words (``enableWhen``,
            ``calculatedExpression``, ``branching logic``, ``value labels``).
        message: What happened to it, without its location.
        location: Where it is inside the source, outermost first (a JSON path such as
            ``("item", 3, "enableWhen", 0)``; a column name of a table).
        source_id: The source's own name of the element (FHIR linkId, REDCap or SPSS variable).
        hint: What the user can do about it.
        line: The 1-based line of a text or table file, where known.
        column: The 1-based column (of a table, or the offset inside an expression).
    """

    fidelity: Fidelity = attrs.field(converter=Fidelity)
    construct: str
    message: str
    location: tuple[str | int, ...] = attrs.field(default=(), converter=_location)
    source_id: str | None = None
    hint: str | None = None
    line: int | None = None
    column: int | None = None

    def where(self) -> str:
        """The finding's place for people: the source id, the path, then line and column."""
        parts = []
        if self.source_id is not None:
            parts.append(repr(self.source_id))
        if self.location and self.location != (self.source_id,):  # a table's column says it once
            parts.append(render_location(self.location))
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        text = f"{self.fidelity}: {self.construct}"
        text += f" ({where})" if where else ""
        text += f": {self.message}"
        return text + (f"; {self.hint}" if self.hint else "")

    def to_json(self) -> dict[str, Any]:
        """The finding as JSON data (``None`` fields left out)."""
        data: dict[str, Any] = {
            "fidelity": self.fidelity.value,
            "construct": self.construct,
            "message": self.message,
            "location": list(self.location),
        }
        for name in ("source_id", "hint", "line", "column"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data


def _findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(findings)


@attrs.frozen(kw_only=True)
class ImportReport:
    """Every finding of one import, in the order the importer met the constructs.

    Attributes:
        format: The source format's name (``fhir``, ``redcap``, ...).
        source: The file read, where there was one.
        findings: One per construct met.
    """

    format: str
    source: str | None = None
    findings: tuple[Finding, ...] = attrs.field(default=(), converter=_findings)

    def count(self, fidelity: Fidelity) -> int:
        """How many constructs were imported with *fidelity*."""
        return sum(1 for f in self.findings if f.fidelity is fidelity)

    def of(self, fidelity: Fidelity) -> tuple[Finding, ...]:
        """The findings with *fidelity*, in order."""
        return tuple(f for f in self.findings if f.fidelity is fidelity)

    @property
    def complete(self) -> bool:
        """Whether every construct was imported exactly."""
        return all(f.fidelity is Fidelity.EXACT for f in self.findings)

    def summary(self) -> str:
        """One line: what was read and how much of it came across."""
        counts = Counter(f.fidelity for f in self.findings)
        source = f" {self.source}" if self.source else ""
        return (
            f"{self.format}{source}: {len(self.findings)} constructs, "
            f"{counts[Fidelity.EXACT]} exact, {counts[Fidelity.APPROXIMATED]} approximated, "
            f"{counts[Fidelity.DROPPED]} dropped"
        )

    def lines(self) -> list[str]:
        """One line per approximated or dropped construct, in order."""
        return [str(f) for f in self.findings if f.fidelity is not Fidelity.EXACT]

    def text(self) -> str:
        """The summary line followed by :meth:`lines`."""
        return "\n".join([self.summary(), *self.lines()])

    def to_json(self) -> dict[str, Any]:
        """The report as JSON data."""
        counts = Counter(f.fidelity.value for f in self.findings)
        return {
            "format": self.format,
            "source": self.source,
            "counts": {fidelity.value: counts[fidelity.value] for fidelity in Fidelity},
            "findings": [f.to_json() for f in self.findings],
        }


@attrs.frozen(kw_only=True)
class Imported:
    """A questionnaire read from a foreign format, with the report of what came across.

    Attributes:
        questionnaire: The questionnaire, ready to compile.
        report: What became of each construct of the source.
    """

    questionnaire: Questionnaire
    report: ImportReport


class ReportBuilder:
    """Collects findings while an importer reads; :meth:`report` freezes them."""

    def __init__(self, format: str, source: str | None = None) -> None:
        self.format = format
        self.source = source
        self._findings: list[Finding] = []

    def add(self, fidelity: Fidelity, construct: str, message: str, **where: Any) -> None:
        """Record a finding (``location``, ``source_id``, ``hint``, ``line``, ``column``)."""
        self._findings.append(
            Finding(fidelity=fidelity, construct=construct, message=message, **where)
        )

    def exact(self, construct: str, message: str, **where: Any) -> None:
        """Record a construct imported exactly."""
        self.add(Fidelity.EXACT, construct, message, **where)

    def approximated(self, construct: str, message: str, **where: Any) -> None:
        """Record a construct imported with a different meaning in some cases."""
        self.add(Fidelity.APPROXIMATED, construct, message, **where)

    def dropped(self, construct: str, message: str, **where: Any) -> None:
        """Record a construct not imported (give a ``hint``)."""
        self.add(Fidelity.DROPPED, construct, message, **where)

    def report(self) -> ImportReport:
        """The findings so far, frozen."""
        return ImportReport(format=self.format, source=self.source, findings=self._findings)
