"""weltoffen: typed questionnaire models and explainable scoring.

Define a questionnaire (or load one from YAML/JSON), compile it once into a plan, then score
responses into result trees with scores, coverage, bands and an optional trace.
"""

import importlib
from typing import TYPE_CHECKING, Any

from weltoffen._version import __version__
from weltoffen.exceptions import (
    DefinitionError,
    DefinitionWarning,
    Problem,
    ProblemCode,
    ResponseError,
    ScoringError,
    UnknownKindError,
    WeltoffenError,
)
from weltoffen.model import (
    DONT_KNOW,
    NOT_APPLICABLE,
    SKIPPED,
    AllOf,
    AnyOf,
    Band,
    Choice,
    Compare,
    Dimension,
    Equals,
    Includes,
    Linear,
    MetadataField,
    MultipleChoice,
    Not,
    Numeric,
    OneOf,
    Option,
    Policies,
    Questionnaire,
    Response,
    Scale,
    ScaleQuestion,
    State,
    TextQuestion,
    Threshold,
    YesNo,
)
from weltoffen.registry import Registry, default_registry
from weltoffen.scoring import (
    DimensionResult,
    ItemResult,
    Result,
    ScoringPlan,
    check_questionnaire,
    check_warnings,
    compile,
    score,
)

if TYPE_CHECKING:
    from weltoffen.scoring.batch import score_many
    from weltoffen.serialization import (
        dump_questionnaire,
        dump_responses,
        dump_result,
        load_questionnaire,
        load_responses,
        load_result,
        make_converter,
    )

# Formats pull in cattrs and PyYAML; load them on first use so that `import weltoffen` stays
# fast for applications that build questionnaires in code.
_LAZY = {
    "dump_questionnaire": "weltoffen.serialization",
    "dump_responses": "weltoffen.serialization",
    "dump_result": "weltoffen.serialization",
    "load_questionnaire": "weltoffen.serialization",
    "load_responses": "weltoffen.serialization",
    "load_result": "weltoffen.serialization",
    "make_converter": "weltoffen.serialization",
    # vectorised scoring needs numpy (an optional extra), imported only when first used
    "score_many": "weltoffen.scoring.batch",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'weltoffen' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "DONT_KNOW",
    "NOT_APPLICABLE",
    "SKIPPED",
    "AllOf",
    "AnyOf",
    "Band",
    "Choice",
    "Compare",
    "DefinitionError",
    "DefinitionWarning",
    "Dimension",
    "DimensionResult",
    "Equals",
    "Includes",
    "ItemResult",
    "Linear",
    "MetadataField",
    "MultipleChoice",
    "Not",
    "Numeric",
    "OneOf",
    "Option",
    "Policies",
    "Problem",
    "ProblemCode",
    "Questionnaire",
    "Registry",
    "Response",
    "ResponseError",
    "Result",
    "Scale",
    "ScaleQuestion",
    "ScoringError",
    "ScoringPlan",
    "State",
    "TextQuestion",
    "Threshold",
    "UnknownKindError",
    "WeltoffenError",
    "YesNo",
    "__version__",
    "check_questionnaire",
    "check_warnings",
    "compile",
    "default_registry",
    "dump_questionnaire",
    "dump_responses",
    "dump_result",
    "load_questionnaire",
    "load_responses",
    "load_result",
    "make_converter",
    "score",
    "score_many",
]
