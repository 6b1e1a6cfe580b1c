"""MkDocs hook: docstrings use Sphinx roles (:func:`x`), which mkdocstrings shows as written.

The roles are dropped from the rendered pages, leaving the name as code (``~a.b.C`` shows ``C``,
as Sphinx would).
"""

from __future__ import annotations

import re
from typing import Any

_ROLE = re.compile(
    r":(?:py:)?(?:func|class|meth|mod|attr|data|exc|obj|const):<code>(~?)([^<]*)</code>"
)


def _plain(match: re.Match[str]) -> str:
    tilde, name = match.groups()
    return f"<code>{name.rsplit('.', 1)[-1] if tilde else name}</code>"


def on_page_content(html: str, **_: Any) -> str:
    """Replace ``:role:<code>name</code>`` in the rendered page by ``<code>name</code>``."""
    return _ROLE.sub(_plain, html)
