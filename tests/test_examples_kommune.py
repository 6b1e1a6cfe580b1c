"""The fictional municipalities under examples/weltoffene-kommune: current, consistent, distinct."""

from __future__ import annotations

import importlib.util
import statistics
import sys
from collections import Counter
from pathlib import Path

import pytest

from weltoffen import State, compile, score
from weltoffen.instruments import load_instrument
from weltoffen.serialization.api import load_responses

FOLDER = Path(__file__).resolve().parent.parent / "examples" / "weltoffene-kommune"
REGENERATE = "outdated: run python examples/weltoffene-kommune/generate_cohort.py"
FIELDS = (
    "management-steuerung",
    "interkulturelle-oeffnung",
    "fairer-zugang",
    "arbeit-wirtschaft",
    "engagement-beteiligung",
    "zusammenhalt-begegnung",
    "kommunikation-konflikt",
)


def _load_script():
    spec = importlib.util.spec_from_file_location("generate_cohort", FOLDER / "generate_cohort.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # attrs classes look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen():
    return _load_script()


@pytest.fixture(scope="module")
def kommune():
    return load_instrument("weltoffene-kommune", "1.0")


@pytest.fixture(scope="module")
def plan(kommune):
    return compile(kommune)


@pytest.fixture(scope="module")
def examples(plan):
    out = {}
    for name in ("musterstadt", "beispielhausen", "landkreis-modellheide"):
        (response,) = load_responses(FOLDER / f"{name}.yaml")
        out[name] = (response, score(plan, response, trace=True))
    return out


@pytest.fixture(scope="module")
def cohort():
    return load_responses(FOLDER / "cohort.yaml")


def _fields(result):
    return {d.id: d.score for d in result.dimensions}


def _consistent(result) -> bool:
    """No answer was given to a question whose condition is false."""
    return not any(
        item.state is State.HIDDEN and item.value is not None
        for d in result.iter_dimensions()
        for item in d.items
    )


class TestExamples:
    def test_files_are_current(self, gen, kommune):
        """The committed files are what the script writes (run it after changing either)."""
        for example in gen.EXAMPLES:
            assert (FOLDER / example.file).read_text(encoding="utf-8") == gen.example_text(
                example, kommune
            ), f"{example.file} {REGENERATE}"

    def test_each_answers_every_question_of_the_instrument(self, kommune, examples):
        ids = {q.id for _, q in kommune.iter_questions()}
        for response, result in examples.values():
            assert set(response.answers) == ids  # the sheet lists them all, unanswered as skipped
            assert _consistent(result)

    def test_metadata(self, examples):
        meta = {name: dict(r.metadata) for name, (r, _) in examples.items()}
        assert {m["type"] for m in meta.values()} == {
            "kreisfreie-stadt",
            "kreisangehoerige-gemeinde",
            "landkreis",
        }
        assert {m["size"] for m in meta.values()} == {"gross", "klein", "mittel"}

    def test_large_city_strong_in_management_and_access_weak_in_cohesion(self, examples):
        fields = _fields(examples["musterstadt"][1])
        assert all(s is not None for s in fields.values())
        ranked = sorted(fields, key=lambda f: fields[f], reverse=True)
        assert set(ranked[:3]) >= {"management-steuerung", "fairer-zugang"}
        assert ranked[-1] == "zusammenhalt-begegnung"
        assert examples["musterstadt"][1].counts["dont_know"] <= 5

    def test_small_municipality_is_starting_with_many_open_questions(self, examples):
        result = examples["beispielhausen"][1]
        assert result.counts["dont_know"] >= 20
        assert result.counts["not_applicable"] >= 5
        assert result.score < min(
            r.score for n, (_, r) in examples.items() if n != "beispielhausen"
        )
        assert None in _fields(result).values()  # a field is not assessable: too little known
        assert all(s is None or s < 50 for s in _fields(result).values())

    def test_district_strong_in_engagement(self, examples):
        fields = _fields(examples["landkreis-modellheide"][1])
        assert max(fields, key=lambda f: fields[f] or 0) == "engagement-beteiligung"
        assert fields["interkulturelle-oeffnung"] < 40

    def test_profiles_differ(self, examples):
        """Each example's field ranking is its own: the strongest fields are different."""
        best = {
            name: max(FIELDS, key=lambda f, r=result: _fields(r)[f] or -1)
            for name, (_, result) in examples.items()
        }
        assert len(set(best.values())) == 3

    def test_evidence_texts_are_kept(self, examples):
        assert "Integrationskonzept" in examples["musterstadt"][1].texts["ms-14"]


class TestCohort:
    def test_file_is_current(self, gen):
        text = gen.cohort_text(gen.generate_cohort(gen.SEED, gen.SIZE), gen.SEED, gen.SIZE)
        assert (FOLDER / "cohort.yaml").read_text(encoding="utf-8") == text, REGENERATE

    def test_generator_is_deterministic(self, gen, kommune):
        a = gen.generate_cohort(seed=5, n=8, questionnaire=kommune)
        assert a == gen.generate_cohort(seed=5, n=8, questionnaire=kommune)
        assert a != gen.generate_cohort(seed=6, n=8, questionnaire=kommune)
        assert len(a) == 8

    def test_forty_distinct_fictional_members(self, cohort, examples):
        assert len(cohort) == 40
        assert len({r.respondent for r in cohort}) == 40
        names = {r.metadata["name"] for r in cohort}
        assert len(names) == 40
        assert not names & {r.metadata["name"] for r, _ in examples.values()}
        stems = ("Muster", "Beispiel", "Modell", "Exempel", "Fiktiv", "Probe", "Schema", "Vorlage")
        assert all(any(s in n for s in stems) for n in names)

    def test_varied_metadata(self, cohort):
        types = Counter(r.metadata["type"] for r in cohort)
        assert types == {"kreisangehoerige-gemeinde": 20, "kreisfreie-stadt": 10, "landkreis": 10}
        sizes = Counter(r.metadata["size"] for r in cohort)
        assert set(sizes) == {"klein", "mittel", "gross"}
        assert min(sizes.values()) >= 5
        for r in cohort:
            population = r.metadata["population"]
            assert isinstance(population, int)
            expected = (
                "klein" if population < 20_000 else "mittel" if population < 100_000 else "gross"
            )
            assert r.metadata["size"] == expected

    def test_scores_are_plausible(self, cohort, plan):
        results = [score(plan, r, trace=True) for r in cohort]
        assessable = [all(d.score is not None for d in r.dimensions) for r in results]
        assert sum(assessable) >= 30  # most members can be assessed in all seven fields
        assert all(_consistent(r) for r in results)
        overall = [r.score for r in results if r.score is not None]
        assert 20 < statistics.median(overall) < 60
        assert max(overall) - min(overall) > 40  # varied profiles

        def median_of(size: str, what) -> float:
            return statistics.median(what(r) for r in results if r.metadata["size"] == size)

        dont_know = lambda r: r.counts["dont_know"]  # noqa: E731
        assert median_of("klein", dont_know) > 2 * median_of("gross", dont_know)
        overall_or_0 = lambda r: r.score or 0.0  # noqa: E731
        assert median_of("gross", overall_or_0) > median_of("klein", overall_or_0)

    def test_follow_ups_answered_only_after_their_lead(self, cohort):
        for r in cohort:
            if r.answers.get("ms-01") is not True:
                assert "ms-02" not in r.answers
            if r.answers.get("ms-03") is not True:
                assert "ms-04" not in r.answers


@pytest.fixture(scope="module")
def second():
    return load_responses(FOLDER / "runde-2" / "cohort.yaml")


class TestSecondRound:
    """runde-2/cohort.yaml: the cohort answering again under 1.1, two years on."""

    def test_file_is_current(self, gen):
        text = gen.cohort_text(gen.generate_round(2, gen.SEED, gen.SIZE), gen.SEED, gen.SIZE, 2)
        regenerate = REGENERATE + " --round 2"
        assert (FOLDER / "runde-2" / "cohort.yaml").read_text(encoding="utf-8") == text, regenerate

    def test_generator_is_deterministic_and_keeps_the_first_round(self, gen, kommune):
        a = gen.generate_round(2, seed=5, n=8)
        assert a == gen.generate_round(2, seed=5, n=8)
        assert a != gen.generate_round(2, seed=6, n=8)
        first = {r.respondent: r for r in gen.generate_cohort(seed=5, n=8, questionnaire=kommune)}
        for r in a:
            if r.respondent in first:  # the same municipality, asked again
                before = first[r.respondent].metadata
                assert {k: v for k, v in r.metadata.items() if k != "date"} == {
                    k: v for k, v in before.items() if k != "date"
                }
        with pytest.raises(ValueError, match="round 3"):
            gen.generate_round(3)

    def test_most_members_answer_again_some_leave_some_join(self, second, cohort):
        first, again = {r.respondent for r in cohort}, {r.respondent for r in second}
        assert 30 <= len(first & again) < 40
        assert again - first  # newcomers
        assert all(str(r.metadata["date"]).startswith("2026-") for r in second)

    def test_answers_fit_version_1_1_and_scores_rise_on_the_whole(self, second, cohort, plan):
        newer = compile(load_instrument("weltoffene-kommune", "1.1"))
        later = {r.respondent: score(newer, r).score for r in second}  # raises if invalid
        assert all("ms-11" not in r.answers for r in second)  # dropped in 1.1
        earlier = {r.respondent: score(plan, r).score for r in cohort}
        both = [later[m] - earlier[m] for m in later if m in earlier and later[m] and earlier[m]]
        assert statistics.median(both) > 0
        assert min(both) < 0 < max(both)  # not everyone improves
