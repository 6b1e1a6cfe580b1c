"""weltoffen: typed questionnaire models and explainable scoring.

Define a questionnaire (or load one from YAML/JSON), compile it once into a plan, then score
responses into result trees with scores, coverage, bands and an optional trace.

Public names: ``_PUBLIC`` below is the one table of them, each module with the names it offers
here; ``__all__``, ``__dir__`` and the lazy ``__getattr__`` are derived from it at run time. The
imports above it say the same for the tools that read code without running it (mypy, IDEs): they
sit under ``TYPE_CHECKING``, since every module loads on first use of one of its names, and each
name is imported as itself (``X as X``), which marks it as re-exported now that ``__all__`` is no
literal list they could read. Python cannot derive one from the other without parsing this file
at import time, so ``tests/test_package.py`` holds the imports and the table equal instead: a
name added to one and not the other fails the tests. (The API reference renders these names from
their own modules, whose ``__all__`` are literal lists.)
"""

from typing import TYPE_CHECKING

from weltoffen._lazy import lazy_exports

# isort: off
# (one statement per module, each name as itself; isort would put each aliased name apart)
from weltoffen._version import __version__ as __version__

if TYPE_CHECKING:
    from weltoffen.exceptions import (
        DefinitionError as DefinitionError,
        DefinitionWarning as DefinitionWarning,
        Problem as Problem,
        ProblemCode as ProblemCode,
        ResponseError as ResponseError,
        ScoringError as ScoringError,
        UnknownKindError as UnknownKindError,
        WeltoffenError as WeltoffenError,
    )
    from weltoffen.model import (
        DONT_KNOW as DONT_KNOW,
        NOT_APPLICABLE as NOT_APPLICABLE,
        SKIPPED as SKIPPED,
        AllOf as AllOf,
        AnyOf as AnyOf,
        Band as Band,
        Choice as Choice,
        Compare as Compare,
        Dimension as Dimension,
        Equals as Equals,
        Includes as Includes,
        Linear as Linear,
        MetadataField as MetadataField,
        MultipleChoice as MultipleChoice,
        Not as Not,
        Numeric as Numeric,
        OneOf as OneOf,
        Option as Option,
        Policies as Policies,
        Questionnaire as Questionnaire,
        Response as Response,
        Scale as Scale,
        ScaleQuestion as ScaleQuestion,
        Suggestion as Suggestion,
        State as State,
        TextQuestion as TextQuestion,
        Threshold as Threshold,
        YesNo as YesNo,
    )
    from weltoffen.registry import Registry as Registry, default_registry as default_registry
    from weltoffen.scoring import (
        DimensionResult as DimensionResult,
        ItemResult as ItemResult,
        Result as Result,
        ScoringPlan as ScoringPlan,
        Status as Status,
        check_questionnaire as check_questionnaire,
        check_warnings as check_warnings,
        compile as compile,
        score as score,
    )
    from weltoffen.scoring.batch import score_many as score_many
    from weltoffen.serialization import (
        dump_questionnaire as dump_questionnaire,
        dump_responses as dump_responses,
        dump_result as dump_result,
        load_questionnaire as load_questionnaire,
        load_responses as load_responses,
        load_result as load_result,
        make_converter as make_converter,
    )
    from weltoffen.versions.compare import (
        VersionComparison as VersionComparison,
        compare_versions as compare_versions,
    )
    from weltoffen.versions.crosswalk import (
        Crosswalk as Crosswalk,
        dump_crosswalk as dump_crosswalk,
        load_crosswalk as load_crosswalk,
    )
    from weltoffen.versions.crosswalk_check import check_crosswalk as check_crosswalk
    from weltoffen.versions.migrate import (
        Migration as Migration,
        MigrationNote as MigrationNote,
        migrate as migrate,
    )
# isort: on

#: Every public name by the module that defines it. Each module loads on first use of one of its
#: names: `import weltoffen` alone costs about a millisecond (a command line asking for the version,
#: a plugin registering a kind), the model and scoring load with the first class or function
#: used, and formats (cattrs, PyYAML) and vectorised scoring (numpy, an optional extra) only
#: when one of theirs is.
_PUBLIC: dict[str, tuple[str, ...]] = {
    "weltoffen._version": ("__version__",),
    "weltoffen.exceptions": (
        "DefinitionError",
        "DefinitionWarning",
        "Problem",
        "ProblemCode",
        "ResponseError",
        "ScoringError",
        "UnknownKindError",
        "WeltoffenError",
    ),
    "weltoffen.model": (
        "DONT_KNOW",
        "NOT_APPLICABLE",
        "SKIPPED",
        "AllOf",
        "AnyOf",
        "Band",
        "Choice",
        "Compare",
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
        "Questionnaire",
        "Response",
        "Scale",
        "ScaleQuestion",
        "Suggestion",
        "State",
        "TextQuestion",
        "Threshold",
        "YesNo",
    ),
    "weltoffen.registry": ("Registry", "default_registry"),
    "weltoffen.scoring": (
        "DimensionResult",
        "ItemResult",
        "Result",
        "ScoringPlan",
        "Status",
        "check_questionnaire",
        "check_warnings",
        "compile",
        "score",
    ),
    "weltoffen.scoring.batch": ("score_many",),
    "weltoffen.serialization": (
        "dump_questionnaire",
        "dump_responses",
        "dump_result",
        "load_questionnaire",
        "load_responses",
        "load_result",
        "make_converter",
    ),
    "weltoffen.versions.compare": ("VersionComparison", "compare_versions"),
    "weltoffen.versions.crosswalk": ("Crosswalk", "dump_crosswalk", "load_crosswalk"),
    "weltoffen.versions.crosswalk_check": ("check_crosswalk",),
    "weltoffen.versions.migrate": ("Migration", "MigrationNote", "migrate"),
}


def _order(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions, each alphabetically (ruff's order for __all__)."""
    return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)


__all__ = sorted((n for names in _PUBLIC.values() for n in names), key=_order)
# Hidden from mypy and IDEs, which read the imports above instead: with a module __getattr__
# in sight they would take any name for a lazy one, and misspellings would go unnoticed.
if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(__name__, globals(), _PUBLIC)
