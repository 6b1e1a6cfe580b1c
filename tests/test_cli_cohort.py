"""``weltoffen cohort``: comparing the example cohort from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from weltoffen.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "weltoffene-kommune"
COHORT = str(EXAMPLE / "cohort.yaml")
BASE = ["cohort", "--instrument", "weltoffene-kommune"]


class TestCohort:
    def test_table(self, capsys):
        assert main([*BASE, COHORT, "--group-by", "type"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("Kohorte: weltoffene-kommune, 40 Mitglieder")
        assert "Management und Steuerung" in out
        assert "Vergleichsgruppe type=landkreis (n = 10)" in out
        assert "weiß nicht" in out

    def test_json_with_suppressed_groups(self, capsys):
        assert main([*BASE, COHORT, "--group-by", "type+size", "--format", "json"]) == 0
        view = json.loads(capsys.readouterr().out)
        assert view["n"] == 40
        assert view["dimensions"][0]["id"] == "weltoffene-kommune"
        assert len(view["dimensions"]) == 1 + 7 + 9
        suppressed = [g for g in view["groups"] if g.get("suppressed")]
        assert suppressed
        assert all(set(g) == {"keys", "values", "label", "suppressed", "note"} for g in suppressed)
        assert len(view["heatmap"]["respondents"]) == 40
        assert len(view["heatmap"]["items"]) == 103

    def test_questionnaire_file_and_several_response_files(self, tmp_path, capsys):
        from weltoffen.instruments import path_of

        files = [
            str(EXAMPLE / f)
            for f in ("musterstadt.yaml", "beispielhausen.yaml", "landkreis-modellheide.yaml")
        ]
        out = tmp_path / "c.json"
        assert (
            main(
                [
                    "cohort",
                    str(path_of("weltoffene-kommune")),
                    *files,
                    "--min-group",
                    "3",
                    "-o",
                    str(out),
                ]
            )
            == 0
        )
        view = json.loads(out.read_text(encoding="utf-8"))
        assert view["respondents"] == ["musterstadt", "beispielhausen", "landkreis-modellheide"]
        assert view["dimensions"][0]["n"] == 3

    def test_small_cohort_is_suppressed_by_default(self, capsys):
        assert main([*BASE, str(EXAMPLE / "musterstadt.yaml")]) == 0
        assert "suppressed: n < 5" in capsys.readouterr().out

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["cohort", COHORT], "at least one RESPONSES"),
            ([*BASE, COHORT, "--min-group", "0"], "at least 1"),
            ([*BASE, COHORT, COHORT], "appears twice"),
            ([*BASE, COHORT, "-o", COHORT], "one of the inputs"),
        ],
    )
    def test_errors(self, argv, message, capsys):
        assert main(argv) == 1
        assert message in capsys.readouterr().err
