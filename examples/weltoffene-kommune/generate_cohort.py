"""Fictional answers to the self-check "Weltoffene Kommune": three examples and a cohort.

Every municipality here is invented; the names are built from words like "Muster" and
"Beispiel" so that nobody mistakes them for real places.

How an answer comes about: each municipality has a latent *maturity* (0..1) per field of action
(and per sub-topic of "Fairer Zugang"), drawn around a level that grows with its size. Each
question then gets its own maturity (the field's plus noise), which picks an option on the
question's scale (higher maturity, more points), the chance of "yes", how many options of a
multiple-choice question apply, or where a number falls between the scoring thresholds. Small
municipalities answer "don't know" more often and, where a question offers it, "not applicable"
(many services are run by the district, not the town). Follow-up questions are answered only when
their lead question makes them apply, so every file is consistent.

Run from the repository root to rewrite the committed files (tests check they are current)::

    python examples/weltoffene-kommune/generate_cohort.py            # cohort.yaml and the examples
    python examples/weltoffene-kommune/generate_cohort.py --round 2  # runde-2/cohort.yaml (1.1)
    python examples/weltoffene-kommune/generate_cohort.py --seed 7 --n 60 -o my-cohort.yaml
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from weltoffen.instruments import load_instrument
from weltoffen.model.answers import AnswerValue, MetaValue, Response, State
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
from weltoffen.model.dimensions import Dimension
from weltoffen.model.questionnaire import Questionnaire
from weltoffen.model.questions import (
    Choice,
    Linear,
    MultipleChoice,
    Numeric,
    Option,
    Question,
    ScaleQuestion,
    TextQuestion,
    YesNo,
)
from weltoffen.serialization.api import dump_responses, write_text
from weltoffen.serialization.templates import yaml_template

__all__ = [
    "EXAMPLES",
    "ROUND_VERSIONS",
    "Profile",
    "generate_cohort",
    "generate_response",
    "generate_round",
    "main",
]

HERE = Path(__file__).resolve().parent
INSTRUMENT = "weltoffene-kommune"
#: The first round was answered under version 1.0 of the self-check.
VERSION = "1.0"
SEED = 2024
SIZE = 40

#: Population bounds of the size classes (see the answer sheet's metadata).
SIZE_CLASSES = (("klein", 0), ("mittel", 20_000), ("gross", 100_000))


@attrs.frozen(kw_only=True)
class Profile:
    """How far a municipality has come, and how it answers.

    Attributes:
        maturity: Dimension id -> 0..1; dimensions not named inherit their parent's value.
        spread: Noise of each question's maturity around its dimension's.
        dont_know: Base chance of "don't know" where offered (scaled up for weak fields).
        not_applicable: Chance of "not applicable" where offered.
        skipped: Chance of leaving a question empty.
    """

    maturity: Mapping[str, float]
    spread: float = 0.12
    dont_know: float = 0.05
    not_applicable: float = 0.05
    skipped: float = 0.01


def _clamp(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return min(hi, max(lo, x))


# -- one response ------------------------------------------------------------------------------


def generate_response(
    questionnaire: Questionnaire,
    respondent: str,
    profile: Profile,
    rng: random.Random,
    *,
    metadata: Mapping[str, MetaValue] | None = None,
    fixed: Mapping[str, AnswerValue] | None = None,
) -> Response:
    """Plausible answers of one municipality with the given *profile*.

    Args:
        questionnaire: The instrument.
        respondent: The respondent id.
        profile: Maturity per dimension and answering habits.
        rng: The source of randomness (seeded by the caller, so results repeat).
        metadata: Stored with the response.
        fixed: Answers to use as given instead of drawing them (their follow-ups stay consistent).

    Returns:
        The response; questions whose condition is false are left out.
    """
    scales = {s.id: s.options for s in questionnaire.scales}
    fixed = fixed or {}
    answers: dict[str, AnswerValue] = {}

    def walk(dims: Sequence[Dimension], parent: float, visible: bool) -> None:
        for dim in dims:
            level = profile.maturity.get(dim.id)
            if level is None:
                level = _clamp(parent + rng.gauss(0.0, 0.1))
            shown = visible and (dim.when is None or _holds(dim.when, answers))
            for q in dim.questions:
                if not shown or (q.when is not None and not _holds(q.when, answers)):
                    continue
                if q.id in fixed:
                    answers[q.id] = fixed[q.id]
                    continue
                value = _answer(
                    q, scales, _clamp(level + rng.gauss(0.0, profile.spread)), profile, rng
                )
                if value is not None:
                    answers[q.id] = value
            walk(dim.dimensions, level, shown)

    walk(questionnaire.dimensions, 0.5, True)
    return Response(respondent=respondent, answers=answers, metadata=dict(metadata or {}))


def _holds(cond: Condition, answers: Mapping[str, AnswerValue]) -> bool:
    """Whether *cond* holds for the answers given so far (no answer: false)."""
    if isinstance(cond, AllOf):
        return all(_holds(c, answers) for c in cond.conditions)
    if isinstance(cond, AnyOf):
        return any(_holds(c, answers) for c in cond.conditions)
    if isinstance(cond, Not):
        return not _holds(cond.condition, answers)
    value = answers.get(cond.question)
    if value is None or isinstance(value, State):
        return False
    if isinstance(cond, Equals):
        return value == cond.value and isinstance(value, bool) == isinstance(cond.value, bool)
    if isinstance(cond, OneOf):
        return value in cond.values
    if isinstance(cond, Includes):
        return isinstance(value, tuple) and cond.value in value
    assert isinstance(cond, Compare)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return {
        "gt": value > cond.value,
        "ge": value >= cond.value,
        "lt": value < cond.value,
        "le": value <= cond.value,
    }[cond.op]


_EVIDENCE = (
    "Beschlussvorlagen und Protokolle liegen bei der federführenden Stelle vor.",
    "Siehe Jahresbericht der Koordinierungsstelle und die Übersicht der Kooperationspartner.",
    "Konzeptpapier im Entwurf; Abstimmung mit den Fachämtern läuft.",
    "Einzelne Projektberichte vorhanden, eine Gesamtübersicht fehlt noch.",
    "Dokumentation im Intranet, Ansprechpersonen in den Fachämtern benannt.",
)


def _answer(
    q: Question,
    scales: Mapping[str, Sequence[Option]],
    level: float,
    profile: Profile,
    rng: random.Random,
) -> AnswerValue | None:
    if isinstance(q, TextQuestion):
        return rng.choice(_EVIDENCE) if rng.random() < 0.2 + 0.6 * level else None
    if q.not_applicable and rng.random() < profile.not_applicable:
        return State.NOT_APPLICABLE
    # weak fields are less known inside the administration, hence more "don't know"
    if q.dont_know and rng.random() < profile.dont_know * (1.5 - level):
        return State.DONT_KNOW
    if rng.random() < profile.skipped:
        return None
    if isinstance(q, YesNo):
        return rng.random() < 0.05 + 0.9 * level
    if isinstance(q, MultipleChoice):
        return _multiple(q, level, rng)
    if isinstance(q, Numeric):
        return _numeric(q, level, rng)
    options = scales.get(q.scale, ()) if isinstance(q, ScaleQuestion) and q.scale else q.options
    assert isinstance(q, ScaleQuestion | Choice)
    ordered = sorted(options, key=lambda o: o.points)
    if isinstance(q, ScaleQuestion) and q.reverse:
        ordered.reverse()
    return ordered[_step(level, len(ordered), rng)].value


def _step(level: float, steps: int, rng: random.Random) -> int:
    """An index 0..steps-1 around ``level * (steps - 1)``."""
    return min(steps - 1, max(0, round(level * (steps - 1) + rng.gauss(0.0, 0.6))))


def _multiple(q: MultipleChoice, level: float, rng: random.Random) -> tuple[str, ...]:
    chosen = [o.value for o in q.options if rng.random() < 0.05 + 0.85 * level]
    if q.max_selected is not None:
        chosen = chosen[: q.max_selected]
    for o in q.options:
        if len(chosen) >= q.min_selected:
            break
        if o.value not in chosen:
            chosen.append(o.value)
    return tuple(v for v in (o.value for o in q.options) if v in chosen)


def _numeric(q: Numeric, level: float, rng: random.Random) -> int | float:
    if q.linear is not None or not q.thresholds:
        line = q.linear or Linear(low=q.minimum or 0.0, high=q.maximum or 10.0)
        value = line.low + _clamp(level + rng.gauss(0.0, 0.1)) * (line.high - line.low)
        return _fit(q, round(value, 1))
    steps = sorted(q.thresholds, key=lambda t: t.min)
    by_points = sorted(range(len(steps)), key=lambda i: steps[i].points)
    i = by_points[_step(level, len(steps), rng)]
    lo = steps[i].min
    hi = steps[i + 1].min if i + 1 < len(steps) else max(lo * 2, lo + 4)
    fine = not q.integer and any(not float(t.min).is_integer() for t in steps)
    unit = 0.5 if fine else 1.0
    value = lo + math.floor(rng.random() * (hi - lo) / unit) * unit
    return _fit(q, value if fine else int(value))


def _fit(q: Numeric, value: int | float) -> int | float:
    if q.minimum is not None:
        value = max(value, q.minimum)
    if q.maximum is not None:
        value = min(value, q.maximum)
    return value


# -- the cohort --------------------------------------------------------------------------------

_STEMS = ("Muster", "Beispiel", "Modell", "Exempel", "Fiktiv", "Probe", "Schema", "Vorlage")
#: Name endings by type: towns sound like towns, villages like villages.
_ENDINGS = {
    "kreisfreie-stadt": ("burg", "stadt", "heim", "berg", "furt"),
    "kreisangehoerige-gemeinde": (
        "au",
        "bach",
        "dorf",
        "feld",
        "hausen",
        "ingen",
        "stedt",
        "hagen",
    ),
    "landkreis": ("land", "gau", "heide", "tal", "mark"),
}
_TYPES = (("kreisfreie-stadt", 0.25), ("kreisangehoerige-gemeinde", 0.5), ("landkreis", 0.25))
_POPULATION = {
    "kreisfreie-stadt": (35_000, 650_000),
    "kreisangehoerige-gemeinde": (1_500, 90_000),
    "landkreis": (55_000, 380_000),
}
_CONTACTS = (
    "Integrationsbüro",
    "Stabsstelle Vielfalt und Teilhabe",
    "Sozialamt, Sachgebiet Integration",
    "Büro der Verwaltungsspitze",
    "Amt für Migration und Integration",
    "Kommunales Integrationszentrum",
)
_DONT_KNOW = {"klein": 0.22, "mittel": 0.12, "gross": 0.05}
_NOT_APPLICABLE = {
    "kreisfreie-stadt": 0.03,
    "kreisangehoerige-gemeinde": 0.25,
    "landkreis": 0.08,
}


def size_class(population: int) -> str:
    """The size class code of a population (``klein``, ``mittel``, ``gross``)."""
    return [name for name, floor in SIZE_CLASSES if population >= floor][-1]


def slug(name: str) -> str:
    """``Landkreis Musterau`` -> ``landkreis-musterau`` (umlauts spelt out)."""
    name = name.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(plain.lower().split())


def _name(rng: random.Random, kind: str, taken: set[str]) -> str:
    """A fictional name not *taken* yet (with a numbered suffix once the plain ones run out)."""
    for attempt in range(10_000):
        name = rng.choice(_STEMS) + rng.choice(_ENDINGS[kind])
        if attempt >= 50:
            name += f" {attempt // 50 + 1}"
        if name not in taken:
            taken.add(name)
            return name
    raise ValueError("too many municipalities for the fictional names")


def _types(rng: random.Random, n: int) -> list[str]:
    counts = [round(n * share) for _, share in _TYPES]
    counts[1] += n - sum(counts)  # rounding leftovers go to the most common type
    kinds = [kind for (kind, _), count in zip(_TYPES, counts) for _ in range(count)]
    rng.shuffle(kinds)
    return kinds


def generate_cohort(
    seed: int = SEED, n: int = SIZE, questionnaire: Questionnaire | None = None
) -> list[Response]:
    """A cohort of *n* fictional municipalities with varied profiles and metadata.

    The same *seed* and *n* always give the same cohort.

    Args:
        seed: Seeds the random choices.
        n: Number of municipalities.
        questionnaire: The instrument (default: the bundled self-check).

    Returns:
        One response per municipality, with metadata ``name``, ``type``, ``size``,
        ``population``, ``date`` and ``contact``.
    """
    q = questionnaire or load_instrument(INSTRUMENT, VERSION)
    return [response for response, _ in _members(seed, n, q)]


def _members(seed: int, n: int, questionnaire: Questionnaire) -> list[tuple[Response, Profile]]:
    """The first round's members with the profiles their answers were drawn from."""
    rng = random.Random(seed)
    fields = [d.id for d in questionnaire.dimensions]
    taken = {"Musterstadt", "Beispielhausen", "Modellheide"}  # the three examples
    return [_member(rng, kind, taken, questionnaire, fields, 2024) for kind in _types(rng, n)]


