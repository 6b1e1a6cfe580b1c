"""``weltoffen report --sensitivity``: the section on how much the scores depend on the method."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import kommune, sample_response
from weltoffen import ScoringError, score
from weltoffen.analysis.advice import advise
from weltoffen.analysis.sensitivity import analyse_sensitivity, load_choices
from weltoffen.cli import main
from weltoffen.cli._sensitivity import DEFAULT_CHOICES
from weltoffen.reports.document import build_document
from weltoffen.reports.markdown import render_markdown
from weltoffen.reports.varied import varied_sentences

KOMMUNE = Path(__file__).parent.parent / "examples" / "weltoffene-kommune"
MUSTERSTADT = str(KOMMUNE / "musterstadt.yaml")
BASE = ["report", "--instrument", "weltoffene-kommune", "--version", "1.0", MUSTERSTADT]

needs_extra = pytest.mark.skipif(
    not all(__import__("importlib").util.find_spec(m) for m in ("jinja2", "matplotlib")),
    reason="the HTML report needs the extra 'report'",
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main([*BASE, *argv])
    out, err = capsys.readouterr()
    return status, out, err


def musterstadt_analysis(draws: int, seed: int = 0) -> tuple[str, ...]:
    """What the report's default analysis of Musterstadt alone varied, in the report's words."""
    from weltoffen.serialization.responses import load_response_file

    plan = kommune()
    (response,) = load_response_file(MUSTERSTADT, plan.questionnaire).responses
    report = analyse_sensitivity(
        plan, [response], load_choices(text=DEFAULT_CHOICES), draws=draws, seed=seed, indices=False
    )
    return varied_sentences(report.choices, "de")


class TestSection:
    @needs_extra
    def test_html_holds_the_interval_chart_and_what_was_varied(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The page has the interval chart, the band probabilities and every varied choice."""
        status, html, err = run(capsys, "--sensitivity", "--draws", "20")
        assert (status, err) == (0, "")
        assert 'id="sensitivity"' in html
        assert "wo-chart wo-interval" in html
        assert "Wahr&shy;schein&shy;lich&shy;keit je Stufe" in html  # a header: hyphenated
        from markupsafe import escape  # as the template escapes

        varied = musterstadt_analysis(20)
        assert len(varied) == 3
        for sentence in varied:
            assert str(escape(sentence)) in html
        assert "20 Varianten, Startwert 0" in html

    def test_markdown_section_with_every_field(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, out, _ = run(capsys, "--sensitivity", "--draws", "20", "--format", "markdown")
        assert status == 0
        section = out[out.index("## Wie robust ist das Ergebnis?") :]
        assert "### Was variiert wurde" in section
        assert "gewichtetes Mittel oder geometrisches Mittel" in section  # in German words
        for title in ("Gesamtergebnis", "Management und Steuerung", "Zusammenhalt und Begegnung"):
            assert f"| {title} |" in section

    def test_without_the_option_there_is_no_section(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        _, out, _ = run(capsys, "--format", "markdown")
        assert "Wie robust" not in out

    def test_with_a_cohort_the_rank_interval_is_stated(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Musterstadt is analysed with the 40 others: its rank interval among 41 is shown."""
        status, out, _ = run(
            capsys,
            "--sensitivity",
            "--draws",
            "10",
            "--cohort",
            str(KOMMUNE / "cohort.yaml"),
            "--format",
            "markdown",
        )
        assert status == 0
        assert "Rang in der Vergleichsgruppe (41 Mitglieder):" in out

    def test_choices_file_sets_what_varies(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Only the declared policy varies: the section names it and nothing else."""
        choices = tmp_path / "choices.yaml"
        choices.write_text("policies: [exclude, zero]\n", encoding="utf-8")
        status, out, _ = run(
            capsys, "--sensitivity", "--choices", str(choices), "--format", "markdown"
        )
        assert status == 0
        section = out[out.index("### Was variiert wurde") :]
        assert "Umgang mit „weiß nicht“ und übersprungenen Fragen" in section
        assert "Gewichte" not in section.split("Zufällig variiert wurden:")[1]
        assert "Zusammenfassung" not in section.split("Zufällig variiert wurden:")[1]

    def test_same_seed_same_report(self, capsys: pytest.CaptureFixture[str]) -> None:
        argv = ("--sensitivity", "--draws", "15", "--seed", "3", "--format", "markdown")
        first = run(capsys, *argv)
        assert first == run(capsys, *argv)
        assert "15 Varianten, Startwert 3" in first[1]


class TestErrors:
    @pytest.mark.parametrize("argv", [("--draws", "50"), ("--seed", "1"), ("--choices", "c.yaml")])
    def test_options_need_sensitivity(
        self, capsys: pytest.CaptureFixture[str], argv: tuple[str, str]
    ) -> None:
        status, _, err = run(capsys, *argv, "--format", "markdown")
        assert status == 1
        assert f"{argv[0]}: only applies with --sensitivity" in err

    def test_too_few_draws(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, _, err = run(capsys, "--sensitivity", "--draws", "1", "--format", "markdown")
        assert status == 1
        assert "needs at least 2 draws" in err
        assert "Traceback" not in err

    def test_bad_choices_file_names_the_file(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        choices = tmp_path / "choices.yaml"
        choices.write_text("weights: {spread: 3}\n", encoding="utf-8")
        status, _, err = run(
            capsys, "--sensitivity", "--choices", str(choices), "--format", "markdown"
        )
        assert status == 1
        assert str(choices) in err
        assert "weights.spread" in err


class TestDocument:
    def test_figures_are_the_analysis(self) -> None:
        """Each row repeats the analysis's nominal score, median and interval for the field."""
        plan = kommune()
        response = sample_response(plan)
        result = score(plan, response, trace=True)
        analysis = analyse_sensitivity(
            plan, [response], load_choices(text=DEFAULT_CHOICES), draws=10, indices=False
        )
        doc = build_document(plan, result, advise(plan, result), sensitivity=analysis)
        assert doc.sensitivity is not None
        entry = analysis.respondents[0]
        summaries = [entry.overall, *(entry.dimensions[f.id] for f in doc.fields)]
        assert len(doc.sensitivity.rows) == 8
        for row, summary in zip(doc.sensitivity.rows, summaries):
            assert (row.nominal, row.median, row.low, row.high) == (
                summary.nominal,
                summary.median,
                summary.low,
                summary.high,
            )
            assert sum(share for _, _, share in row.bands) + row.not_assessable == pytest.approx(1)
        assert "Wie robust" in render_markdown(doc)

    def test_another_respondents_analysis_is_refused(self) -> None:
        plan = kommune()
        response = sample_response(plan)
        result = score(plan, response, trace=True)
        other = sample_response(plan, "andere", shift=3)
        analysis = analyse_sensitivity(
            plan, [other], load_choices(text=DEFAULT_CHOICES), draws=2, indices=False
        )
        with pytest.raises(ScoringError, match="does not include respondent 'teststadt'"):
            build_document(plan, result, advise(plan, result), sensitivity=analysis)
