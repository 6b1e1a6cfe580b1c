"""Reading an XLSForm workbook: the questionnaire and the report of what came across.

pyxform reads the form (types, names, labels per language, groups, choice lists with their extra
columns); openpyxl reads the same sheets for the place of every cell, so that each problem and
finding names its sheet, row and column. Groups are dimensions; questions outside any group form
a dimension named after the form. ``relevant`` becomes ``when``; a ``calculate`` that adds up
answers becomes the total of the dimension holding exactly those questions (or of a new child
dimension of them); a ``calculate`` of nested ``if()`` on such a total becomes bands on its
points. ``coalesce(${q}, 0)`` in a total says that a question not asked counts 0 points: the WFP
pattern, where a gate answered "no" makes its follow-up a structural zero (``otherwise``).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import attrs

from weltoffen.exceptions import DefinitionError, Problem, ProblemCode
from weltoffen.interop.bands import ClosedRange, bands_from_ranges
from weltoffen.interop.expressions import (
    Binary,
    Call,
    ExpressionError,
    Field,
    Node,
    Number,
    String,
    Unary,
    parse,
)
from weltoffen.interop.redcap.flags import attainable_totals, holds
from weltoffen.interop.registry import Source
from weltoffen.interop.report import Imported, ReportBuilder
from weltoffen.interop.translate import (
    Kind,
    LinearTotal,
    Refs,
    Target,
    Unsupported,
    canonical,
    to_condition,
    to_total,
)
from weltoffen.interop.xlsform.embedded import embedded
from weltoffen.interop.xlsform.languages import code_of
from weltoffen.interop.xlsform.points import STATE_CHOICES, ListPoints, list_points
from weltoffen.interop.xlsform.sheets import Cell, Row, Workbook, read_workbook
from weltoffen.interop.xlsform.texts import plain_text
from weltoffen.model.conditions import AllOf, Compare, Condition
from weltoffen.model.dimensions import Band, Dimension, Policies
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    Choice,
    Linear,
    MultipleChoice,
    Numeric,
    Option,
    Question,
    TextQuestion,
    YesNo,
)
from weltoffen.scoring.check import check_questionnaire
from weltoffen.strategies import SumOfPoints, Zero

__all__ = ["read_questionnaire"]

#: pyxform's type names of the questions weltoffen reads, and what they are to expressions.
_KINDS: Mapping[str, Kind] = {
    "select one": "choice",
    "select all that apply": "multiple",
    "integer": "numeric",
    "decimal": "numeric",
    "text": "text",
}

#: Types that only record facts about the submission (pyxform adds some itself).
_META = frozenset(
    {"start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username"}
    | {"email", "audit", "start-geopoint", "background-audio"}
)

#: What a structural zero is called where the list has no choice worth 0 points.
NOT_ASKED = "not asked"


@attrs.define
class _Node:
    """A dimension while the tree is being shaped."""

    id: str
    title: dict[str, str]
    row: Row | None
    questions: list[str] = attrs.Factory(list)
    children: list[_Node] = attrs.Factory(list)
    relevant: Cell | None = None
    when: Condition | None = None
    total: LinearTotal | None = None
    total_name: str | None = None
    bands: tuple[Band, ...] = ()


@attrs.define
class _Item:
    """A question while it is being read."""

    question: Question
    kind: Kind
    row: Row | None
    codes: dict[str, Any]


def read_questionnaire(source: Source) -> Imported:
    """The questionnaire an XLSForm workbook describes, with the import report.

    Raises:
        DefinitionError: The file is unreadable, no XLSForm, pyxform is missing, or the form is
            malformed (an expression that is no XPath, bad points): every problem at once, each
            naming the sheet, row and column.
    """
    path = os.fspath(source)
    book = read_workbook(path)
    data = _pyxform(path)
    notes = ReportBuilder("xlsform", os.path.basename(path))
    return _Reader(book, data, notes).read()


def _pyxform(path: str) -> dict[str, Any]:
    try:
        # imported by name: pyxform ships no type information
        errors: Any = importlib.import_module("pyxform.errors")
        xls2json: Any = importlib.import_module("pyxform.xls2json")
    except ImportError:  # the optional extra is missing
        raise DefinitionError(
            [
                Problem(
                    ProblemCode.MISSING_DEPENDENCY,
                    "reading XLSForm workbooks needs pyxform",
                    expected="pip install 'weltoffen[xlsform]'",
                    file=path,
                )
            ]
        ) from None
    try:
        data: dict[str, Any] = xls2json.parse_file_to_json(path)
    except errors.PyXFormError as error:
        raise DefinitionError(
            [Problem(ProblemCode.BAD_SYNTAX, f"pyxform refuses the form: {error}", file=path)]
        ) from None
    return data


class _Reader:
    def __init__(self, book: Workbook, data: Mapping[str, Any], notes: ReportBuilder) -> None:
        self.book = book
        self.data = data
        self.notes = notes
        self.problems: list[Problem] = []
        self.rows = {r.get("name"): r for r in book.rows("survey") if r.get("name")}
        settings = book.rows("settings")
        self.settings: Row | None = settings[0] if settings else None
        self.language = code_of(str(data.get("default_language") or ""), "en")
        self.items: dict[str, _Item] = {}
        self.calcs: dict[str, str] = {}
        self.parsed: dict[str, Node] = {}
        self.points: dict[str, ListPoints] = {}

    # -- the whole ---------------------------------------------------------------------------

    def read(self) -> Imported:
        self.points = list_points(
            self.data.get("choices") or {}, self.book, self.notes, self.problems
        )
        form_id = str(self.data.get("id_string") or _stem(self.book.path))
        root = _Node(id=form_id, title=self._texts(self.data.get("title")), row=None)
        top: list[_Node] = [root]
        self._walk(self.data.get("children") or [], root, top)
        self._parse_all()
        if self.problems:
            raise DefinitionError(self.problems)
        form = {
            name: (*item.codes, *item.question.missing_codes) for name, item in self.items.items()
        }
        kept = embedded(self.book, form, self.notes)
        if kept is not None:
            return Imported(questionnaire=kept, report=self.notes.report())
        refs = self._refs()
        self._constraints(refs)
        self._conditions(refs, top)
        bands = self._calculations(refs, top)
        forms = [n for n in top if self._scores(n)]
        for node in top:
            if node not in forms and (node.questions or node.children):
                self._merge_into(node, forms, root)
        if not forms:
            raise DefinitionError(
                [
                    Problem(
                        ProblemCode.CANNOT_SCORE,
                        "the form has nothing to score: no choice list has points (a 'points' "
                        "column or numeric names) and no calculate adds up numbers",
                        file=self.book.path,
                        hint="add a 'points' column to the choices sheet",
                    )
                ]
            )
        dimensions = tuple(self._dimension(n) for n in forms)
        single = len(dimensions) == 1 and isinstance(dimensions[0].aggregation, SumOfPoints)
        root_settings: dict[str, Any] = {}
        if single:
            root_settings = {"aggregation": SumOfPoints(), "scoring": dimensions[0].scoring}
            if bands:
                root_settings |= {"bands": bands, "bands_on": "points"}
        questionnaire = Questionnaire(
            id=form_id,
            version=self._setting("version") or "1",
            language=self.language,
            title=self._texts(self.data.get("title")) or {self.language: form_id},
            dimensions=dimensions,
            **root_settings,
        )
        problems = check_questionnaire(questionnaire)
        if problems:
            raise DefinitionError([attrs.evolve(p, file=self.book.path) for p in problems])
        return Imported(questionnaire=questionnaire, report=self.notes.report())

    def _setting(self, name: str) -> str:
        return self.settings.get(name) if self.settings is not None else ""

    def _texts(self, value: object) -> dict[str, str]:
        if isinstance(value, Mapping):
            return {
                code_of(str(k), self.language): plain_text(str(v)) for k, v in value.items() if v
            }
        return {self.language: plain_text(str(value))} if value else {}

    def _where(self, name: str, header: str | None = None) -> dict[str, Any]:
        row = self.rows.get(name)
        where: dict[str, Any] = {"source_id": name, "location": ("survey", name)}
        if row is not None:
            where["line"] = row.number
            cell = row.cell(header) if header else None
            if cell is not None:
                where["location"] = ("survey", name, header)
        return where

    # -- the survey sheet --------------------------------------------------------------------

    def _walk(self, children: Sequence[Mapping[str, Any]], node: _Node, top: list[_Node]) -> None:
        for child in children:
            kind = str(child.get("type", ""))
            name = str(child.get("name", ""))
            where = self._where(name)
            if kind == "group" and name == "meta" and child.get("control", {}).get("bodyless"):
                continue  # pyxform's own instanceID
            if kind == "group":
                group = _Node(
                    id=name, title=self._texts(child.get("label")), row=self.rows.get(name)
                )
                group.relevant = self._cell(name, "relevant")
                # a group at the top of the form is a dimension of its own
                (top if node is top[0] else node.children).append(group)
                self.notes.exact("group", "a dimension", **where)
                self._walk(child.get("children") or [], group, top)
                continue
            if kind == "repeat":
                self.notes.dropped(
                    "repeat",
                    "a repeated group and everything in it are not imported",
                    hint="weltoffen scores one set of answers per response",
                    **where,
                )
                continue
            if kind == "note":
                self.notes.exact("note", "a text shown to the respondent; not a question", **where)
                continue
            if kind == "calculate":
                self.calcs[name] = str(child.get("bind", {}).get("calculate", ""))
                continue
            if kind in _META:
                self.notes.dropped("metadata", f"{kind} is recorded by ODK, not asked", **where)
                continue
            if kind not in _KINDS:
                self.notes.dropped(
                    "question", f"type {kind!r} is not imported", hint="leave it out", **where
                )
                continue
            item = self._item(child, _KINDS[kind], where)
            if item is not None:
                self.items[name] = item
                node.questions.append(name)

    def _item(self, child: Mapping[str, Any], kind: Kind, where: dict[str, Any]) -> _Item | None:
        name = str(child["name"])
        base: dict[str, Any] = {
            "id": name,
            "text": self._texts(child.get("label")),
            "help": self._texts(child.get("hint")),
        }
        bind = child.get("bind") or {}
        if str(bind.get("required", "")).strip().lower() in ("yes", "true", "true()"):
            self.notes.dropped(
                "required",
                "required in ODK; weltoffen lets any question be skipped (its policies decide)",
                **where,
            )
        if kind == "text":
            self.notes.exact("question", "a text question (never scored)", **where)
            return _Item(TextQuestion(**base), kind, self.rows.get(name), {})
        if kind == "numeric":
            integer = child.get("type") == "integer"
            self.notes.exact(
                "question", "a number question (scored where a total counts it)", **where
            )
            return _Item(
                Numeric(integer=integer, scored=False, **base), kind, self.rows.get(name), {}
            )
        list_name = str(child.get("list_name") or "")
        choices = child.get("choices")
        if not isinstance(choices, list):
            self.notes.dropped(
                "question",
                f"its choices come from {child.get('itemset')!r}, outside the workbook: "
                "not imported",
                **where,
            )
            return None
        given = self.points.get(list_name, ListPoints(None, "none")).points
        states = [STATE_CHOICES[c["name"]] for c in choices if c["name"] in STATE_CHOICES]
        for state in states:
            base[state] = True
            base["missing_codes"] = {**base.get("missing_codes", {}), state: state}
            self.notes.exact(
                "choice", f"the choice {state!r} is the answer state {state!r}", **where
            )
        options = tuple(
            Option(
                value=str(c["name"]),
                label=self._texts(c.get("label")),
                points=given.get(str(c["name"]), 0.0) if given else 0.0,
            )
            for c in choices
            if c["name"] not in STATE_CHOICES
        )
        codes: dict[str, Any] = {o.value: o.value for o in options}
        scored = given is not None
        if kind == "choice" and sorted(codes) == ["no", "yes"]:
            # a yes/no list: answered True/False, as weltoffen's yes/no questions are
            points = {o.value: o.points for o in options}
            yes_no = YesNo(
                yes_points=points["yes"] if scored else 1.0,
                no_points=points["no"] if scored else 0.0,
                scored=scored,
                **base,
            )
            self.notes.exact("question", "a yes/no question (choices 'yes' and 'no')", **where)
            answers = {o.value: o.value == "yes" for o in options}  # in the list's order
            return _Item(yes_no, "yes_no", self.rows.get(name), answers)
        if kind == "multiple":
            question: Question = MultipleChoice(
                options=options, method="sum", scored=scored, **base
            )
            self.notes.exact("question", "a multiple choice; ticked points add up", **where)
        else:
            question = Choice(options=options, scored=scored, **base)
            self.notes.exact("question", "a single choice", **where)
        if child.get("choice_filter"):
            self.notes.dropped(
                "choice_filter", "every choice is offered (the filter is not kept)", **where
            )
        return _Item(question, kind, self.rows.get(name), codes)

    def _cell(self, name: str, header: str) -> Cell | None:
        row = self.rows.get(name)
        if row is None:
            return None
        return row.cell(header) or (row.cell("calculation") if header == "calculate" else None)

    # -- expressions -------------------------------------------------------------------------

    def _parse(self, cell: Cell | None, text: str) -> Node | None:
        try:
            return parse(text, "xpath")
        except ExpressionError as error:
            where = f" ({cell.where()})" if cell is not None else ""
            hint = None
            if any(q in text for q in "\u2018\u2019\u201c\u201d"):
                hint = "replace typographic quotes (‘ ’ “ ”) with straight ones (' \")"
            self.problems.append(
                Problem(
                    ProblemCode.BAD_SYNTAX,
                    f"{error.message} at character {error.offset + 1} of {text!r}{where}",
                    location=("survey", cell.header) if cell is not None else ("survey",),
                    hint=hint,
                    file=self.book.path,
                    line=cell.row if cell is not None else None,
                    cell=cell.ref if cell is not None else None,
                )
            )
            return None

    def _parse_all(self) -> None:
        """Read every expression first, so that all syntax errors come at once."""
        for name, row in self.rows.items():
            for header in ("relevant", "constraint", "calculation"):
                cell = row.cell(header)
                if cell is None or not cell.text.strip():
                    continue
                node = self._parse(cell, cell.text)
                if node is not None:
                    self.parsed[f"{name}:{header}"] = node
        for name, text in self.calcs.items():
            if f"{name}:calculation" not in self.parsed and text.strip():
                node = self._parse(self._cell(name, "calculation"), text)
                if node is not None:
                    self.parsed[f"{name}:calculation"] = node

    def _refs(self, itself: str | None = None) -> Refs:
        targets = {
            name: Target(question=name, kind=item.kind, codes=item.codes)
            for name, item in self.items.items()
        }
        if itself is not None:
            targets["."] = targets[itself]
        bindings = {
            name: self.parsed[f"{name}:calculation"]
            for name in self.calcs
            if f"{name}:calculation" in self.parsed
        }
        return Refs(targets=targets, bindings=bindings)

    def _constraints(self, refs: Refs) -> None:
        for name, item in self.items.items():
            node = self.parsed.get(f"{name}:constraint")
            question = item.question
            if node is None:
                continue
            where = self._where(name, "constraint")
            bounds = (
                _range(to_condition(node, self._refs(name))) if item.kind == "numeric" else None
            )
            if bounds is None or not isinstance(question, Numeric):
                self.notes.dropped(
                    "constraint",
                    "only a constant range of a number question is kept",
                    hint="ODK still checks it; weltoffen does not",
                    **where,
                )
                continue
            low, high = bounds
            scoring: dict[str, Any] = {"minimum": low, "maximum": high}
            if low is not None and high is not None and low < high:
                # the instrument's own number is the points (days, counts): v - low, 0 at low
                # scored only where a total counts it (see _total)
                scoring["linear"] = Linear(low=low, high=high, points=high - low)
            item.question = attrs.evolve(question, **scoring)
            self.notes.exact(
                "constraint",
                "the range of the answer"
                + ("; a total may count its value" if "linear" in scoring else ""),
                **where,
            )

    def _conditions(self, refs: Refs, top: Sequence[_Node]) -> None:
        for name, item in self.items.items():
            got = self._condition(name, refs)
            if got is not None:
                item.question = attrs.evolve(item.question, when=got)
        for node in _all(top):
            if node.relevant is not None:
                node.when = self._condition(node.id, refs)

    def _condition(self, name: str, refs: Refs) -> Condition | None:
        node = self.parsed.get(f"{name}:relevant")
        if node is None:
            return None
        where = self._where(name, "relevant")
        got = to_condition(node, refs)
        if isinstance(got, Unsupported):
            self.notes.dropped(
                "relevant",
                f"{got.reason}; always shown instead",
                column=got.span[0] + 1,
                hint="add the condition by hand as 'when' if it matters for scoring",
                **where,
            )
            return None
        self.notes.exact("relevant", "the condition under which it is asked", **where)
        return got

    # -- calculations ------------------------------------------------------------------------

    def _calculations(self, refs: Refs, top: list[_Node]) -> tuple[Band, ...]:
        """Totals onto dimensions, then categories onto their bands; the questionnaire's bands
        (a second category of the only dimension's total) are returned."""
        totals: dict[str, _Node] = {}
        categories: list[tuple[str, Node]] = []
        for name in self.calcs:
            node = self.parsed.get(f"{name}:calculation")
            where = self._where(name, "calculation")
            if node is None:
                self.notes.dropped("calculate", "empty; not imported", **where)
                continue
            if _category(node) is not None:
                categories.append((name, node))
                continue
            total = to_total(node, refs)
            if isinstance(total, Unsupported):
                self.notes.dropped(
                    "calculate",
                    f"{total.reason}; not imported",
                    column=total.span[0] + 1,
                    hint="only sums of answers (times constants) become totals",
                    **where,
                )
                continue
            holder = self._total(name, total, node, top, where)
            if holder is not None:
                totals[name] = holder
        overall: tuple[Band, ...] = ()
        for name, node in categories:
            got = self._category(name, node, totals, top)
            if got:
                overall = got
        return overall

    def _total(
        self, name: str, total: LinearTotal, node: Node, top: list[_Node], where: dict[str, Any]
    ) -> _Node | None:
        problem = None
        if total.constant:
            problem = f"adds the constant {total.constant:g}"
        for term in total.terms:
            item = self.items[term.question]
            if term.coefficient <= 0:
                problem = f"counts {term.question!r} {term.coefficient:g} times"
            elif term.measure == "points" and not _countable(item.question):
                problem = f"adds {term.question!r}, which has no points"
        items = {t.question for t in total.terms}
        counted = lambda q: q in items or self.items[q].question.scored  # noqa: E731
        found = None if problem else _holder(top, items, counted)
        if problem is None and found is None:
            problem = "adds questions of several groups"
        if problem is not None or found is None:
            self.notes.dropped("calculate", f"{problem}: not imported as a total", **where)
            return None
        holder, exact = found
        if holder.total is not None:
            exact = False
        if not exact:
            child = _Node(id=name, title={self.language: name}, row=self.rows.get(name))
            child.questions = [q for q in holder.questions if q in items]
            holder.questions = [q for q in holder.questions if q not in items]
            holder.children.insert(0, child)
            holder = child
        holder.total, holder.total_name = total, name
        for term in total.terms:
            item = self.items[term.question]
            question = item.question
            if term.measure == "ticked" and isinstance(question, MultipleChoice):
                options = tuple(attrs.evolve(o, points=term.coefficient) for o in question.options)
                item.question = attrs.evolve(question, options=options, scored=True)
            else:
                item.question = attrs.evolve(question, weight=term.coefficient, scored=True)
        zeros = self._structural_zeros(node, items)
        self.notes.exact(
            "calculate",
            f"the total of dimension {holder.id!r}: points added up"
            + (" with weights" if any(t.coefficient != 1 for t in total.terms) else "")
            + (
                ", none unless every question is answered"
                if total.defined == "all_answered"
                else ", a blank adds nothing"
            )
            + (f"; not asked counts 0 for {', '.join(zeros)}" if zeros else ""),
            **where,
        )
        hidden = [q for q in items if self.items[q].question.when is not None and q not in zeros]
        if total.defined == "all_answered" and hidden:
            self.notes.approximated(
                "calculate",
                f"ODK gives no total while {', '.join(hidden)} is not relevant; weltoffen "
                "leaves the question out and still gives one",
                hint="write coalesce(${q}, 0) for a question that counts 0 when not asked",
                **where,
            )
        return holder

    def _structural_zeros(self, node: Node, items: set[str]) -> list[str]:
        """``coalesce(${q}, 0)`` of a question with a condition: not asked counts 0 points."""
        found: list[str] = []
        for call in _calls(node, "coalesce"):
            arg = call.args[0] if call.args else None
            if not isinstance(arg, Field) or arg.name not in items:
                continue
            item = self.items[arg.name]
            question = item.question
            if question.when is None or not isinstance(question, Choice | Numeric | YesNo):
                continue
            if isinstance(question, YesNo):
                if 0 not in (question.yes_points, question.no_points):
                    continue
                item.question = attrs.evolve(question, otherwise=question.yes_points == 0)
            elif isinstance(question, Numeric):
                value: Any = question.minimum if question.minimum is not None else 0
                item.question = attrs.evolve(question, otherwise=value)
            else:
                zero = next((o for o in question.options if o.points == 0), None)
                if zero is None:
                    zero = Option(value=_free(question.options), label={self.language: NOT_ASKED})
                    question = attrs.evolve(question, options=(zero, *question.options))
                    item.codes[zero.value] = zero.value
                item.question = attrs.evolve(question, otherwise=zero.value)
            found.append(arg.name)
        return found

    def _category(
        self, name: str, node: Node, totals: Mapping[str, _Node], top: Sequence[_Node]
    ) -> tuple[Band, ...]:
        where = self._where(name, "calculation")
        chain = _category(node)
        assert chain is not None
        total_name, steps, last = chain
        holder = totals.get(total_name)
        values = None if holder is None else _attainable(self._questions(holder))
        reason = None
        if holder is None:
            reason = f"{total_name!r} is no total weltoffen imported"
        elif values is None:
            reason = "the totals it can reach are too many to band"
        ranges: list[ClosedRange] = []
        if reason is None and values is not None:
            runs: list[tuple[str, list[float]]] = []
            for value in values:
                result = next((r for op, t, r in steps if holds(value, op, t)), last)
                if runs and runs[-1][0] == result:
                    runs[-1][1].append(value)
                else:
                    runs.append((result, [value]))
            ids = [r for r, _ in runs]
            if len(set(ids)) != len(ids):
                reason = "a category covers totals that are not next to each other"
            ranges = [
                ClosedRange(id=r, low=v[0], high=v[-1], label={self.language: f"{name} = {r}"})
                for r, v in runs
            ]
        bands: tuple[Band, ...] = ()
        if reason is None and values is not None:
            try:
                bands = bands_from_ranges(ranges, values)
            except ValueError as error:
                reason = str(error)
        if reason is not None or holder is None:
            self.notes.dropped(
                "calculate", f"categories of a total, not imported: {reason}", **where
            )
            return ()
        if not holder.bands:
            holder.bands = bands
            self.notes.exact(
                "calculate",
                f"bands on the points of dimension {holder.id!r} (edges half-way between "
                "attainable totals)",
                **where,
            )
            return ()
        if [n for n in top if self._scores(n)] == [holder]:
            self.notes.exact(
                "calculate",
                f"bands on the questionnaire's points (the total of {holder.id!r}, its only "
                "dimension), edges half-way between attainable totals",
                **where,
            )
            return bands
        self.notes.dropped(
            "calculate",
            f"dimension {holder.id!r} has bands from another category already; not imported",
            **where,
        )
        return ()

    # -- the tree ----------------------------------------------------------------------------

    def _scores(self, node: _Node) -> bool:
        return any(self.items[q].question.scored for q in node.questions) or any(
            self._scores(c) for c in node.children
        )

    def _merge_into(self, node: _Node, forms: list[_Node], root: _Node) -> None:
        """A group with nothing to score keeps its questions in the form's dimension."""
        target = root if root in forms else forms[0] if forms else None
        if target is None:
            return
        questions = [q for n in _all([node]) for q in n.questions]
        target.questions.extend(questions)
        if node is not root:
            self.notes.approximated(
                "group",
                f"group {node.id!r} has nothing to score: its questions stay, unscored, in "
                f"dimension {target.id!r}",
                **self._where(node.id),
            )

    def _questions(self, node: _Node) -> list[Question]:
        return [self.items[q].question for q in node.questions]

    def _dimension(self, node: _Node) -> Dimension:
        children = [c for c in node.children if self._scores(c)]
        for child in node.children:
            if child not in children:
                node.questions.extend(q for n in _all([child]) for q in n.questions)
        settings: dict[str, Any] = {}
        if node.total is not None:
            policies = (
                Policies(min_coverage=1.0)
                if node.total.defined == "all_answered"
                else Policies(dont_know=Zero(), skipped=Zero())
            )
            settings = {"aggregation": SumOfPoints(), "scoring": policies}
        if node.bands:
            settings |= {"bands": node.bands, "bands_on": "points"}
        return Dimension(
            id=node.id,
            title=node.title or {self.language: node.id},
            when=node.when,
            questions=tuple(self._questions(node)),
            dimensions=tuple(self._dimension(c) for c in children),
            **settings,
        )


def _countable(question: Question) -> bool:
    """Whether a total can count *question*: it has points, or is a number with a range."""
    if isinstance(question, Numeric):
        return question.linear is not None
    return question.scored


def _all(nodes: Sequence[_Node]) -> Iterator[_Node]:
    for node in nodes:
        yield node
        yield from _all(node.children)


def _holder(top: Sequence[_Node], items: set[str], scored: Any) -> tuple[_Node, bool] | None:
    """The node holding all of *items*, and whether they are all it scores."""
    for node in _all(top):
        own = set(node.questions)
        if items <= own:
            return node, {q for q in own if scored(q)} == items and not node.children
    return None


def _range(condition: Condition | Unsupported) -> tuple[float | None, float | None] | None:
    """The bounds a constraint such as ``. >= 0 and . <= 7`` puts on a number, or None."""
    parts = condition.conditions if isinstance(condition, AllOf) else (condition,)
    low: float | None = None
    high: float | None = None
    for part in parts:
        if not isinstance(part, Compare) or part.op in ("gt", "lt"):
            return None
        if part.op == "ge":
            low = part.value if low is None else max(low, part.value)
        else:
            high = part.value if high is None else min(high, part.value)
    return low, high


def _category(node: Node) -> tuple[str, list[tuple[str, float, str]], str] | None:
    """``if(${T} <= a, x, if(${T} <= b, y, z))``: T, the steps (op, threshold, result) and the
    last result; None for anything else."""
    steps: list[tuple[str, float, str]] = []
    total: str | None = None
    while isinstance(node, Call) and node.name == "if" and len(node.args) == 3:
        test, then, rest = node.args
        result = _result(then)
        if not isinstance(test, Binary) or test.op not in ("<", "<=", ">", ">=") or result is None:
            return None
        field, number = test.left, test.right
        if not isinstance(field, Field) or _number(number) is None:
            return None
        if total is not None and field.name != total:
            return None
        total = field.name
        steps.append((test.op, _number(number) or 0.0, result))
        node = rest
    last = _result(node)
    if total is None or last is None:
        return None
    return total, steps, last


def _result(node: Node) -> str | None:
    if isinstance(node, Number | String):
        return canonical(node.value)
    return None


def _number(node: Node) -> float | None:
    return float(node.value) if isinstance(node, Number) else None


def _calls(node: Node, name: str) -> Iterator[Call]:
    todo = [node]
    while todo:
        part = todo.pop()
        if isinstance(part, Call):
            if part.name == name:
                yield part
            todo.extend(part.args)
        elif isinstance(part, Binary):
            todo += [part.left, part.right]
        elif isinstance(part, Unary):
            todo.append(part.operand)


def _attainable(questions: Sequence[Question]) -> list[float] | None:
    """Every total the scored *questions* can give, number questions counted by their range."""
    totals = [0.0]
    for question in questions:
        if not question.scored:
            continue
        if isinstance(question, Numeric):
            values = _numeric_points(question)
        else:
            values = attainable_totals([question])
        if values is None:
            return None
        totals = sorted({round(t + v, 9) for t in totals for v in values})
        if len(totals) > 100_000:
            return None
    return totals


def _numeric_points(question: Numeric) -> list[float] | None:
    linear = question.linear
    if linear is None or not question.integer or question.minimum is None:
        return None
    if question.maximum is None or question.maximum - question.minimum > 1000:
        return None
    low, high = int(question.minimum), int(question.maximum)
    span = linear.high - linear.low
    return [
        question.weight * linear.points * min(1.0, max(0.0, (v - linear.low) / span))
        for v in range(low, high + 1)
    ]


def _free(options: Sequence[Option]) -> str:
    taken = {o.value for o in options}
    return next((c for c in ("0", "not_asked") if c not in taken), "_not_asked_")


def _stem(path: str) -> str:
    return os.path.splitext(os.path.basename(path))[0].strip() or "xlsform"
