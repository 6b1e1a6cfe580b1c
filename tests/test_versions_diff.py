"""``diff`` between two versions of a questionnaire, in Python and as ``weltoffen diff``."""

from __future__ import annotations

import json
from pathlib import Path

import attrs
import pytest
import yaml
from hypothesis import given

import weltoffen.instruments as instruments
from tests.strategies import questionnaires
from weltoffen import Questionnaire, load_questionnaire
from weltoffen.cli import main
from weltoffen.versions import Change, diff, fingerprint

BASIC = Path(__file__).parent.parent / "examples" / "basic" / "questionnaire.yaml"
SELF_CHECK = Path(instruments.__file__).parent / "weltoffene-kommune" / "1.0.yaml"


def edited(tmp_path: Path, name: str, **changes: tuple[str, str]) -> Path:
    """A copy of the basic questionnaire with each text ``old`` replaced by ``new``."""
    text = BASIC.read_text(encoding="utf-8")
    for old, new in changes.values():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["diff", *args])
    out, err = capsys.readouterr()
    return status, out, err


class TestPython:
    @given(questionnaires(max_depth=2, max_top=2))
    def test_a_questionnaire_has_no_differences_with_itself(self, q: Questionnaire) -> None:
        found = diff(q, q)
        assert found.changes == ()
        assert not found.affects_scores
        assert found.old == found.new == (q.id, q.version, fingerprint(q))

    @given(questionnaires(max_depth=2, max_top=2), questionnaires(max_depth=2, max_top=2))
    def test_any_two_questionnaires_agree_with_their_fingerprints(
        self, a: Questionnaire, b: Questionnaire
    ) -> None:
        found = diff(a, b)
        assert found.affects_scores == (fingerprint(a) != fingerprint(b))
        json.dumps(found.to_json())  # plain data throughout

    def test_each_change_names_its_subject_and_place(self) -> None:
        old = load_questionnaire(BASIC)
        first, second, *rest = old.dimensions
        new = attrs.evolve(
            old,
            dimensions=(
                attrs.evolve(first, title={"en": "Workload"}),
                attrs.evolve(second, weight=3),
                *rest,
            ),
        )
        assert diff(old, new).changes == (
            Change(
                "changed",
                "text",
                ("dimensions", "workload", "title", "en"),
                "Workload and pace",
                "Workload",
                False,
            ),
            Change("changed", "weight", ("dimensions", "support", "weight"), 2, 3, True),
        )

    def test_a_moved_question_is_a_change_of_order(self) -> None:
        old = load_questionnaire(BASIC)
        first, *rest = old.dimensions
        new = attrs.evolve(
            old, dimensions=(attrs.evolve(first, questions=first.questions[::-1]), *rest)
        )
        (change,) = diff(old, new).changes
        assert (change.subject, change.path, change.affects_scores) == (
            "order",
            ("dimensions", "workload", "questions"),
            True,
        )

    def test_an_unused_scale_does_not_count(self) -> None:
        old = load_questionnaire(BASIC)
        agreement = old.scales[0]
        spare = attrs.evolve(agreement, id="spare")
        with_spare = attrs.evolve(old, scales=(*old.scales, spare))
        bumped = attrs.evolve(
            spare, options=(attrs.evolve(spare.options[0], points=9), *spare.options[1:])
        )
        changed = attrs.evolve(old, scales=(*old.scales, bumped))
        found = diff(with_spare, changed)
        assert [c.subject for c in found.changes] == ["points"]
        assert not found.affects_scores
        used = attrs.evolve(
            agreement,
            options=(attrs.evolve(agreement.options[0], points=9), *agreement.options[1:]),
        )
        assert diff(old, attrs.evolve(old, scales=(used, *old.scales[1:]))).affects_scores


class TestCommandLine:
    def test_reworded_exits_0(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        new = edited(
            tmp_path,
            "new.yaml",
            text=("I know what my next development step is.", "I know my next step."),
        )
        status, out, err = run(capsys, str(BASIC), str(new))
        assert (status, err) == (0, "")
        assert "changed text" in out
        assert out.endswith("1 change(s), none affecting scores\n")

    def test_a_score_change_exits_1_and_is_marked(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        new = edited(
            tmp_path,
            "new.yaml",
            points=("label: Hardly ever, points: 0", "label: Hardly ever, points: 1"),
        )
        status, out, _ = run(capsys, str(BASIC), str(new))
        assert status == 1
        (line,) = [line for line in out.splitlines() if line.startswith("*")]
        assert "points" in line
        assert line.endswith("feedback-style/options/hardly-ever/points: 0 -> 1")

    def test_json(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        new = edited(tmp_path, "new.yaml", version=('version: "1.0"', 'version: "2.0"'))
        status, out, _ = run(capsys, str(BASIC), str(new), "--format", "json")
        data = json.loads(out)
        assert status == 0
        assert data["old"]["version"] == "1.0"
        assert data["new"]["version"] == "2.0"
        assert data["old"]["fingerprint"] == data["new"]["fingerprint"]
        assert data["affects_scores"] is False
        assert data["changes"] == [
            {
                "kind": "changed",
                "subject": "version",
                "path": ["version"],
                "old": "1.0",
                "new": "2.0",
                "affects_scores": False,
            }
        ]

    def test_output_file(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        target = tmp_path / "diff.json"
        status, out, _ = run(capsys, str(BASIC), str(BASIC), "--format", "json", "-o", str(target))
        assert (status, out) == (0, "")
        assert json.loads(target.read_text(encoding="utf-8"))["changes"] == []

    def test_broken_files_exit_2_with_every_problem_located(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        broken = edited(tmp_path, "broken.yaml", weight=("    weight: 2\n", "    weight: lots\n"))
        status, out, err = run(capsys, str(broken), str(tmp_path / "missing.yaml"))
        assert (status, out) == (2, "")
        *bad, missing = err.splitlines()
        assert len(bad) == 2  # both weights: every problem, not the first only
        for line in bad:
            assert line.startswith(f"error: {broken}:")
            assert line.endswith("weight: must be a number (expected a number, got text 'lots')")
        assert missing.startswith(f"error: {tmp_path / 'missing.yaml'}")
        assert "Traceback" not in err

    def test_new_is_needed_without_instrument(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, _, err = run(capsys, str(BASIC))
        assert status == 2
        assert "OLD and NEW" in err

    def test_help_explains_the_exit_status(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit):
            main(["diff", "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "0 when no change affects scores" in text
        assert "1 when some change does" in text

    def test_versions_of_a_bundled_instrument(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        folder = tmp_path / "demo"
        folder.mkdir()
        data = yaml.safe_load(SELF_CHECK.read_text(encoding="utf-8"))
        for version, weight in (("1.0", 1), ("1.1", 2)):
            first, *rest = data["dimensions"]
            copy = dict(data, version=version, dimensions=[{**first, "weight": weight}, *rest])
            (folder / f"{version}.yaml").write_text(yaml.safe_dump(copy), encoding="utf-8")
        monkeypatch.setattr(instruments, "_root", lambda: tmp_path)
        status, out, _ = run(capsys, "--instrument", "demo", "1.0")  # to the newest
        assert status == 1
        assert "* changed weight" in out
        assert run(capsys, "--instrument", "demo", "1.1", "1.1")[0] == 0
        status, _, err = run(capsys, "--instrument", "demo", "0.9")
        assert status == 2
        assert "no version '0.9'" in err
