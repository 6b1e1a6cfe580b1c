"""What a sensitivity analysis varied, said in the report's language.

The analysis states its choices in English for programs and logs (``SensitivityReport.varied``);
a report speaks its reader's language, so it words the same choices from the data itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from weltoffen.analysis.choices import Choices, WeightChoice
from weltoffen.analysis.variants import strategy_label
from weltoffen.registry import Registry, default_registry
from weltoffen.reports.texts import labels_for

__all__ = ["WORDS", "varied_sentences"]

WORDS: Mapping[str, Mapping[str, str]] = {
    "de": {
        "dimensions": "der Bereiche",
        "questions": "der Fragen in ihrem Bereich",
        "all": "der Bereiche und der Fragen",
        "uniform": "Gewichte {what}: jedes Gewicht mal einem zufälligen Faktor zwischen {lo} "
        "und {hi}",
        "dirichlet": "Gewichte {what}: die Anteile innerhalb jeder Gruppe zufällig um die "
        "Anteile des Instruments gestreut (Dirichlet, Konzentration {c}), die Summe jeder "
        "Gruppe bleibt",
        "aggregation_all": "Zusammenfassung aller Bereiche und des Gesamtergebnisses",
        "aggregation_overall": "Zusammenfassung zum Gesamtergebnis",
        "policy": "Umgang mit „weiß nicht“ und übersprungenen Fragen",
        "one_of": "{what}: {options}, jeweils mit Wahrscheinlichkeit 1/{n}",
        "or": " oder ",
        "weighted_mean": "gewichtetes Mittel",
        "geometric_mean": "geometrisches Mittel",
        "harmonic_mean": "harmonisches Mittel",
        "power_mean": "Potenzmittel",
        "minimum": "kleinster Wert",
        "sum": "Summe der Punkte",
        "mazziotta_pareto": "Mazziotta-Pareto-Index",
        "exclude": "nicht mitzählen",
        "zero": "als 0 Punkte werten",
        "prorate": "aus den übrigen Antworten hochrechnen",
    },
    "en": {
        "dimensions": "of the dimensions",
        "questions": "of the questions within their dimension",
        "all": "of the dimensions and the questions",
        "uniform": "Weights {what}: each times a random factor between {lo} and {hi}",
        "dirichlet": "Weights {what}: the shares within each group scattered at random around "
        "the instrument's shares (Dirichlet, concentration {c}), each group's total kept",
        "aggregation_all": "Combining every dimension and the overall score",
        "aggregation_overall": "Combining the dimensions into the overall score",
        "policy": "Handling of don't know and skipped questions",
        "one_of": "{what}: {options}, each with probability 1/{n}",
        "or": " or ",
        "weighted_mean": "weighted mean",
        "geometric_mean": "geometric mean",
        "harmonic_mean": "harmonic mean",
        "power_mean": "power mean",
        "minimum": "lowest value",
        "sum": "sum of points",
        "mazziotta_pareto": "Mazziotta-Pareto index",
        "exclude": "leave out",
        "zero": "count as 0 points",
        "prorate": "estimate from the other answers",
    },
}


def varied_sentences(
    choices: Choices, lang: str, registry: Registry = default_registry
) -> tuple[str, ...]:
    """One sentence per choice that was varied, in *lang* (English where there are no words)."""
    words = WORDS.get(lang, WORDS["en"])
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
            what=what, lo=_short(1 - w.spread, lang), hi=_short(1 + w.spread, lang)
        )
    return words["dirichlet"].format(what=what, c=_short(w.concentration, lang))


def _short(value: float, lang: str) -> str:
    """*value* without trailing zeros, with the decimal mark of *lang* (``0,8``)."""
    return f"{value:g}".replace(".", labels_for(lang)["decimal"])


def _one_of(what: str, labels: Sequence[str], words: Mapping[str, str]) -> str:
    options = words["or"].join(_strategy(label, words) for label in labels)
    return words["one_of"].format(what=what, options=options, n=len(labels))


def _strategy(label: str, words: Mapping[str, str]) -> str:
    """A strategy's name in words; its parameters (``power_mean(p=2)``) as they are."""
    name, _, params = label.partition("(")
    worded = words.get(name, name)  # a plugin's strategy keeps its registered name
    return f"{worded} ({params.rstrip(')')})" if params else worded
