"""The questionnaire model: frozen value objects, no I/O and no formats.

Constructors check the types of their arguments: a wrong one raises a ``TypeError`` naming the
class, the field, what it takes and what it got. Lists are taken where tuples are annotated and
stored as tuples, so an object built in code equals the same object loaded from a file.

Objects are frozen all the way down: mappings are copied into read-only ones, so changing a dict
after passing it changes nothing, and every object can be hashed (a cache key, a set member) and
shared across threads and processes. Each object's own rules (a band's ``min`` below its
``max``, weights and points finite and not negative, ...) hold from construction: breaking one
raises a ``ValueError``. The checks across objects (unique ids, bands tiling 0..100) are
:func:`weltoffen.check_questionnaire`'s.
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
from weltoffen.model.dimensions import Band, BandsOn, Dimension, Policies, Suggestion
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
    "BandsOn",
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
    "Suggestion",
    "TextQuestion",
    "Threshold",
    "YesNo",
]