def _member(
    rng: random.Random,
    kind: str,
    taken: set[str],
    questionnaire: Questionnaire,
    fields: Sequence[str],
    year: int,
) -> tuple[Response, Profile]:
    """A new fictional municipality of *kind*, answering in *year*."""
    name = _name(rng, kind, taken)
    lo, hi = _POPULATION[kind]
    population = int(math.exp(rng.uniform(math.log(lo), math.log(hi))))
    population = round(population, -2) if population > 10_000 else population
    size = size_class(population)
    full = f"Landkreis {name}" if kind == "landkreis" else name
    # larger municipalities have usually come further, but not always
    base = _clamp(0.22 + 0.09 * math.log10(population / 2_000) + rng.gauss(0.0, 0.12), 0.05, 0.9)
    maturity = {f: _clamp(base + rng.gauss(0.0, 0.15), 0.02, 0.98) for f in fields}
    profile = Profile(
        maturity=maturity,
        dont_know=_DONT_KNOW[size] * rng.uniform(0.5, 1.5),
        not_applicable=_NOT_APPLICABLE[kind],
        skipped=0.01,
    )
    metadata: dict[str, MetaValue] = {
        "name": full,
        "type": kind,
        "size": size,
        "population": population,
        "date": f"{year}-{rng.randint(2, 11):02d}-{rng.randint(1, 28):02d}",
        "contact": rng.choice(_CONTACTS),
    }
    response = generate_response(questionnaire, slug(full), profile, rng, metadata=metadata)
    return response, profile


