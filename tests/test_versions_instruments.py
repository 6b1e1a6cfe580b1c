"""Bundled instruments in several versions: choosing one by name and version, newest by default."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import weltoffen.instruments as instruments
from weltoffen.cli import main
from weltoffen.exceptions import DefinitionError
from weltoffen.instruments import (
    available,
    crosswalk_paths,
    load_instrument,
    path_of,
    version_key,
    versions,
)

BUNDLED = Path(instruments.__file__).parent
SELF_CHECK = BUNDLED / "weltoffene-kommune" / "1.0.yaml"


@pytest.fixture
def shelf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of instruments in place of the bundled one: ``demo`` in 1.9, 1.10 and 1.2 (named
    out of order on purpose), each a copy of the self-check with its own version and title."""
    folder = tmp_path / "demo"
    folder.mkdir()
    data = yaml.safe_load(SELF_CHECK.read_text(encoding="utf-8"))
    for version in ("1.9", "1.10", "1.2"):
        copy = dict(data, id="demo", version=version, title={"de": f"Demo {version}"})
        (folder / f"{version}.yaml").write_text(
            yaml.safe_dump(copy, allow_unicode=True), encoding="utf-8"
        )
    for old, new in (("1.9", "1.10"), ("1.2", "1.9")):
        (folder / f"crosswalk-{old}-{new}.yaml").write_text("{}\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()  # a folder without versions is no instrument
    monkeypatch.setattr(instruments, "_root", lambda: tmp_path)
    return folder


class TestBundled:
    def test_every_version_file_says_its_own_version(self) -> None:
        for name in available():
            for version in versions(name):
                assert load_instrument(name, version).version == version
                assert load_instrument(name, version).id == name

    def test_the_self_check_lives_in_its_folder(self) -> None:
        assert path_of("weltoffene-kommune", "1.0") == SELF_CHECK
        assert "1.0" in versions("weltoffene-kommune")

    def test_without_a_version_the_newest_is_loaded(self) -> None:
        newest = versions("weltoffene-kommune")[-1]
        assert load_instrument("weltoffene-kommune").version == newest

    def test_crosswalks_chain_from_oldest_to_newest(self) -> None:
        # whatever crosswalks are shipped, each starts where the previous one ended
        paths = crosswalk_paths("weltoffene-kommune")
        ends = [p.name[len("crosswalk-") : -len(".yaml")] for p in paths]
        known = versions("weltoffene-kommune")
        for end in ends:
            assert any(end == f"{a}-{b}" for a, b in itertools.pairwise(known))


class TestChoosing:
    def test_versions_sort_as_numbers(self, shelf: Path) -> None:
        assert available() == ["demo"]
        assert versions("demo") == ["1.2", "1.9", "1.10"]

    def test_newest_by_default_or_the_one_named(self, shelf: Path) -> None:
        assert path_of("demo") == shelf / "1.10.yaml"
        assert load_instrument("demo").version == "1.10"
        assert load_instrument("demo", "1.9").version == "1.9"

    def test_crosswalks_in_the_order_of_their_versions(self, shelf: Path) -> None:
        assert [p.name for p in crosswalk_paths("demo")] == [
            "crosswalk-1.2-1.9.yaml",
            "crosswalk-1.9-1.10.yaml",
        ]

    def test_unknown_version_lists_the_known_ones(self, shelf: Path) -> None:
        with pytest.raises(DefinitionError) as caught:
            path_of("demo", "2.0")
        (problem,) = caught.value.problems
        assert "'2.0'" in problem.message
        assert problem.expected == "one of 1.2, 1.9, 1.10"

    def test_unknown_name_lists_the_known_ones(self, shelf: Path) -> None:
        with pytest.raises(DefinitionError) as caught:
            versions("empty")
        assert caught.value.problems[0].expected == "one of demo"


class TestCommandLine:
    def test_instruments_lists_every_version_and_marks_the_newest(
        self, shelf: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["instruments"]) == 0
        rows = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
        assert rows == [
            ["demo", "1.2", "Demo 1.2"],
            ["demo", "1.9", "Demo 1.9"],
            ["demo", "1.10", "Demo 1.10", "newest"],
        ]

    @pytest.mark.parametrize(("extra", "version"), [([], "1.10"), (["--version", "1.9"], "1.9")])
    def test_version_chooses_the_instrument_version(
        self,
        shelf: Path,
        capsys: pytest.CaptureFixture[str],
        extra: list[str],
        version: str,
    ) -> None:
        assert main(["validate", "--instrument", "demo", *extra]) == 0
        assert capsys.readouterr().out.startswith(f"demo {version}: valid")

    def test_score_takes_the_version_too(
        self, shelf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        answers = tmp_path / "answers.yaml"
        answers.write_text("respondent: r1\nanswers: {}\n", encoding="utf-8")
        assert (
            main(
                [
                    "score",
                    "--instrument",
                    "demo",
                    "--version",
                    "1.2",
                    "--format",
                    "json",
                    str(answers),
                ]
            )
            == 0
        )
        assert '"version": "1.2"' in capsys.readouterr().out

    def test_unknown_version_is_an_error_not_a_traceback(
        self, shelf: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["template", "--instrument", "demo", "--version", "3"]) == 1
        err = capsys.readouterr().err
        assert "no version '3'" in err
        assert "Traceback" not in err

    def test_version_without_instrument_is_refused(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["validate", str(SELF_CHECK), "--version", "1.0"]) == 1
        assert "--version" in capsys.readouterr().err


@given(st.lists(st.lists(st.integers(0, 30), min_size=1, max_size=4), min_size=2, max_size=6))
def test_version_key_orders_like_numbers(parts: list[list[int]]) -> None:
    texts = [".".join(map(str, p)) for p in parts]
    assert sorted(texts, key=version_key) == [".".join(map(str, p)) for p in sorted(parts)]


def test_copy_of_the_bundled_folder_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(BUNDLED / "weltoffene-kommune", tmp_path / "weltoffene-kommune")
    monkeypatch.setattr(instruments, "_root", lambda: tmp_path)
    assert versions("weltoffene-kommune") == sorted(
        (p.stem for p in (tmp_path / "weltoffene-kommune").glob("[0-9]*.yaml")), key=version_key
    )


def test_answers_of_an_older_version_get_told_which_version_and_how_to_carry_them_over(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = Path(__file__).resolve().parents[1]
    example = str(root / "examples" / "weltoffene-kommune" / "musterstadt.yaml")
    assert main(["score", "--instrument", "weltoffene-kommune", example]) == 1
    err = capsys.readouterr().err
    assert err.count("unknown question") == 2  # the located problems stay
    hint = err.splitlines()[-1]
    assert "these answers look like weltoffene-kommune 1.0: kk-09, ms-11 are asked in 1.0" in hint
    assert "add '--version 1.0'" in hint
    assert f"weltoffen migrate --instrument weltoffene-kommune --from-version 1.0 {example}" in hint
    # with the version given, or for ids no version has, no guess is made
    assert main(["score", "--instrument", "weltoffene-kommune", "--version", "1.0", example]) == 0
    capsys.readouterr()
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        Path(example)
        .read_text(encoding="utf-8")
        .replace("\nanswers:\n", "\nanswers:\n  zz-99: 1\n"),
        encoding="utf-8",
    )
    assert main(["score", "--instrument", "weltoffene-kommune", str(bad)]) == 1
    assert "look like" not in capsys.readouterr().err
