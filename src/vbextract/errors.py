"""Errors raised by vbextract.

Problems *inside* a document are warnings on the result (plain sentences). Exceptions are only
for input that cannot be read at all; batch runs record them per file and go on.
"""

from __future__ import annotations


class VbextractError(Exception):
    """Base class of vbextract's own errors."""


class InputError(VbextractError):
    """The input cannot be read: empty, corrupt, encrypted, wrong type, missing tool."""


class MissingToolError(InputError):
    """A system tool or optional package that this input needs is not installed."""
