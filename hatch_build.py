"""Build hook: compile the optional fast path of ``score()`` (src/weltoffen/scoring/_native.c).

Where no C compiler is (or the build fails for any other reason) the wheel is built without it
and ``score()`` runs its pure Python loops, giving the same results; the build says so. An
editable install builds the module next to its source, where the installed path points.
``WELTOFFEN_NATIVE=0`` in the environment skips it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("src", "weltoffen", "scoring", "_native.c")
NAME = "weltoffen.scoring._native"


class NativeBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compiles ``weltoffen.scoring._native`` with setuptools' compiler support."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if os.environ.get("WELTOFFEN_NATIVE") == "0":
            self.app.display_info("weltoffen: WELTOFFEN_NATIVE=0, the compiled fast path skipped")
            return
        try:
            built = self._build(inplace=version == "editable")
        except Exception as error:  # any failure only costs speed: say so and go on
            self.app.display_warning(
                f"weltoffen: the compiled fast path of score() was not built ({error}); "
                "score() runs its pure Python loops, with the same results"
            )
            return
        if version != "editable":
            build_data["force_include"][str(built)] = f"weltoffen/scoring/{built.name}"
            build_data["pure_python"] = False
            build_data["infer_tag"] = True

    def _build(self, *, inplace: bool) -> Path:
        from setuptools import Distribution, Extension
        from setuptools.command.build_ext import build_ext

        root = Path(self.root)
        source = root / SOURCE
        digest = hashlib.sha256(source.read_bytes()).hexdigest()
        extension = Extension(
            NAME,
            sources=[str(SOURCE)],
            # the source this module was built from, so that a test can tell a stale build
            define_macros=[("SOURCE_SHA256", f'"{digest}"')],
            # no fused multiply-add: it rounds differently from Python's float arithmetic
            extra_compile_args=["-ffp-contract=off"] if os.name == "posix" else [],
        )
        work = Path(tempfile.mkdtemp(prefix="weltoffen-native-"))
        cwd = Path.cwd()
        os.chdir(root)  # setuptools resolves the sources and package_dir from here
        try:
            dist = Distribution(
                {"name": "weltoffen", "ext_modules": [extension], "package_dir": {"": "src"}}
            )
            command = build_ext(dist)
            command.inplace = inplace
            command.build_lib = str(work / "lib")
            command.build_temp = str(work / "temp")
            command.ensure_finalized()
            command.run()
            return (root / command.get_ext_fullpath(NAME)).resolve()
        finally:
            os.chdir(cwd)