#: The version each later round is answered to.
ROUND_VERSIONS = {2: "1.1"}
#: The year each later round is answered in.
ROUND_YEARS = {2: 2026}
#: Share of the members who leave before a later round, and newcomers joining it.
LEAVING = 0.1
NEWCOMERS = 2


def generate_round(round_number: int = 2, seed: int = SEED, n: int = SIZE) -> list[Response]:
    """A later round of the cohort, answered to the version of that round.

    The members of the first round (the same *seed* and *n*) answer again, two years on: each
    field's maturity moves a little (on average upwards), "don't know" gets rarer; about one in
    ten members does not take part again and a few newcomers join. The same arguments always
    give the same round.

    Args:
        round_number: Which round (2).
        seed: The seed of the first round; the later round's draws derive from it.
        n: Members of the first round.

    Returns:
        One response per member of the round: those staying in the first round's order, then
        the newcomers.

    Raises:
        ValueError: No such round.
    """
    if round_number not in ROUND_VERSIONS:
        raise ValueError(f"round {round_number}: rounds are 2 to {max(ROUND_VERSIONS)}")
    first = load_instrument(INSTRUMENT, VERSION)
    later = load_instrument(INSTRUMENT, ROUND_VERSIONS[round_number])
    year = ROUND_YEARS[round_number]
    rng = random.Random(f"{seed}-round-{round_number}")
    out: list[Response] = []
    taken = {"Musterstadt", "Beispielhausen", "Modellheide"}
    members = _members(seed, n, first)
    for response, _ in members:
        taken.add(str(response.metadata["name"]).removeprefix("Landkreis "))
    for response, profile in members:
        if rng.random() < LEAVING:
            continue
        moved = {
            f: _clamp(m + rng.gauss(0.04, 0.08), 0.02, 0.98) for f, m in profile.maturity.items()
        }
        again = attrs.evolve(profile, maturity=moved, dont_know=profile.dont_know * 0.8)
        metadata = {
            **response.metadata,
            "date": f"{year}-{rng.randint(2, 11):02d}-{rng.randint(1, 28):02d}",
        }
        out.append(generate_response(later, response.respondent, again, rng, metadata=metadata))
    fields = [d.id for d in later.dimensions]
    for kind in [k for k, _ in _TYPES][:NEWCOMERS]:
        out.append(_member(rng, kind, taken, later, fields, year)[0])
    return out


