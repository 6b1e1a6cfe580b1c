"""Reading an ``.lss`` file with weltoffen's settings in it: the questionnaire whole, if the
survey still says what weltoffen wrote.

weltoffen writes the questionnaire in its own format into a hidden text display (see
:mod:`~weltoffen.interop.limesurvey.writer`). Reading applies it only when the survey's tables
still read exactly as the tables weltoffen would write for it: the survey, read by its tables, is
compared with the survey written afresh from the settings. Any change made in LimeSurvey (a text,
an answer, an assessment value, a condition) makes them differ, and then the tables win: the
settings are reported as not applied and the survey is read as any other.
"""

from __future__ import annotations

import os
import warnings

import attrs

from weltoffen.exceptions import DefinitionError, DefinitionWarning
from weltoffen.interop.limesurvey import survey as ls
from weltoffen.interop.limesurvey.questions import where
from weltoffen.interop.limesurvey.reader import read_survey_of, settings_of
from weltoffen.interop.limesurvey.tables import parse_document, read_document
from weltoffen.interop.limesurvey.writer import lss_text
from weltoffen.interop.registry import Source
from weltoffen.interop.report import Fidelity, Finding, Imported, ImportReport
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.serialization.api import load_questionnaire

__all__ = ["read_questionnaire"]


def read_questionnaire(source: Source) -> Imported:
    """The questionnaire a LimeSurvey survey structure (``.lss``) describes, with the report.

    Raises:
        DefinitionError: The file is unreadable, no well-formed XML (with line and column), no
            survey structure, or its tables contradict each other: every problem, located.
    """
    path = os.fspath(source)
    survey = ls.read_survey(read_document(path), path)
    carried = settings_of(survey)
    if carried is None:
        return read_survey_of(survey, path)
    question, text = carried
    at = where(question.row, question.title)
    try:
        with warnings.catch_warnings():
            # what weltoffen wrote was checked then; its advice is not news to the reader
            warnings.simplefilter("ignore", DefinitionWarning)
            written: Questionnaire | None = load_questionnaire(text=text, format="json")
    except (DefinitionError, ValueError):
        written = None
    reason = "they are not a questionnaire weltoffen can read" if written is None else None
    native: Imported | None = None
    refused: DefinitionError | None = None
    try:
        native = read_survey_of(survey, path)
    except DefinitionError as error:
        if written is None:
            raise
        refused = error  # the settings may still say what the tables cannot
    if written is not None and reason is None:
        reason = _changed(written, native, path)
    if reason is None and written is not None:
        findings = [
            Finding(
                fidelity=Fidelity.EXACT,
                construct="weltoffen settings",
                message="the questionnaire as weltoffen wrote it, applied whole: the survey's "
                "tables still say what weltoffen wrote",
                **at,  # type: ignore[arg-type]
            )
        ]
        if native is not None:
            findings += [
                attrs.evolve(f, fidelity=Fidelity.EXACT, message="as the weltoffen settings say")
                for f in native.report.findings
                if f.construct != "weltoffen settings"
            ]
        report = ImportReport(format="limesurvey", source=os.path.basename(path), findings=findings)
        return Imported(questionnaire=written, report=report)
    if native is None:
        assert refused is not None
        raise refused
    dropped = Finding(
        fidelity=Fidelity.APPROXIMATED,
        construct="weltoffen settings",
        message=f"not applied: {reason}; the survey is read by its tables",
        hint="export the questionnaire from weltoffen again to keep what LimeSurvey cannot say",
        **at,  # type: ignore[arg-type]
    )
    findings = [
        dropped,
        *(f for f in native.report.findings if f.construct != "weltoffen settings"),
    ]
    return attrs.evolve(native, report=attrs.evolve(native.report, findings=tuple(findings)))


def _changed(written: Questionnaire, native: Imported | None, path: str) -> str | None:
    """Why the survey no longer says what weltoffen wrote for *written*, or None."""
    try:
        fresh = read_survey_of(ls.read_survey(parse_document(lss_text(written), path), path), path)
    except DefinitionError:
        fresh = None
    if native is None or fresh is None:
        return None if native is None and fresh is None else "the survey was changed in LimeSurvey"
    ours = attrs.evolve(fresh.questionnaire, id=native.questionnaire.id)
    if ours != native.questionnaire:
        return "the survey was changed in LimeSurvey after weltoffen wrote it"
    return None
