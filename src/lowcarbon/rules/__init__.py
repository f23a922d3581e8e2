"""Loads the cited data files in ``data/`` (rubrics, plan outlines, factors) into core types.

Every loader rejects unknown keys, duplicate keys and malformed values, and its error names the
file, the key, the line, the value found and what a valid value looks like.
"""