def cohort_text(responses: Sequence[Response], seed: int, n: int, round_number: int = 1) -> str:
    """The cohort file's text: a note on its origin, then the responses as YAML."""
    if round_number == 1:
        head = (
            f'# {n} fictional municipalities answering the self-check "Weltoffene Kommune".\n'
            f"# Generated by generate_cohort.py with --seed {seed} --n {n}; do not edit by hand.\n"
        )
    else:
        version = ROUND_VERSIONS[round_number]
        head = (
            f"# Round {round_number} of the fictional cohort ({len(responses)} municipalities), "
            f'answering version {version} of the self-check "Weltoffene Kommune".\n'
            f"# Generated by generate_cohort.py with --round {round_number} --seed {seed} "
            f"--n {n}; do not edit by hand.\n"
        )
    return head + dump_responses(responses)


# -- the three examples ------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Example:
    """One hand-profiled example municipality."""

    file: str
    respondent: str
    seed: int
    profile: Profile
    metadata: Mapping[str, MetaValue]
    fixed: Mapping[str, AnswerValue] = attrs.field(factory=dict)


_ZUGANG = (
    "bildung",
    "sprache",
    "arbeit-ausbildung",
    "wohnen",
    "gesundheit-pflege",
    "transport",
    "kultur",
    "sport",
    "sicherheit-recht",
)

