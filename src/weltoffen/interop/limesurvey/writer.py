"""Writing a questionnaire as a LimeSurvey survey structure (``.lss``, DBVersion 491 layout).

Every dimension holding questions becomes a question group; choices and scales become lists
(``L``) whose answers carry the option points as ``assessment_value``, yes/no a list of ``Y``
and ``N``, multiple choice ``M`` (a tick is worth the question's ``assessment_value``), numbers
``N`` and free text ``T``; conditions become relevance equations and bands become assessments. What
LimeSurvey's tables cannot say (weights, strategies, scores on 0..100, don't know) is listed by
:func:`export_notes`; the whole questionnaire also travels, as weltoffen's own JSON, in the
attribute ``weltoffen`` of a hidden text display ``weltoffen``, from which it reads back whole.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence

import attrs

from weltoffen.interop.limesurvey.assessments import MAX_TOTALS
from weltoffen.interop.limesurvey.naming import codes, titles
from weltoffen.interop.limesurvey.reader import NO_ANSWER, SETTINGS_ATTRIBUTE
from weltoffen.interop.registry import Source
from weltoffen.model.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Equals,
    Includes,
    Not,
)
from weltoffen.model.dimensions import Band, Dimension
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    MultipleChoice,
    Numeric,
    Option,
    Question,
    ScaleQuestion,
    TextQuestion,
    YesNo,
)
from weltoffen.scoring.answers import option_key, yes_no
from weltoffen.serialization.api import dump_questionnaire, write_text
from weltoffen.strategies import SumOfPoints, Zero

__all__ = [
    "DONT_KNOW",
    "NOT_APPLICABLE",
    "SETTINGS",
    "answer_codes",
    "export_notes",
    "lss_text",
    "options_of",
    "write_questionnaire",
]

#: The question (and attribute) that carries the questionnaire in weltoffen's own format.
SETTINGS = "weltoffen"
#: Answer codes of the states a question offers beside its options.
DONT_KNOW = "DK"
NOT_APPLICABLE = "NA"
SURVEY_ID = 100001
DB_VERSION = 491

_OPS = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}
_DONT_KNOW_LABEL = {"de": "weiß nicht", "en": "don't know"}
_NOT_APPLICABLE_LABEL = {"de": "trifft nicht zu", "en": "not applicable"}


def write_questionnaire(questionnaire: Questionnaire, target: Source) -> None:
    """Write *questionnaire* as an ``.lss`` file LimeSurvey imports (whole or not at all)."""
    write_text(target, lss_text(questionnaire))


def lss_text(questionnaire: Questionnaire, *, settings: bool = True) -> str:
    """The ``.lss`` document of *questionnaire*; without *settings*, LimeSurvey's tables only."""
    return _Writer(questionnaire, settings=settings).text()


def export_notes(questionnaire: Questionnaire) -> list[str]:
    """What LimeSurvey's own tables say differently from *questionnaire* (the settings question
    still carries it whole)."""
    writer = _Writer(questionnaire)
    writer.text()
    return list(dict.fromkeys(writer.notes))


def answer_codes(question: Question, options: Sequence[Option]) -> dict[str, str]:
    """Option values -> the answer (or subquestion) codes the survey gives them."""
    if isinstance(question, YesNo):
        return {"yes": "Y", "no": "N"}
    values = [o.value for o in options if o.value != NO_ANSWER]
    reserved = [DONT_KNOW, NOT_APPLICABLE] if not isinstance(question, MultipleChoice) else []
    return codes(values, reserved)


def options_of(question: Question, scales: Mapping[str, Sequence[Option]]) -> list[Option]:
    """The options of *question* with the points they earn (reverse keying applied); yes/no as
    the options ``yes`` and ``no``."""
    if isinstance(question, YesNo):
        return [
            Option(value="yes", label={"de": "ja", "en": "yes"}, points=question.yes_points),
            Option(value="no", label={"de": "nein", "en": "no"}, points=question.no_points),
        ]
    if isinstance(question, ScaleQuestion):
        options = list(scales.get(question.scale or "", question.options))
        if question.reverse:
            low = min(o.points for o in options)
            high = max(o.points for o in options)
            options = [attrs.evolve(o, points=low + high - o.points) for o in options]
        return options
    return list(getattr(question, "options", ()))


