"""HL7 FHIR Questionnaire and QuestionnaireResponse (R4 and R5, with SDC scoring).

:func:`read_questionnaire` imports a Questionnaire with an import report; :func:`read_responses`
reads QuestionnaireResponses (one, or a Bundle of them). See docs/formats/fhir.md for what maps,
what is lost and weltoffen's own extensions.
"""

from weltoffen.interop.fhir.importing import import_questionnaire, read_questionnaire
from weltoffen.interop.registry import Format

__all__ = ["FORMAT", "import_questionnaire", "read_questionnaire"]

FORMAT = Format(
    name="fhir",
    title="HL7 FHIR Questionnaire (SDC)",
    suffixes=(".json",),
    read_questionnaire=read_questionnaire,
)