EXAMPLES: tuple[Example, ...] = (
    # A large city: well steered, broad access to services; the neighbourhoods drift apart.
    Example(
        file="musterstadt.yaml",
        respondent="musterstadt",
        seed=11,
        profile=Profile(
            maturity={
                "management-steuerung": 0.88,
                "interkulturelle-oeffnung": 0.7,
                "fairer-zugang": 0.8,
                **dict.fromkeys(_ZUGANG, 0.8),
                "kultur": 0.65,
                "sport": 0.6,
                "arbeit-wirtschaft": 0.68,
                "engagement-beteiligung": 0.55,
                "zusammenhalt-begegnung": 0.1,
                "kommunikation-konflikt": 0.5,
            },
            spread=0.08,
            dont_know=0.03,
            not_applicable=0.0,
            skipped=0.0,
        ),
        metadata={
            "name": "Stadt Musterstadt",
            "type": "kreisfreie-stadt",
            "size": "gross",
            "population": 312_400,
            "date": "2024-05-14",
            "contact": "Stabsstelle Vielfalt und Teilhabe",
        },
        fixed={
            "ms-01": True,
            "ms-03": True,
            "ms-04": 3.5,
            "zb-02": True,
            "ms-14": (
                "Integrationskonzept „Musterstadt für alle“ (Ratsbeschluss 2019, fortgeschrieben "
                "2023); jährlicher Integrationsbericht mit 24 Kennzahlen; Stabsstelle Vielfalt mit "
                "3,5 Stellen; Steuerungsgruppe der Dezernate tagt quartalsweise."
            ),
            "io-14": (
                "Dienstvereinbarung Vielfalt (2021); Pflichtfortbildung für Führungskräfte; "
                "Beschwerdestelle im Bürgeramt seit 2022."
            ),
            "aw-11": "Welcome Center gemeinsam mit der IHK; Anerkennungsberatung im Jobcenter.",
            "kk-10": (
                "Ein Kommunikationskonzept fehlt bisher; nach den Protesten gegen eine neue "
                "Unterkunft 2023 gab es nur Einzelmaßnahmen."
            ),
        },
    ),
    # A small rural municipality at the start: much is run by the district, much is unknown.
    Example(
        file="beispielhausen.yaml",
        respondent="beispielhausen",
        seed=23,
        profile=Profile(
            maturity={
                "management-steuerung": 0.12,
                "interkulturelle-oeffnung": 0.1,
                "fairer-zugang": 0.22,
                **dict.fromkeys(_ZUGANG, 0.22),
                "sport": 0.45,
                "arbeit-wirtschaft": 0.15,
                "engagement-beteiligung": 0.3,
                "zusammenhalt-begegnung": 0.42,
                "kommunikation-konflikt": 0.2,
            },
            spread=0.1,
            dont_know=0.3,
            not_applicable=0.3,
            skipped=0.02,
        ),
        metadata={
            "name": "Gemeinde Beispielhausen",
            "type": "kreisangehoerige-gemeinde",
            "size": "klein",
            "population": 4_870,
            "date": "2024-09-03",
            "contact": "Hauptamt",
        },
        fixed={
            "ms-01": False,
            "ms-03": False,
            "fz-sr-01": State.NOT_APPLICABLE,  # the immigration office is the district's
            "fz-sr-02": State.NOT_APPLICABLE,
            "fz-aa-02": State.NOT_APPLICABLE,
            "fz-gp-03": State.NOT_APPLICABLE,
            "fz-tr-02": State.NOT_APPLICABLE,
            "ms-14": (
                "Kein eigenes Konzept; die Gemeinde orientiert sich am Integrationskonzept des "
                "Landkreises. Ansprechperson ist nebenbei die Leiterin des Hauptamts."
            ),
            "zb-01": "begonnen",
        },
    ),
    # A mid-sized district: strong volunteering and civic participation, weak internal opening.
    Example(
        file="landkreis-modellheide.yaml",
        respondent="landkreis-modellheide",
        seed=37,
        profile=Profile(
            maturity={
                "management-steuerung": 0.45,
                "interkulturelle-oeffnung": 0.25,
                "fairer-zugang": 0.5,
                **dict.fromkeys(_ZUGANG, 0.5),
                "arbeit-wirtschaft": 0.42,
                "engagement-beteiligung": 0.9,
                "zusammenhalt-begegnung": 0.7,
                "kommunikation-konflikt": 0.55,
            },
            spread=0.1,
            dont_know=0.08,
            not_applicable=0.05,
            skipped=0.01,
        ),
        metadata={
            "name": "Landkreis Modellheide",
            "type": "landkreis",
            "size": "mittel",
            "population": 94_300,
            "date": "2024-03-21",
            "contact": "Kommunales Integrationszentrum",
        },
        fixed={
            "eb-01": True,
            "eb-02": "antrag-budget",
            "eb-04": 14,
            "io-01": False,
            "aw-11": "Runder Tisch Fachkräfte mit Kreishandwerkerschaft und Agentur für Arbeit.",
            "kk-10": (
                "Leitfaden für den Umgang mit Gerüchten (2022); Konfliktlotsinnen und -lotsen in "
                "vier Gemeinden; Kreistag hat 2023 eine Erklärung gegen Rassismus beschlossen."
            ),
        },
    ),
)


