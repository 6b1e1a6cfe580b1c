"""Plugins: entry points loaded only on request, names refused twice, data files import nothing."""

from __future__ import annotations

import re
import runpy
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

import weltoffen as w
from tests.helpers import PLUGIN_MODULE
from tests.helpers import PLUGIN_QUESTIONNAIRE as QUESTIONNAIRE
from weltoffen.registry import default_registry
from weltoffen.strategies import Equal, Explicit
from weltoffen.typing import Child


class TestEntryPoints:
    def test_kind_usable_only_after_loading(self, installed_plugin: Path) -> None:
        registry = default_registry.copy()
        with pytest.raises(
            w.DefinitionError, match="unknown weighting kind 'demo_first_counts_double'"
        ):
            w.load_questionnaire(text=QUESTIONNAIRE, registry=registry)
        assert PLUGIN_MODULE not in sys.modules, "loading a file must not import plugins"

        assert registry.load_entry_points() == ["demo"]
        assert PLUGIN_MODULE in sys.modules
        q = w.load_questionnaire(text=QUESTIONNAIRE, registry=registry)
        result = w.score(w.compile(q), w.Response(respondent="r", answers={"a": True, "b": False}))
        assert pytest.approx(100 * 2 / 3) == result.score
        assert q == w.load_questionnaire(
            text=w.dump_questionnaire(q, registry=registry), registry=registry
        )

    def test_default_registry_is_untouched(self, installed_plugin: Path) -> None:
        default_registry.copy().load_entry_points()
        assert "demo_first_counts_double" not in default_registry.names("weighting")

    def test_loading_twice_is_refused(self, installed_plugin: Path) -> None:
        """A second load would register the same names again: duplicates are refused."""
        registry = default_registry.copy()
        registry.load_entry_points()
        with pytest.raises(ValueError, match="'demo_first_counts_double' is already registered"):
            registry.load_entry_points()


class TestDuplicates:
    def test_name_taken(self) -> None:
        registry = default_registry.copy()
        with pytest.raises(ValueError, match="weighting kind 'equal' is already registered"):
            registry.register("weighting", "equal", type("Other", (), {}))

    def test_class_under_a_second_name(self) -> None:
        registry = default_registry.copy()
        with pytest.raises(ValueError, match="already registered as weighting 'equal'"):
            registry.register("weighting", "same", Equal)

    def test_unknown_group(self) -> None:
        with pytest.raises(ValueError, match="unknown group 'weightings'"):
            default_registry.copy().register("weightings", "x", Explicit)  # type: ignore[arg-type]


@pytest.fixture
def canary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A module that leaves a file behind if it is ever imported."""
    trace = tmp_path / "imported.txt"
    (tmp_path / "weltoffen_canary.py").write_text(
        f"from pathlib import Path\nPath({str(trace)!r}).write_text('imported')\n"
        "def boom(*args):\n    Path(" + repr(str(trace)) + ").write_text('called')\n"
        "class Thing:\n    pass\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield trace
    sys.modules.pop("weltoffen_canary", None)


def questionnaire_with(weighting: str) -> str:
    return textwrap.dedent(
        f"""
        id: t
        version: "1"
        weighting: {weighting}
        dimensions:
          - id: d
            questions: [{{id: a, kind: yes_no, text: A}}]
        """
    )


class TestDataFilesImportNothing:
    @pytest.mark.parametrize(
        ("weighting", "message"),
        [
            ("{kind: weltoffen_canary.Thing}", "unknown weighting kind 'weltoffen_canary.Thing'"),
            ("{kind: os.system}", "unknown weighting kind 'os.system'"),
            ("{kind: weltoffen.strategies.Equal}", "unknown weighting kind 'weltoffen.strategies"),
            ('{kind: "!!python/name:weltoffen_canary.boom"}', "unknown weighting kind '!!python"),
            ("weltoffen_canary.Thing", "unknown weighting kind 'weltoffen_canary.Thing'"),
            ("{kind: !!python/name:weltoffen_canary.boom }", "tags that construct objects"),
            ("!!python/object/apply:weltoffen_canary.boom []", "tags that construct objects"),
            (
                "{kind: !!python/object/apply:weltoffen_canary.boom [x]}",
                "tags that construct objects",
            ),
            ("!!python/object:weltoffen_canary.Thing {}", "tags that construct objects"),
        ],
    )
    def test_yaml(self, canary: Path, weighting: str, message: str) -> None:
        with pytest.raises(w.DefinitionError, match=re.escape(message)):
            w.load_questionnaire(text=questionnaire_with(weighting))
        assert not canary.exists()
        assert "weltoffen_canary" not in sys.modules

    def test_json(self, canary: Path) -> None:
        text = (
            '{"id": "t", "version": "1", "weighting": {"kind": "weltoffen_canary.boom"},'
            ' "dimensions": [{"id": "d",'
            ' "questions": [{"id": "a", "kind": "yes_no", "text": "A"}]}]}'
        )
        with pytest.raises(w.DefinitionError, match="unknown weighting kind"):
            w.load_questionnaire(text=text, format="json")
        assert not canary.exists()
        assert "weltoffen_canary" not in sys.modules

    def test_unknown_kind_lists_the_known_ones(self) -> None:
        with pytest.raises(w.DefinitionError) as info:
            w.load_questionnaire(text=questionnaire_with("{kind: ahpp}"))
        (problem,) = info.value.problems
        assert problem.path == "weighting.kind"
        assert problem.hint == "did you mean 'ahp'?"


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "custom-weighting"


class TestCustomWeightingExample:
    def test_runs_and_prints_the_documented_scores(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The example runs as a script and prints what its README shows."""
        monkeypatch.setattr(sys, "path", list(sys.path))  # run.py adds its folder
        runpy.run_path(str(EXAMPLE / "run.py"), run_name="__main__")
        printed = capsys.readouterr().out.splitlines()
        readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
        shown = readme.split("$ python examples/custom-weighting/run.py\n")[1].split("```")[0]
        assert shown.splitlines() == printed
        sys.modules.pop("rank_weights", None)

    def test_weights_are_rank_order_centroids(self) -> None:
        """Hand-computed: 3 ranks give (1 + 1/2 + 1/3)/3, (1/2 + 1/3)/3 and (1/3)/3."""
        namespace = runpy.run_path(str(EXAMPLE / "rank_weights.py"))
        roc = namespace["RankOrderCentroid"](("b", "c", "a"))
        kids = [Child(id=i, weight=1.0, items=1, is_dimension=True) for i in "abc"]
        assert roc.weigh(kids) == pytest.approx([1 / 9, 11 / 18, 5 / 18])
        with pytest.raises(ValueError, match=r"missing: \['c'\]"):
            namespace["RankOrderCentroid"](("a", "b")).weigh(kids)

    def test_the_default_registry_does_not_know_the_kind(self) -> None:
        with pytest.raises(w.DefinitionError, match="unknown weighting kind 'rank_order_centroid'"):
            w.load_questionnaire(EXAMPLE / "questionnaire.yaml")
