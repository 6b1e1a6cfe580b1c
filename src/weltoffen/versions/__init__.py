"""Versions of an instrument over time: crosswalks between versions and migrating answers."""