#: Characters XML 1.0 cannot hold at all, not even in CDATA (the settings keep them, escaped).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _cdata(text: str) -> str:
    text = _NOT_XML.sub("", text)
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@attrs.define
class _Table:
    name: str
    fields: tuple[str, ...]
    rows: list[dict[str, str]] = attrs.Factory(list)

    def add(self, **cells: object) -> None:
        self.rows.append({k: "" if v is None else str(v) for k, v in cells.items()})

    def xml(self) -> Iterator[str]:
        yield f" <{self.name}>"
        yield "  <fields>"
        for field in self.fields:
            yield f"   <fieldname>{field}</fieldname>"
        yield "  </fields>"
        yield "  <rows>"
        for row in self.rows:
            yield "   <row>"
            for field in self.fields:
                yield f"    <{field}>{_cdata(row.get(field, ''))}</{field}>"
            yield "   </row>"
        yield "  </rows>"
        yield f" </{self.name}>"


_QUESTION_FIELDS = (
    "qid", "parent_qid", "sid", "gid", "type", "title", "preg", "other", "mandatory",
    "encrypted", "question_order", "scale_id", "same_default", "relevance",
    "question_theme_name", "modulename", "same_script",
)  # fmt: skip
_THEMES = {"L": "listradio", "M": "multiplechoice", "N": "numerical", "T": "longfreetext"}


