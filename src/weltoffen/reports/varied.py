"""What a sensitivity analysis varied, said in the report's language.

The analysis states its choices in English for programs and logs (``SensitivityReport.varied``);
a report speaks its reader's language, so it words the same choices from the data itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from weltoffen.analysis.choices import Choices, WeightChoice
from weltoffen.analysis.variants import strategy_label
from weltoffen.registry import Registry, default_registry
from weltoffen.translations import N_, Messages, decimal, translate

__all__ = ["MESSAGES", "varied_sentences"]

#: The words for what was varied, by key, in English.
MESSAGES: Messages = (
    N_("dimensions", "of the dimensions"),
    N_("questions", "of the questions within their dimension"),
    N_("all", "of the dimensions and the questions"),
    N_("uniform", "Weights {what}: each times a random factor between {lo} and {hi}"),
    N_(
        "dirichlet",
        "Weights {what}: the shares within each group scattered at random around the "
        "instrument's shares (Dirichlet, concentration {c}), each group's total kept",
    ),
    N_("aggregation_all", "Combining every dimension and the overall score"),
    N_("aggregation_overall", "Combining the dimensions into the overall score"),
    N_("policy", "Handling of don't know and skipped questions"),
    N_("one_of", "{what}: {options}, each with probability 1/{n}"),
    N_("or", " or "),
    N_("weighted_mean", "weighted mean"),
    N_("geometric_mean", "geometric mean"),
    N_("harmonic_mean", "harmonic mean"),
    N_("power_mean", "power mean"),
    N_("minimum", "lowest value"),
    N_("sum", "sum of points"),
    N_("mazziotta_pareto", "Mazziotta-Pareto index"),
    N_("exclude", "leave out"),
    N_("zero", "count as 0 points"),
    N_("prorate", "estimate from the other answers"),
)


def varied_sentences(
    choices: Choices, lang: str, registry: Registry = default_registry
) -> tuple[str, ...]:
    """One sentence per choice that was varied, in *lang* (English where there are no words)."""
    words = translate(MESSAGES, lang)
    said: list[str] = []
    if choices.weights is not None:
        said.append(_weights(choices.weights, words, lang))
    if choices.aggregations:
        what = words[f"aggregation_{choices.aggregation_scope}"]
        names = [strategy_label(a, registry, "aggregation") for a in choices.aggregations]
        said.append(_one_of(what, names, words))
    if choices.policies:
        names = [strategy_label(p, registry, "policy") for p in choices.policies]
        said.append(_one_of(words["policy"], names, words))
    return tuple(said)


def _weights(w: WeightChoice, words: Mapping[str, str], lang: str) -> str:
    what = words[w.targets]
    if w.method == "uniform":
        return words["uniform"].format(
            what=what, lo=decimal(1 - w.spread, lang), hi=decimal(1 + w.spread, lang)
        )
    return words["dirichlet"].format(what=what, c=decimal(w.concentration, lang))


def _one_of(what: str, labels: Sequence[str], words: Mapping[str, str]) -> str:
    options = words["or"].join(_strategy(label, words) for label in labels)
    return words["one_of"].format(what=what, options=options, n=len(labels))


def _strategy(label: str, words: Mapping[str, str]) -> str:
    """A strategy's name in words; its parameters (``power_mean(p=2)``) as they are."""
    name, _, params = label.partition("(")
    worded = words.get(name, name)  # a plugin's strategy keeps its registered name
    return f"{worded} ({params.rstrip(')')})" if params else worded
