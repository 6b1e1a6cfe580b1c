"""A cohort over several rounds: ``weltoffen cohort --earlier FILE[@VERSION]`` and
:func:`weltoffen.analysis.cohort_change`."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.helpers import check_result, hand_made_result, kommune, sample_response
from weltoffen.analysis.cohort_change import ChangeSummary, RoundResults, cohort_change
from weltoffen.cli import main
from weltoffen.exceptions import ScoringError
from weltoffen.instruments import crosswalk_paths, load_instrument, path_of
from weltoffen.scoring.engine import score
from weltoffen.scoring.plan import compile
from weltoffen.scoring.results import Result
from weltoffen.serialization.api import dump_responses, load_responses
from weltoffen.versions.crosswalk import load_crosswalk
from weltoffen.versions.migrate import MigrationNote, migrate

KOMMUNE = Path(__file__).resolve().parent.parent / "examples" / "weltoffene-kommune"
REPORTS = KOMMUNE / "reports"
FIRST = f"{KOMMUNE / 'cohort.yaml'}@1.0"
SECOND = str(KOMMUNE / "runde-2" / "cohort.yaml")
NEWEST = ["cohort", "--instrument", "weltoffene-kommune"]
OLD = ["cohort", "--instrument", "weltoffene-kommune", "--version", "1.0"]


def _json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[Any, str]:
    assert main([*argv, "--format", "json"]) == 0
    out, err = capsys.readouterr()
    return json.loads(out), err


def _rounds(tmp_path: Path, *members: list[str]) -> list[str]:
    """One file per round, each member answering a little better in each later round."""
    plan = kommune()
    paths = []
    for k, who in enumerate(members):
        path = tmp_path / f"round-{k}.yaml"
        dump_responses([sample_response(plan, m, shift=i + k) for i, m in enumerate(who)], path)
        paths.append(str(path))
    return paths


# -- the command ---------------------------------------------------------------------------------


class TestTheExampleCohortOverTwoRounds:
    """Round 1 answered to 1.0, carried to 1.1 by the bundled crosswalk; round 2 answered to 1.1."""

    def test_json_has_the_rounds_what_was_not_carried_and_the_change(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data, err = _json([*NEWEST, SECOND, "--earlier", FIRST], capsys)
        check_result(data, "cohort")
        change = data["change"]
        first, second = change["rounds"]
        assert (first["version"], first["n"], second["version"], second["n"]) == (
            "1.0",
            40,
            "1.1",
            39,
        )
        assert change["ordered_by_date"] is True
        assert first["first"] < first["last"] < second["first"]
        (dropped,) = first["not_carried"]
        assert (dropped["question"], dropped["code"]) == ("ms-11", "dropped")
        assert len(dropped["respondents"]) == 40
        assert second["not_carried"] == []
        assert "ms-11" in err  # said on stderr too
        assert "not carried" in err
        (step,) = change["steps"]
        assert (step["matched"], step["only_before"], step["only_after"]) == (37, 3, 2)
        overall = step["dimensions"][0]
        assert overall["id"] == "weltoffene-kommune"
        assert overall["n"] + overall["missing"] == 39
        assert overall["improved"] + overall["worsened"] + overall["unchanged"] == overall["n"]
        assert overall["min"] <= overall["q1"] <= overall["median"] <= overall["q3"]
        assert overall["q3"] <= overall["max"]

    def test_the_change_is_later_minus_earlier_score_of_each_member(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        data, _ = _json([*NEWEST, SECOND, "--earlier", FIRST, "--min-group", "1"], capsys)
        later = {m["respondent"]: m["score"] for m in data["dimensions"][0]["members"]}
        # The first round carried and scored by hand: the library's migrate and score.
        (crosswalk,) = [load_crosswalk(p) for p in crosswalk_paths("weltoffene-kommune")]
        first = load_responses(KOMMUNE / "cohort.yaml")
        plan = compile(load_instrument("weltoffene-kommune", "1.1"))
        carried = migrate(first, crosswalk).responses
        earlier = {r.respondent: score(plan, r).score for r in carried}
        changes = sorted(later[m] - earlier[m] for m in later if m in earlier)
        overall = data["change"]["steps"][0]["dimensions"][0]
        assert overall["n"] == len(changes) == 37
        assert overall["min"] == pytest.approx(changes[0])
        assert overall["max"] == pytest.approx(changes[-1])
        assert overall["improved"] == sum(1 for c in changes if c > 1e-9)

    def test_table_lists_the_rounds_and_the_change(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main([*NEWEST, SECOND, "--earlier", FIRST, "--lang", "en"]) == 0
        out = capsys.readouterr().out
        assert "Round 1: " in out
        assert "answered to 1.0, n = 40" in out
        assert "not carried: ms-11 (no longer asked): 40" in out
        change = out[out.index("Change since the earlier round") :]
        assert change.splitlines()[0].endswith("Round 1 → Round 2")
        overall = next(line for line in change.splitlines() if line.startswith("Overall"))
        assert overall.split()[1:3] == ["37", "2"]
        assert "only in the earlier round: 3; only in the later round (missing): 2" in change

    def test_markdown_and_html_have_the_section(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        pytest.importorskip("matplotlib")
        assert main([*NEWEST, SECOND, "--earlier", FIRST, "--format", "markdown"]) == 0
        md = capsys.readouterr().out
        section = md[md.index("## Veränderung zwischen den Runden") : md.index("## Häufigste")]
        assert "### Von Runde 1 zu Runde 2" in section
        assert "- ms-11: wird nicht mehr gefragt, 40" in section
        assert "37 Mitglieder haben an beiden Runden teilgenommen" in section
        out = tmp_path / "k.html"
        assert main([*NEWEST, SECOND, "--earlier", FIRST, "-o", str(out), "-q"]) == 0
        html = out.read_text(encoding="utf-8")
        section = html[html.index('<section class="change"') : html.index('id="dont-know"')]
        assert section.count("<svg") == 1
        assert 'role="img" aria-label="Von Runde 1 zu Runde 2. Gesamtergebnis: Median' in section
        assert "<figcaption>" in section
        assert section.count("<caption") == 2
        assert 'scope="col"' in section

    def test_an_own_questionnaire_with_older_and_crosswalk(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        own = [
            "cohort",
            str(path_of("weltoffene-kommune", "1.1")),
            SECOND,
            "--earlier",
            FIRST,
            "--older",
            str(path_of("weltoffene-kommune", "1.0")),
            *(x for p in crosswalk_paths("weltoffene-kommune") for x in ("--crosswalk", str(p))),
        ]
        data, _ = _json(own, capsys)
        bundled, _ = _json([*NEWEST, SECOND, "--earlier", FIRST], capsys)
        assert data["change"] == bundled["change"]


class TestRoundsOfOneVersion:
    def test_a_member_in_one_round_only_counts_as_missing(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        earlier, later = _rounds(
            tmp_path, [f"m{i}" for i in range(6)], [f"m{i}" for i in range(1, 7)]
        )
        data, _ = _json([*OLD, later, "--earlier", earlier, "--min-group", "3"], capsys)
        (step,) = data["change"]["steps"]
        assert (step["matched"], step["only_before"], step["only_after"]) == (5, 1, 1)
        assert (step["dimensions"][0]["n"], step["dimensions"][0]["missing"]) == (5, 1)
        assert data["change"]["rounds"][0]["not_carried"] == []

    def test_below_min_group_every_figure_of_the_change_is_withheld(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        who = [f"m{i}" for i in range(5)]
        earlier, later = _rounds(tmp_path, who, who)
        data, _ = _json([*OLD, later, "--earlier", earlier, "--min-group", "6"], capsys)
        check_result(data, "cohort")
        for dim in data["change"]["steps"][0]["dimensions"]:
            assert dim["suppressed"] is True
            assert {"n", "median", "improved", "min"}.isdisjoint(dim)
        assert (
            main([*OLD, later, "--earlier", earlier, "--min-group", "6", "--format", "markdown"])
            == 0
        )
        md = capsys.readouterr().out
        section = md[md.index("## Veränderung") : md.index("## Häufigste")]
        assert "unterdrückt" in section
        assert "+" not in section.split("### Von Runde 1 zu Runde 2")[1]  # no signed figure
        shown, _ = _json([*OLD, later, "--earlier", earlier, "--min-group", "5"], capsys)
        assert shown["change"]["steps"][0]["dimensions"][0]["n"] == 5

    def test_three_rounds_give_two_consecutive_steps(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        who = [f"m{i}" for i in range(5)]
        a, b, c = _rounds(tmp_path, who, who, who)
        data, _ = _json([*OLD, c, "--earlier", a, "--earlier", b, "--min-group", "1"], capsys)
        # no dates in the metadata: the order given, the current round last
        assert [r["label"] for r in data["change"]["rounds"]] == [a, b, c]
        assert data["change"]["ordered_by_date"] is False
        steps = data["change"]["steps"]
        assert [(s["before"], s["after"]) for s in steps] == [(a, b), (b, c)]


class TestBadEarlierRounds:
    def test_every_problem_at_once_each_placed(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        (good,) = _rounds(tmp_path, [f"m{i}" for i in range(3)])
        bad = tmp_path / "bad.yaml"
        bad.write_text("- respondent: x\n  answers:\n    ms-06: no-such-option\n", encoding="utf-8")
        twice = tmp_path / "twice.yaml"
        dump_responses([sample_response(kommune(), "y"), sample_response(kommune(), "y")], twice)
        argv = [*OLD, good, "--earlier", f"{good}@9.9", "--earlier", str(bad)]
        argv += ["--earlier", str(twice), "--earlier", f"{SECOND}@1.1"]
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert f"{good}@9.9" in err
        assert "no questionnaire of version '9.9'" in err
        assert str(bad) in err
        assert "answers.ms-06" in err
        assert str(twice) in err
        assert "appears twice" in err
        assert "no crosswalk leads from version 1.1 to 1.0" in err
        assert "Traceback" not in err

    def test_a_missing_file_is_a_problem_not_a_traceback(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        (good,) = _rounds(tmp_path, ["m0"])
        assert main([*OLD, good, "--earlier", str(tmp_path / "nowhere.yaml")]) == 1
        err = capsys.readouterr().err
        assert "nowhere.yaml" in err
        assert "Traceback" not in err


@pytest.mark.skipif(
    not (REPORTS / "kohorte-entwicklung.md").is_file(), reason="no sample cohort report"
)
def test_committed_cohort_report_over_two_rounds_matches_the_documented_command(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (REPORTS / "README.md").read_text(encoding="utf-8")
    (line,) = [
        x
        for x in readme.splitlines()
        if x.startswith("weltoffen cohort") and "kohorte-entwicklung.md" in x
    ]
    argv = shlex.split(line)[1:]
    assert argv[-2:] == ["-o", "kohorte-entwicklung.md"]
    monkeypatch.chdir(REPORTS)
    assert main([*argv[:-2], "--format", "markdown"]) == 0
    out, err = capsys.readouterr()
    assert "../cohort.yaml: not carried: ms-11 (dropped): 40 of 40 members" in err
    assert (REPORTS / "kohorte-entwicklung.md").read_text(encoding="utf-8") == out


# -- the analysis --------------------------------------------------------------------------------


def _round(label: str, results: list[Result], **kw: Any) -> RoundResults:
    return RoundResults(label=label, results=tuple(results), **kw)


def _dated(who: str, date: str | None, overall: float, a: float | None = None) -> Result:
    import attrs

    r = hand_made_result(who, overall, a=a if a is not None else overall)
    return attrs.evolve(r, metadata={} if date is None else {"date": date})


class TestCohortChange:
    def test_counts_members_that_rose_fell_or_stayed(self) -> None:
        before = [hand_made_result(f"m{i}", 50.0, a=50.0) for i in range(6)]
        after = [
            hand_made_result(f"m{i}", 50.0 + d, a=50.0) for i, d in enumerate([-3, 0, 0, 1, 2, 5])
        ]
        (step,) = cohort_change([_round("a", before), _round("b", after)]).steps
        overall, field = step.summaries
        assert (overall.improved, overall.worsened, overall.unchanged) == (3, 1, 2)
        assert (field.improved, field.worsened, field.unchanged) == (0, 0, 6)
        assert (overall.median, overall.min, overall.max) == (0.5, -3.0, 5.0)

    def test_rounds_are_ordered_by_their_earliest_date(self) -> None:
        late = _round("late", [_dated(f"m{i}", f"2026-0{i + 1}-01", 60.0) for i in range(5)])
        early = _round("early", [_dated(f"m{i}", f"2024-0{9 - i}-01", 50.0) for i in range(5)])
        change = cohort_change([late, early])
        assert change.ordered_by_date
        assert [r.label for r in change.rounds] == ["early", "late"]
        assert [r.given for r in change.rounds] == [1, 0]
        assert (change.rounds[0].first, change.rounds[0].last) == ("2024-05-01", "2024-09-01")
        assert change.steps[0].summaries[0].median == 10.0

    def test_without_a_date_everywhere_the_order_given_stays(self) -> None:
        late = _round("late", [_dated(f"m{i}", "2026-01-01", 60.0) for i in range(5)])
        undated = [_dated(f"m{i}", None if i == 0 else "2024-01-01", 50.0) for i in range(5)]
        change = cohort_change([late, _round("early", undated)])
        assert not change.ordered_by_date
        assert [r.label for r in change.rounds] == ["late", "early"]
        assert change.rounds[1].first is None
        assert change.steps[0].summaries[0].median == -10.0

    def test_not_carried_notes_are_gathered_by_question_and_code(self) -> None:
        notes = (
            MigrationNote("m0", "q1", "dropped", "gone"),
            MigrationNote("m1", "q2", "recoded-away", "x"),
            MigrationNote("m1", "q1", "dropped", "gone"),
        )
        results = [hand_made_result(f"m{i}", 50.0) for i in range(2)]
        change = cohort_change([_round("a", results, notes=notes), _round("b", results)])
        assert change.rounds[0].not_carried() == (
            ("q1", "dropped", ("m0", "m1")),
            ("q2", "recoded-away", ("m1",)),
        )

    def test_refuses_what_cannot_be_compared_saying_everything_at_once(self) -> None:
        import attrs

        one = [hand_made_result("m0", 50.0)]
        other = [attrs.evolve(hand_made_result("m0", 50.0), version="2")]
        twice = [hand_made_result("m0", 50.0), hand_made_result("m0", 40.0)]
        with pytest.raises(ScoringError) as caught:
            cohort_change([_round("a", one), _round("b", other), _round("c", twice)], min_group=0)
        messages = " | ".join(p.message for p in caught.value.problems)
        assert "another version" in messages
        assert "appears twice in round 'c'" in messages
        assert "must be at least 1" in messages
        with pytest.raises(ScoringError, match="at least two rounds"):
            cohort_change([_round("a", one)])


_SCORE = st.one_of(st.none(), st.floats(0, 100, allow_nan=False))


@st.composite
def _two_rounds(draw: st.DrawFn) -> tuple[list[Result], list[Result]]:
    n = draw(st.integers(1, 8))
    rounds = []
    for _ in range(2):
        rows = [(draw(_SCORE), draw(_SCORE)) for _ in range(n)]
        rounds.append([hand_made_result(f"m{i}", o, a=a) for i, (o, a) in enumerate(rows)])
    return rounds[0], rounds[1]


def _negated(s: ChangeSummary) -> tuple[Any, ...]:
    def neg(v: float | None) -> float | None:
        return None if v is None else -v

    return (s.n, s.missing, neg(s.median), neg(s.q3), neg(s.q1), neg(s.max), neg(s.min))


@given(_two_rounds(), st.integers(1, 4))
def test_a_cohort_against_itself_changes_nothing(
    rounds: tuple[list[Result], list[Result]], min_group: int
) -> None:
    results = rounds[0]
    (step,) = cohort_change([_round("a", results), _round("b", results)], min_group=min_group).steps
    for s in step.summaries:
        if s.suppressed:
            continue
        assert (s.min, s.max, s.median) == (0.0, 0.0, 0.0)
        assert (s.improved, s.worsened, s.unchanged) == (0, 0, s.n)


@given(_two_rounds(), st.integers(1, 4))
def test_swapping_the_rounds_negates_the_change(
    rounds: tuple[list[Result], list[Result]], min_group: int
) -> None:
    a, b = rounds
    (forward,) = cohort_change([_round("a", a), _round("b", b)], min_group=min_group).steps
    (backward,) = cohort_change([_round("b", b), _round("a", a)], min_group=min_group).steps
    for f, g in zip(forward.summaries, backward.summaries, strict=True):
        assert f.suppressed == g.suppressed
        if f.suppressed:
            continue
        got = (g.n, g.missing, g.median, g.q1, g.q3, g.min, g.max)
        assert got == pytest.approx(_negated(f))
        assert (g.improved, g.worsened, g.unchanged) == (f.worsened, f.improved, f.unchanged)


def test_texts_from_the_files_are_escaped_in_the_reports(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    who = [f"m{i}" for i in range(5)]
    earlier, later = _rounds(tmp_path, who, who)
    hostile = tmp_path / "<b>x|y.yaml"
    Path(earlier).rename(hostile)
    assert main([*OLD, later, "--earlier", str(hostile), "--format", "markdown"]) == 0
    md = capsys.readouterr().out
    assert "<b>" not in md
    assert "x\\|y" in md  # a pipe would split the table cell
    out = tmp_path / "k.html"
    assert main([*OLD, later, "--earlier", str(hostile), "-o", str(out), "-q"]) == 0
    html = out.read_text(encoding="utf-8")
    assert "&lt;b&gt;x|y.yaml" in html
    assert "<b>x" not in html


def test_rounds_follow_their_dates_and_a_current_round_dated_earlier_is_noticed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import attrs

    plan = kommune()
    paths = []
    for k, year in enumerate((2026, 2024)):
        path = tmp_path / f"{year}.yaml"
        members = [
            attrs.evolve(
                sample_response(plan, f"m{i}", shift=i + k),
                metadata={"date": f"{year}-03-0{i + 1}"},
            )
            for i in range(5)
        ]
        dump_responses(members, path)
        paths.append(str(path))
    later, older = paths
    data, err = _json([*OLD, later, "--earlier", older, "--min-group", "1"], capsys)
    assert [r["label"] for r in data["change"]["rounds"]] == [older, later]
    assert data["change"]["ordered_by_date"] is True
    assert err == ""
    # "--earlier" names the round of 2026: the rounds still follow their dates, and it is said
    data, err = _json([*OLD, older, "--earlier", later, "--min-group", "1"], capsys)
    assert [r["label"] for r in data["change"]["rounds"]] == [older, later]
    assert "an earlier round is later than the current" in err
