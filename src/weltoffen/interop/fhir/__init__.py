"""HL7 FHIR Questionnaire and QuestionnaireResponse (R4 and R5, with SDC scoring).

:func:`read_questionnaire` imports a Questionnaire with an import report and
:func:`write_questionnaire` writes an R5 Questionnaire that reads back to the same questionnaire;
:func:`read_responses` reads QuestionnaireResponses (one, or a Bundle of them) and
:func:`write_responses` writes a Bundle; :func:`check_stored_totals` compares the totals a file
stored with weltoffen's points. docs/formats/fhir.md says what maps, what is lost and what
weltoffen's own extensions hold.
"""

from weltoffen.interop.fhir.exporting import (
    questionnaire_resource,
    total_expression,
    write_questionnaire,
)
from weltoffen.interop.fhir.importing import import_questionnaire, read_questionnaire
from weltoffen.interop.fhir.responses import (
    StoredTotal,
    check_stored_totals,
    read_responses,
    response_resource,
    write_responses,
)
from weltoffen.interop.registry import Format

__all__ = [
    "FORMAT",
    "StoredTotal",
    "check_stored_totals",
    "import_questionnaire",
    "questionnaire_resource",
    "read_questionnaire",
    "read_responses",
    "response_resource",
    "total_expression",
    "write_questionnaire",
    "write_responses",
]

FORMAT = Format(
    name="fhir",
    title="HL7 FHIR Questionnaire (SDC)",
    suffixes=(".json",),
    read_questionnaire=read_questionnaire,
    write_questionnaire=write_questionnaire,
    read_responses=read_responses,
    write_responses=write_responses,
)
