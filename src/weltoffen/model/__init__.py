"""The questionnaire model: frozen value objects, no I/O and no formats.

Constructors check the types of their arguments: a wrong one raises a ``TypeError`` naming the
class, the field, what it takes and what it got. Lists are taken where tuples are annotated and
stored as tuples, so an object built in code equals the same object loaded from a file.
"""

from weltoffen.model.answers import (
    DONT_KNOW,
    NOT_APPLICABLE,
    SKIPPED,
    AnswerValue,
    Response,
    State,
)
from weltoffen.model.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Equals,
    Includes,
    Not,
    OneOf,
)
from weltoffen.model.dimensions import Band, Dimension, Policies
from weltoffen.model.metadata import MetadataField
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    Choice,
    Linear,
    MultipleChoice,
    Numeric,
    Option,
    Question,
    Scale,
    ScaleQuestion,
    TextQuestion,
    Threshold,
    YesNo,
)

__all__ = [
    "DONT_KNOW",
    "NOT_APPLICABLE",
    "SKIPPED",
    "AllOf",
    "AnswerValue",
    "AnyOf",
    "Band",
    "Choice",
    "Compare",
    "Condition",
    "Dimension",
    "Equals",
    "Includes",
    "Linear",
    "MetadataField",
    "MultipleChoice",
    "Not",
    "Numeric",
    "OneOf",
    "Option",
    "Policies",
    "Question",
    "Questionnaire",
    "Response",
    "Scale",
    "ScaleQuestion",
    "State",
    "TextQuestion",
    "Threshold",
    "YesNo",
]
