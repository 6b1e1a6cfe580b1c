"""Reports: results shown to people and exported to other tools. They never compute scores.

- :func:`result_view` / :func:`result_views`: language-resolved typed views whose ``plain()``
  is the JSON of ``weltoffen score --format json``.
- :func:`format_table`: a plain-text table of the dimension tree.
- :func:`format_csv`: one row per respondent for spreadsheets and statistics tools.
- :func:`build_document`, then :func:`render_html` (needs the extra ``report``) or
  :func:`render_markdown`: one respondent's report with advice and cohort position.
"""

# Each module loads on first use of one of its names: `weltoffen score --format json` needs the
# views, not the document and its analyses.

from typing import TYPE_CHECKING

from weltoffen._lazy import lazy_exports

if TYPE_CHECKING:
    from weltoffen.reports.document import build_document
    from weltoffen.reports.flat import format_csv
    from weltoffen.reports.html import render_html
    from weltoffen.reports.markdown import render_markdown
    from weltoffen.reports.table import format_table
    from weltoffen.reports.views import result_view, result_views

__all__ = [
    "build_document",
    "format_csv",
    "format_table",
    "render_html",
    "render_markdown",
    "result_view",
    "result_views",
]

# Hidden from mypy and IDEs, which read the imports above instead: with a module __getattr__
# in sight they would take any name for a lazy one, and misspellings would go unnoticed.
if not TYPE_CHECKING:
    __getattr__, __dir__ = lazy_exports(
        __name__,
        globals(),
        {
            "weltoffen.reports.document": ("build_document",),
            "weltoffen.reports.flat": ("format_csv",),
            "weltoffen.reports.html": ("render_html",),
            "weltoffen.reports.markdown": ("render_markdown",),
            "weltoffen.reports.table": ("format_table",),
            "weltoffen.reports.views": ("result_view", "result_views"),
        },
    )
