"""Pre-built JSON twins of the bundled instruments: current, the same questionnaire, and never
used where they could differ from their YAML."""

from __future__ import annotations

import copy
import json
import shutil
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

import weltoffen.instruments as instruments
from weltoffen.exceptions import DefinitionError, DefinitionWarning
from weltoffen.instruments import available, load_instrument, path_of, versions
from weltoffen.instruments.prebuilt import current_data, load_prebuilt, main, twin
from weltoffen.serialization.api import load_questionnaire
from weltoffen.serialization.parsing import parse
from weltoffen.versions import fingerprint
from weltoffen.versions.fingerprint import remember

BUNDLED = [(name, version) for name in available() for version in versions(name)]


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down, keys in the same order (``1 == 1.0`` and
    ``True == 1`` are not enough for data that becomes a questionnaire)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def yaml_data(path: Path) -> Any:
    data, _ = parse(path.read_text(encoding="utf-8"), "yaml", str(path))
    return data


@pytest.fixture
def shelf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled self-check, twins included, in place of the bundled instruments."""
    shutil.copytree(path_of("weltoffene-kommune").parent, tmp_path / "weltoffene-kommune")
    monkeypatch.setattr(instruments, "_root", lambda: tmp_path)
    return tmp_path / "weltoffene-kommune"


def rewrite(path: Path, change: Any) -> None:
    """Apply *change* to the data of the YAML file *path* and write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


class TestBundledTwins:
    def test_every_twin_is_current(self, capsys: pytest.CaptureFixture[str]) -> None:
        """After editing a bundled instrument: python -m weltoffen.instruments.prebuilt."""
        assert main(["--check"]) == 0, capsys.readouterr().out

    @pytest.mark.parametrize(("name", "version"), BUNDLED)
    def test_a_twin_holds_exactly_the_data_of_its_yaml(self, name: str, version: str) -> None:
        path = path_of(name, version)

        assert same(current_data(path), yaml_data(path))

    @pytest.mark.parametrize(("name", "version"), BUNDLED)
    def test_loading_gives_the_questionnaire_of_the_yaml(self, name: str, version: str) -> None:
        loaded = load_instrument(name, version)
        from_yaml = load_questionnaire(path_of(name, version))

        assert loaded == from_yaml
        assert fingerprint(loaded) == fingerprint(from_yaml)

    @pytest.mark.parametrize(("name", "version"), BUNDLED)
    def test_the_twin_is_used_and_records_the_fingerprint(
        self, name: str, version: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = path_of(name, version)
        built = load_prebuilt(path)

        assert built is not None  # not the YAML loaded in its place
        assert built == load_questionnaire(path)
        # the recorded fingerprint is the one hashing gives
        recorded = fingerprint(built)
        monkeypatch.setattr(sys.modules["weltoffen.versions.fingerprint"], "_remembered", {})
        assert recorded == fingerprint(built)

    def test_a_remembered_fingerprint_is_for_that_object_only(self) -> None:
        one = load_questionnaire(path_of("weltoffene-kommune", "1.0"))
        other = load_questionnaire(path_of("weltoffene-kommune", "1.0"))
        remember(one, "0123456789abcdef")

        assert fingerprint(one) == "0123456789abcdef"
        assert fingerprint(other) != "0123456789abcdef"


class TestStaleOrBrokenTwins:
    def test_an_edited_yaml_is_loaded_itself(self, shelf: Path) -> None:
        rewrite(shelf / "1.1.yaml", lambda d: d["title"].update(de="Geändert"))

        assert current_data(shelf / "1.1.yaml") is None
        assert load_instrument("weltoffene-kommune").title["de"] == "Geändert"

    def test_without_a_twin_the_yaml_is_loaded(self, shelf: Path) -> None:
        twin(shelf / "1.0.yaml").unlink()

        assert load_instrument("weltoffene-kommune", "1.0") == load_questionnaire(
            shelf / "1.0.yaml"
        )

    @pytest.mark.parametrize("text", ["", "[1, 2]", "{not json", '{"source": 1}'])
    def test_an_unreadable_twin_is_not_used(self, shelf: Path, text: str) -> None:
        twin(shelf / "1.0.yaml").write_text(text, encoding="utf-8")

        assert current_data(shelf / "1.0.yaml") is None
        assert load_instrument("weltoffene-kommune", "1.0").version == "1.0"

    def test_check_finds_a_twin_edited_by_hand(self, shelf: Path) -> None:
        """The checksum guards against a changed YAML, not a changed twin: --check finds that."""
        path = twin(shelf / "1.0.yaml")
        document = json.loads(path.read_text(encoding="utf-8"))
        document["data"]["title"]["de"] = "Nur im Zwilling"
        path.write_text(json.dumps(document), encoding="utf-8")

        # the checksum is of the YAML, which is unchanged: the twin is taken as current, and
        # the tests above are what keeps the bundled twins equal to their YAML
        assert load_instrument("weltoffene-kommune", "1.0").title["de"] == "Nur im Zwilling"
        assert main(["--check"]) == 1

    def test_problems_are_located_in_the_yaml(self, shelf: Path) -> None:
        """A current twin of a broken YAML: the error names the YAML file and its lines."""

        def duplicate(data: Any) -> None:
            questions = data["dimensions"][0]["questions"]
            questions.append(copy.deepcopy(questions[0]))

        rewrite(shelf / "1.1.yaml", duplicate)
        assert main([]) == 0  # the twin is made from the broken YAML

        with pytest.raises(DefinitionError) as caught:
            load_instrument("weltoffene-kommune")
        problems = caught.value.problems
        assert problems
        assert all(p.file == str(shelf / "1.1.yaml") and p.line for p in problems)

    def test_warnings_are_located_in_the_yaml(self, shelf: Path) -> None:
        def look_alike(data: Any) -> None:
            scale = copy.deepcopy(data["scales"][0])
            scale["id"] = scale["id"].replace("e", "\u0435", 1)  # Cyrillic e
            data["scales"].append(scale)

        rewrite(shelf / "1.1.yaml", look_alike)
        assert main([]) == 0

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            load_instrument("weltoffene-kommune")
        found = [w.message for w in caught if isinstance(w.message, DefinitionWarning)]
        assert len(found) == 1
        assert found[0].problem.line is not None


class TestCommand:
    def test_check_names_a_stale_twin_and_rewriting_makes_it_current(
        self, shelf: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        rewrite(shelf / "1.0.yaml", lambda d: d["title"].update(de="Neu"))

        assert main(["--check"]) == 1
        assert str(twin(shelf / "1.0.yaml")) in capsys.readouterr().out
        assert current_data(shelf / "1.0.yaml") is None

        assert main([]) == 0
        assert main(["--check"]) == 0
        assert same(current_data(shelf / "1.0.yaml"), yaml_data(shelf / "1.0.yaml"))
        assert load_instrument("weltoffene-kommune", "1.0").title["de"] == "Neu"

    def test_a_missing_twin_is_written(self, shelf: Path) -> None:
        twin(shelf / "1.1.yaml").unlink()

        assert main(["--check"]) == 1
        assert main([]) == 0
        assert twin(shelf / "1.1.yaml").exists()