def example_response(example: Example, questionnaire: Questionnaire) -> Response:
    """The response of one example municipality (the same on every run)."""
    return generate_response(
        questionnaire,
        example.respondent,
        example.profile,
        random.Random(example.seed),
        metadata=example.metadata,
        fixed=example.fixed,
    )


def example_text(example: Example, questionnaire: Questionnaire) -> str:
    """The example as a filled-in German answer sheet."""
    return yaml_template(
        questionnaire, language="de", response=example_response(example, questionnaire)
    )


# -- command line ------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Write the cohort (and, by default, the three examples) beside this script."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    parser.add_argument("--n", type=int, default=SIZE, help=f"municipalities (default {SIZE})")
    parser.add_argument(
        "-o", "--output", help="cohort file (default: cohort.yaml beside this script)"
    )
    parser.add_argument(
        "--no-examples", action="store_true", help="do not rewrite the three examples"
    )
    parser.add_argument(
        "--round",
        type=int,
        default=1,
        choices=(1, *ROUND_VERSIONS),
        help="1 (default): the first round and the examples; 2: the second round under 1.1 "
        "(default file runde-2/cohort.yaml)",
    )
    args = parser.parse_args(argv)
    if args.round > 1:
        target = Path(args.output) if args.output else HERE / f"runde-{args.round}" / "cohort.yaml"
        responses = generate_round(args.round, args.seed, args.n)
        write_text(target, cohort_text(responses, args.seed, args.n, args.round))
        print(f"wrote {target}")
        return 0
    q = load_instrument(INSTRUMENT, VERSION)
    target = Path(args.output) if args.output else HERE / "cohort.yaml"
    write_text(target, cohort_text(generate_cohort(args.seed, args.n, q), args.seed, args.n))
    print(f"wrote {target}")
    if not args.no_examples:
        for example in EXAMPLES:
            write_text(HERE / example.file, example_text(example, q))
            print(f"wrote {HERE / example.file}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
