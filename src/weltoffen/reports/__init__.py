"""Reports: results shown to people and exported to other tools. They never compute scores.

- :func:`result_view` / :func:`result_views`: language-resolved plain data (the JSON of
  ``weltoffen score --format json``).
- :func:`format_table`: a plain-text table of the dimension tree.
- :func:`format_csv`: one row per respondent for spreadsheets and statistics tools.
"""

from weltoffen.reports.flat import format_csv
from weltoffen.reports.table import format_table
from weltoffen.reports.views import result_view, result_views

__all__ = ["format_csv", "format_table", "result_view", "result_views"]
