"""The keys of search, statistics and audit (issue 14), built here and re-exported by `keys`, where
every store finds them (`keys.audit_pk(...)`): keys.py stays the one place a key is built, in two files."""

from __future__ import annotations