class _Writer:
    def __init__(self, questionnaire: Questionnaire, *, settings: bool = True) -> None:
        self.q = questionnaire
        self.settings = settings
        self.notes: list[str] = []
        self.titles = titles(questionnaire)
        self.scales = {s.id: s.options for s in questionnaire.scales}
        self.languages = self._languages()
        self.questions = {question.id: question for _, question in questionnaire.iter_questions()}
        self.ids = {"gid": 0, "qid": 0, "aid": 0, "l10n": 0, "assessment": 0}
        self.t = {
            "answers": _Table(
                "answers", ("aid", "qid", "code", "sortorder", "assessment_value", "scale_id")
            ),
            "answer_l10ns": _Table("answer_l10ns", ("id", "aid", "answer", "language")),
            "assessments": _Table(
                "assessments",
                ("id", "sid", "scope", "gid", "name", "minimum", "maximum", "message", "language"),
            ),
            "groups": _Table(
                "groups", ("gid", "sid", "group_order", "randomization_group", "grelevance")
            ),
            "group_l10ns": _Table(
                "group_l10ns", ("id", "gid", "group_name", "description", "language")
            ),
            "questions": _Table("questions", _QUESTION_FIELDS),
            "subquestions": _Table("subquestions", _QUESTION_FIELDS),
            "question_l10ns": _Table(
                "question_l10ns", ("id", "qid", "question", "help", "script", "language")
            ),
            "question_attributes": _Table(
                "question_attributes", ("qid", "attribute", "value", "language")
            ),
        }
        self.points: dict[str, list[set[float]]] = {}  # group -> attainable values per question

    def next(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]

    def _languages(self) -> list[str]:
        found = [self.q.language, *self.q.title]
        for _, question in self.q.iter_questions():
            found.extend(question.text)
        return list(dict.fromkeys(found))

    def text(self) -> str:
        groups = [d for d in _flat(self.q.dimensions) if d.questions]
        first = True
        for order, dim in enumerate(groups, start=1):
            gid = self._group(dim, order, first)
            first = False
            if dim.dimensions and dim.bands:
                self.notes.append(
                    f"dimension {dim.id!r}: its bands cover child dimensions, but LimeSurvey's "
                    "group sums do not; not written"
                )
            else:
                self._bands(dim.bands, dim, "G", gid, [dim])
        if self.q.metadata:
            self._metadata(len(groups) + 1)
        self._bands(self.q.bands, None, "T", 0, list(_flat(self.q.dimensions)))
        self._policy_notes()
        return "\n".join(self._document())

    # -- groups and questions -------------------------------------------------------------------

    def _group(self, dim: Dimension, order: int, first: bool) -> int:
        gid = self.next("gid")
        relevance = ""
        if dim.when is not None:
            relevance = self.relevance(dim.when)
        self.t["groups"].add(gid=gid, sid=SURVEY_ID, group_order=order, grelevance=relevance)
        for lang in self.languages:
            self.t["group_l10ns"].add(
                id=self.next("l10n"),
                gid=gid,
                group_name=_text(dim.title, lang, self.q.language) or dim.id,
                description=_text(dim.description, lang, self.q.language),
                language=lang,
            )
        if dim.weight != 1:
            self.notes.append(f"dimension {dim.id!r}: its weight {dim.weight:g} is not kept")
        if not isinstance(dim.aggregation, SumOfPoints):
            self.notes.append(
                f"dimension {dim.id!r}: LimeSurvey adds points; its aggregation "
                f"{type(dim.aggregation).__name__} is not kept"
            )
        values: list[set[float]] = []
        self.points[dim.id] = values
        if first and self.settings:
            self._settings(gid)
        for k, question in enumerate(dim.questions, start=1):
            got = self._question(question, gid, k)
            if got is not None and question.scored:
                values.append(got)
        return gid

    def _settings(self, gid: int) -> None:
        taken = {t.casefold() for t in self.titles.values()}
        title, k = SETTINGS, 1
        while title.casefold() in taken:
            k += 1
            title = f"{SETTINGS}{k}"
        qid = self._question_row(gid, "X", title, 0, "")
        self._l10n(qid, dict.fromkeys(self.languages, "weltoffen settings (hidden)"), {})
        self.t["question_attributes"].add(qid=qid, attribute="hidden", value="1")
        text = dump_questionnaire(self.q, format="json")
        self.t["question_attributes"].add(qid=qid, attribute=SETTINGS_ATTRIBUTE, value=text)

    def _question_row(self, gid: int, kind: str, title: str, order: int, relevance: str) -> int:
        qid = self.next("qid")
        self.t["questions"].add(
            qid=qid, parent_qid=0, sid=SURVEY_ID, gid=gid, type=kind, title=title, other="N",
            mandatory="N", encrypted="N", question_order=order, scale_id=0, same_default=0,
            relevance=relevance or "1", question_theme_name=_THEMES.get(kind, "boilerplate"),
            same_script=0,
        )  # fmt: skip
        return qid

    def _l10n(self, qid: int, text: Mapping[str, str], help_: Mapping[str, str]) -> None:
        for lang in self.languages:
            self.t["question_l10ns"].add(
                id=self.next("l10n"),
                qid=qid,
                question=_text(text, lang, self.q.language),
                help=_text(help_, lang, self.q.language),
                language=lang,
            )

    def _question(self, question: Question, gid: int, order: int) -> set[float] | None:
        title = self.titles[question.id]
        relevance = "" if question.when is None else self.relevance(question.when)
        if question.otherwise is not None:
            self.notes.append(f"question {question.id!r}: its 'otherwise' answer is not kept")
        if question.weight != 1 and question.scored:
            self.notes.append(
                f"question {question.id!r}: its weight {question.weight:g} is not kept "
                "(LimeSurvey adds each answer's assessment value once)"
            )
        if isinstance(question, MultipleChoice):
            return self._multiple(question, gid, title, order, relevance)
        if isinstance(question, Numeric):
            qid = self._question_row(gid, "N", title, order, relevance)
            self._l10n(qid, question.text, question.help)
            attributes = {
                "min_num_value_n": question.minimum,
                "max_num_value_n": question.maximum,
                "num_value_int_only": 1 if question.integer else None,
            }
            for name, value in attributes.items():
                if value is not None:
                    self.t["question_attributes"].add(qid=qid, attribute=name, value=_number(value))
            if question.scored:
                self.notes.append(
                    f"question {question.id!r}: LimeSurvey's assessments do not count numbers; "
                    "its scoring is not kept"
                )
            return None
        if isinstance(question, TextQuestion):
            qid = self._question_row(gid, "T", title, order, relevance)
            self._l10n(qid, question.text, question.help)
            return None
        qid = self._question_row(gid, "L", title, order, relevance)
        self._l10n(qid, question.text, question.help)
        return self._answers(question, qid)

    def _answers(self, question: Question, qid: int) -> set[float]:
        options = self.options(question)
        mapping = answer_codes(question, options)
        values: set[float] = {0.0}
        rows: list[tuple[str, float, Mapping[str, str]]] = []
        for option in options:
            if option.value == NO_ANSWER:
                continue
            rows.append((mapping[option.value], option.points, option.label))
        if question.dont_know:
            rows.append((DONT_KNOW, 0.0, _DONT_KNOW_LABEL))
            self.notes.append(
                f"question {question.id!r}: 'don't know' is the answer {DONT_KNOW} worth 0 in "
                "LimeSurvey (weltoffen leaves it out of the score)"
            )
        if question.not_applicable:
            rows.append((NOT_APPLICABLE, 0.0, _NOT_APPLICABLE_LABEL))
            self.notes.append(
                f"question {question.id!r}: 'not applicable' is the answer {NOT_APPLICABLE} worth "
                "0 in LimeSurvey"
            )
        for order, (code, points, label) in enumerate(rows):
            value = self.assessment_value(question, points)
            values.add(float(value))
            aid = self.next("aid")
            self.t["answers"].add(
                aid=aid, qid=qid, code=code, sortorder=order, assessment_value=value, scale_id=0
            )
            for lang in self.languages:
                self.t["answer_l10ns"].add(
                    id=self.next("l10n"),
                    aid=aid,
                    answer=_text(label, lang, self.q.language) or code,
                    language=lang,
                )
        return values

    def options(self, question: Question) -> list[Option]:
        return options_of(question, self.scales)

    def assessment_value(self, question: Question, points: float) -> int:
        value = round(points) if question.scored else 0
        if question.scored and value != points:
            self.notes.append(
                f"question {question.id!r}: points {points:g} are rounded to {value} "
                "(assessment values are whole numbers)"
            )
        return int(value)

    def _multiple(
        self, question: MultipleChoice, gid: int, title: str, order: int, relevance: str
    ) -> set[float]:
        qid = self._question_row(gid, "M", title, order, relevance)
        self._l10n(qid, question.text, question.help)
        mapping = answer_codes(question, question.options)
        each = {o.points for o in question.options}
        mean = sum(o.points for o in question.options) / max(len(question.options), 1)
        value = self.assessment_value(question, mean)
        if question.scored and (len(each) > 1 or question.method != "sum" or question.cap):
            self.notes.append(
                f"question {question.id!r}: LimeSurvey counts every tick {value} points, added "
                f"up (the options' own points and the method {question.method!r} are not kept)"
            )
        self.t["question_attributes"].add(qid=qid, attribute="assessment_value", value=value)
        for k, option in enumerate(question.options):
            sub = self.next("qid")
            self.t["subquestions"].add(
                qid=sub, parent_qid=qid, sid=SURVEY_ID, gid=gid, type="T",
                title=mapping[option.value], other="N", mandatory="N", encrypted="N",
                question_order=k, scale_id=0, same_default=0, relevance="1",
                question_theme_name="longfreetext", same_script=0,
            )  # fmt: skip
            self._l10n(sub, option.label, {})
        return {float(value * k) for k in range(len(question.options) + 1)}

    def _metadata(self, order: int) -> None:
        gid = self.next("gid")
        self.t["groups"].add(gid=gid, sid=SURVEY_ID, group_order=order)
        for lang in self.languages:
            self.t["group_l10ns"].add(
                id=self.next("l10n"),
                gid=gid,
                group_name=_text({"de": "Angaben", "en": "About you"}, lang, "en"),
                language=lang,
            )
        for k, field in enumerate(self.q.metadata, start=1):
            title = self.titles[field.key]
            kind = "L" if len(field.options) >= 2 else "S"
            qid = self._question_row(gid, kind, title, k, "")
            if kind == "S":
                self.t["questions"].rows[-1]["question_theme_name"] = "shortfreetext"
            self._l10n(qid, field.label, {})
            mapping = codes([o.value for o in field.options]) if kind == "L" else {}
            for j, option in enumerate(field.options if kind == "L" else ()):
                aid = self.next("aid")
                self.t["answers"].add(
                    aid=aid, qid=qid, code=mapping[option.value], sortorder=j,
                    assessment_value=0, scale_id=0,
                )  # fmt: skip
                for lang in self.languages:
                    self.t["answer_l10ns"].add(
                        id=self.next("l10n"),
                        aid=aid,
                        answer=_text(option.label, lang, self.q.language) or option.value,
                        language=lang,
                    )

    # -- conditions -----------------------------------------------------------------------------

    def relevance(self, condition: Condition) -> str:
        """*condition* as an ExpressionScript relevance equation."""
        if isinstance(condition, AllOf | AnyOf):
            joint = " and " if isinstance(condition, AllOf) else " or "
            return "(" + joint.join(self.relevance(c) for c in condition.conditions) + ")"
        if isinstance(condition, Not):
            return "!(" + self.relevance(condition.condition) + ")"
        question = self.questions[condition.question]
        name = self.titles[condition.question]
        if isinstance(condition, Includes):
            code = answer_codes(question, question.options)[condition.value]  # type: ignore[union-attr]
            return f'{name}_{code}.NAOK == "Y"'
        if isinstance(condition, Compare):
            bound = f"{name}.NAOK {_OPS[condition.op]} {_number(condition.value)}"
            return f"(!is_empty({name}.NAOK) and {bound})"
        values = (condition.value,) if isinstance(condition, Equals) else condition.values
        parts = [f"{name}.NAOK == {self._literal(question, v)}" for v in values]
        return parts[0] if len(parts) == 1 else "(" + " or ".join(parts) + ")"

    def _literal(self, question: Question, value: object) -> str:
        if isinstance(question, YesNo):
            return '"Y"' if yes_no(value) else '"N"'
        if isinstance(question, Numeric) and isinstance(value, int | float):
            return _number(value)
        options = self.options(question)
        mapping = answer_codes(question, options)
        key = option_key(value) or str(value)  # type: ignore[arg-type]
        text = mapping.get(key, key)
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    # -- assessments ----------------------------------------------------------------------------

    def _bands(
        self,
        bands: Sequence[Band],
        dim: Dimension | None,
        scope: str,
        gid: int,
        dims: Sequence[Dimension],
    ) -> None:
        if not bands:
            return
        name = "the questionnaire" if dim is None else f"dimension {dim.id!r}"
        sets = [v for d in dims for v in self.points.get(d.id, [])]
        totals = {0.0}
        for values in sets:
            totals = {t + v for t in totals for v in values}
            if len(totals) > MAX_TOTALS:
                self.notes.append(f"{name}: too many totals to turn its bands into assessments")
                return
        ordered = sorted(totals)
        if len(ordered) < 2:
            self.notes.append(f"{name}: its bands are not written (nothing to add up)")
            return
        on = dim.bands_on if dim is not None else self.q.bands_on
        low, high = ordered[0], ordered[-1]
        if on == "score":
            self.notes.append(
                f"{name}: its bands on the 0..100 score become ranges of LimeSurvey's sum, as if "
                "the score were the share of the attainable points (exact only for a sum of "
                "points with every question answered)"
            )
        members: dict[str, list[float]] = {b.id: [] for b in bands}
        top = max(bands, key=lambda b: b.max)
        for total in ordered:
            value = 100 * (total - low) / (high - low) if on == "score" else total
            band = next(
                (b for b in bands if b.min <= value < b.max or (b is top and value == b.max)), None
            )
            if band is not None:
                members[band.id].append(total)
        kept = [b for b in sorted(bands, key=lambda b: b.min) if members[b.id]]
        for band in bands:
            if not members[band.id]:
                self.notes.append(
                    f"{name}: band {band.id!r} holds no attainable total; not written"
                )
        for i, band in enumerate(kept):
            first = members[band.id][0] if i else min(members[band.id][0], low)
            last = members[kept[i + 1].id][0] - 1 if i + 1 < len(kept) else members[band.id][-1]
            assessment = self.next("assessment")
            for lang in self.languages:
                feedback = _text(band.feedback, lang, self.q.language)
                steps = [_text(s.text, lang, self.q.language) for s in band.suggestions]
                message = feedback + "".join(f"\n- {s}" for s in steps if s)
                self.t["assessments"].add(
                    id=assessment, sid=SURVEY_ID, scope=scope, gid=gid if scope == "G" else 0,
                    name=_text(band.label, lang, self.q.language) or band.id,
                    minimum=_number(first), maximum=_number(math.floor(last)),
                    message=message, language=lang,
                )  # fmt: skip

    def _policy_notes(self) -> None:
        scoring = self.q.scoring
        if not (isinstance(scoring.skipped, Zero) and isinstance(scoring.dont_know, Zero)):
            self.notes.append(
                "LimeSurvey adds 0 for every unanswered question; the questionnaire's policies "
                "for skipped and 'don't know' answers are not kept"
            )

    # -- the document ---------------------------------------------------------------------------

    def _document(self) -> Iterator[str]:
        lang = self.languages[0]
        others = " ".join(self.languages[1:])
        yield '<?xml version="1.0" encoding="UTF-8"?>'
        yield "<document>"
        yield " <LimeSurveyDocType>Survey</LimeSurveyDocType>"
        yield f" <DBVersion>{DB_VERSION}</DBVersion>"
        yield " <languages>"
        for language in self.languages:
            yield f"  <language>{language}</language>"
        yield " </languages>"
        for table in self.t.values():
            if table.rows:
                yield from table.xml()
        surveys = _Table(
            "surveys",
            ("sid", "gsid", "admin", "adminemail", "anonymized", "format", "language",
             "additional_languages", "datestamp", "assessments", "showxquestions",
             "shownoanswer", "showwelcome", "showprogress", "allowprev", "questionindex"),
        )  # fmt: skip
        surveys.add(
            sid=SURVEY_ID, gsid=1, admin="inherit", adminemail="inherit", anonymized="N",
            format="G", language=lang, additional_languages=others, datestamp="N",
            assessments="Y", showxquestions="Y", shownoanswer="Y", showwelcome="Y",
            showprogress="Y", allowprev="Y", questionindex=0,
        )  # fmt: skip
        yield from surveys.xml()
        settings = _Table(
            "surveys_languagesettings",
            ("surveyls_survey_id", "surveyls_language", "surveyls_title", "surveyls_description",
             "surveyls_welcometext", "surveyls_endtext", "surveyls_dateformat",
             "surveyls_numberformat"),
        )  # fmt: skip
        for language in self.languages:
            settings.add(
                surveyls_survey_id=SURVEY_ID,
                surveyls_language=language,
                surveyls_title=_text(self.q.title, language, self.q.language) or self.q.id,
                surveyls_description=_text(self.q.description, language, self.q.language),
                surveyls_dateformat=1,
                surveyls_numberformat=0,
            )
        yield from settings.xml()
        yield "</document>"


def _flat(dimensions: Sequence[Dimension]) -> Iterator[Dimension]:
    for dim in dimensions:
        yield dim
        yield from _flat(dim.dimensions)


def _text(texts: Mapping[str, str], language: str, default: str) -> str:
    return texts.get(language) or texts.get(default) or next(iter(texts.values()), "")


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
