"""Formats at the edge: one converter, YAML and JSON (and CSV for responses), precise errors."""

from weltoffen.serialization.api import (
    dump_questionnaire,
    dump_responses,
    dump_result,
    load_questionnaire,
    load_responses,
    load_result,
)
from weltoffen.serialization.converter import make_converter

__all__ = [
    "dump_questionnaire",
    "dump_responses",
    "dump_result",
    "load_questionnaire",
    "load_responses",
    "load_result",
    "make_converter",
]
