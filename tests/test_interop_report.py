"""The import report and the format registry shared by every foreign format."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from weltoffen.exceptions import UnknownKindError
from weltoffen.interop import Fidelity, Finding, Format, FormatRegistry, ImportReport
from weltoffen.interop.report import ReportBuilder


def _report() -> ImportReport:
    notes = ReportBuilder("fhir", "phq9.json")
    notes.exact("item", "choice item with 4 weighted options", location=("item", 0), source_id="q1")
    notes.approximated(
        "calculatedExpression",
        "sum of the item weights becomes the points of a sum",
        location=("item", 9, "extension", 2),
        source_id="total",
        hint="read the total from the points",
    )
    notes.dropped("enableWhenExpression", "FHIRPath outside the subset", source_id="q3", column=7)
    return notes.report()


def test_report_counts_and_text() -> None:
    report = _report()
    assert [report.count(f) for f in Fidelity] == [1, 1, 1]
    assert not report.complete
    assert report.summary() == ("fhir phq9.json: 3 constructs, 1 exact, 1 approximated, 1 dropped")
    assert report.lines() == [
        "approximated: calculatedExpression ('total', item[9].extension[2]): sum of the item "
        "weights becomes the points of a sum; read the total from the points",
        "dropped: enableWhenExpression ('q3', column 7): FHIRPath outside the subset",
    ]
    assert report.text().splitlines()[0] == report.summary()


def test_report_is_json_data() -> None:
    data = _report().to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["counts"] == {"exact": 1, "approximated": 1, "dropped": 1}
    assert data["findings"][0] == {
        "fidelity": "exact",
        "construct": "item",
        "message": "choice item with 4 weighted options",
        "location": ["item", 0],
        "source_id": "q1",
    }


def test_findings_are_frozen_values() -> None:
    one = Finding(fidelity="dropped", construct="x", message="m", location=["a", 1])
    assert one == Finding(fidelity=Fidelity.DROPPED, construct="x", message="m", location=("a", 1))
    assert hash(one) == hash(
        Finding(fidelity="dropped", construct="x", message="m", location=("a", 1))
    )
    with pytest.raises(ValueError):
        Finding(fidelity="lost", construct="x", message="m")


def test_registry_loads_formats_on_request_and_refuses_unknown_names() -> None:
    registry = FormatRegistry({})
    demo = Format(name="demo", title="Demo", suffixes=(".demo",))
    registry.register(demo)
    assert registry.get("demo") is demo
    assert demo.abilities == ()
    with pytest.raises(ValueError, match="already registered"):
        registry.register(demo)
    with pytest.raises(UnknownKindError, match="known kinds: demo"):
        registry.get("nope")
    copy = registry.copy()
    copy.register(Format(name="other", title="Other"))
    assert registry.names() == ["demo"]
    assert copy.names() == ["demo", "other"]


def test_registry_takes_formats_from_entry_points() -> None:
    registry = FormatRegistry({})
    plugin = Format(name="plugin", title="Plugin", read_questionnaire=lambda source: None)  # type: ignore[arg-type,return-value]
    entry = SimpleNamespace(name="demo-plugin", load=lambda: lambda reg: reg.register(plugin))
    assert registry.load_entry_points([entry]) == ["demo-plugin"]
    assert registry.get("plugin").abilities == ("read_questionnaire",)


def test_registry_imports_a_builtin_module_only_when_asked() -> None:
    registry = FormatRegistry({"lazy": "tests.interop_lazy_format"})
    assert registry.names() == ["lazy"]
    with pytest.raises(ModuleNotFoundError):
        registry.get("lazy")
