"""Pre-built forms of the bundled instruments: each YAML file parsed ahead of time into JSON.

Parsing the 130 kB YAML of the self-check takes most of the time of loading it (PyYAML builds
the document node by node, even with libyaml); the standard library reads the same data as JSON
about thirty times faster. So each bundled version ``1.0.yaml`` has a pre-built twin
``1.0.prebuilt.json`` holding the plain data parsed from it, and :func:`load_prebuilt` builds
the questionnaire from that data. The YAML stays the source: it is what people edit and what
problems are located in.

The twin records a checksum of the YAML text it was made from. Where the YAML has changed since
(or the twin is missing or unreadable), the twin is not used and the YAML is loaded as always,
so a stale twin costs speed, never correctness. It is plain data read with :mod:`json`: nothing
in it runs code. The checksum (CRC-32 and length) detects edits; it is no protection against
tampering, which it need not be, as both files ship in the same package.

After editing a bundled instrument, rebuild the twins (the tests fail while one is stale)::

    python -m weltoffen.instruments.prebuilt           # rewrite every pre-built twin
    python -m weltoffen.instruments.prebuilt --check   # exit status 1 if one is missing or stale
"""

from __future__ import annotations

import json
import sys
import warnings
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from weltoffen.exceptions import DefinitionError, DefinitionWarning

if TYPE_CHECKING:
    from weltoffen.model.questionnaire import Questionnaire

__all__ = ["SUFFIX", "checksum", "current_data", "load_prebuilt", "main", "prebuilt_text", "twin"]

#: What replaces ``.yaml`` in the name of a pre-built twin.
SUFFIX = ".prebuilt.json"
#: The command that rewrites the twins (``__name__`` is ``__main__`` when it runs).
_COMMAND = "python -m weltoffen.instruments.prebuilt"


def twin(path: Path) -> Path:
    """The pre-built twin of the YAML file *path*."""
    return path.with_name(path.name.removesuffix(".yaml") + SUFFIX)


def checksum(raw: bytes) -> str:
    """The checksum a twin records of the YAML bytes *raw*."""
    return f"crc32:{zlib.crc32(raw):08x}:{len(raw)}"


def prebuilt_text(path: Path) -> str:
    """The text of the twin of the YAML file *path*, made from the file as it is now.

    Raises:
        DefinitionError: The YAML cannot be read as data (with file and line).
    """
    from weltoffen.serialization.api import load_questionnaire, read_text
    from weltoffen.serialization.parsing import ParseFailure, parse
    from weltoffen.versions.fingerprint import fingerprint

    raw = path.read_bytes()
    try:
        data, _ = parse(read_text(path, DefinitionError), "yaml", str(path))
    except ParseFailure as failure:
        raise DefinitionError([failure.problem]) from None
    document: dict[str, Any] = {
        "generated": f"from {path.name} by {_COMMAND}; do not edit",
        "source": checksum(raw),
    }
    try:
        with warnings.catch_warnings():  # loading the instrument itself reports them
            warnings.simplefilter("ignore", DefinitionWarning)
            document["fingerprint"] = fingerprint(load_questionnaire(path))
    except DefinitionError:  # nor has a broken one a fingerprint: loading it says why
        pass
    document["data"] = data
    # one value per line, so that a change to the instrument is a readable change here too
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def current_data(path: Path) -> Any:
    """The plain data of the YAML file *path* from its twin, or ``None`` when there is no twin
    made from the file as it is now."""
    document = _current(path)
    return None if document is None else document.get("data")


def _current(path: Path) -> dict[str, Any] | None:
    """The twin of the YAML file *path* as a whole, if it was made from the file as it is now."""
    try:
        raw = path.read_bytes()
        document = json.loads(twin(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(document, dict) or document.get("source") != checksum(raw):
        return None
    return document


def load_prebuilt(path: Path) -> Questionnaire | None:
    """The questionnaire of the YAML file *path*, built from its twin, or ``None``.

    ``None`` also where building finds a problem or a warning: loading the YAML itself then
    reports them with their lines, as it would without a twin.
    """
    from weltoffen.scoring.check import check_warnings
    from weltoffen.scoring.plan import compile as compile_plan
    from weltoffen.serialization.api import load_questionnaire
    from weltoffen.versions.fingerprint import remember

    document = _current(path)
    data = None if document is None else document.get("data")
    if not isinstance(data, dict):
        return None
    try:
        questionnaire = load_questionnaire(data=data, check=False)
        # the checks load_questionnaire makes on a file, which check=False left out here
        compile_plan(questionnaire)
    except DefinitionError:
        return None
    if check_warnings(questionnaire):
        return None
    assert document is not None  # it held the data
    made = document.get("fingerprint")
    if isinstance(made, str):
        # hashing the definition again would cost more than building it; the tests keep the
        # twins current, their fingerprints included
        remember(questionnaire, made)
    return questionnaire


def _bundled() -> list[Path]:
    from weltoffen.instruments import available, path_of, versions

    return [path_of(name, version) for name in available() for version in versions(name)]


def main(argv: Sequence[str] | None = None) -> int:
    """Rewrite the twin of every bundled instrument version (or, with ``--check``, only say
    which are missing or stale); return the exit status."""
    import argparse

    parser = argparse.ArgumentParser(
        prog=_COMMAND, description="Pre-build the bundled instruments as JSON."
    )
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a twin is not current"
    )
    args = parser.parse_args(argv)
    stale = []
    for path in _bundled():
        text = prebuilt_text(path)
        target = twin(path)
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        stale.append(target)
        if not args.check:
            target.write_text(text, encoding="utf-8")
    for target in stale:
        print(f"{'stale' if args.check else 'rewritten'}: {target}")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
