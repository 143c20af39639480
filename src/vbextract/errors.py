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


class ModelError(VbextractError):
    """A shipped statistical model is present but cannot be used (its files are unreadable, or it
    was built for other labels). ``code`` is stable: ``ml.model_unreadable``, ``ml.model_incompatible``.
    A model that is merely stale (trained on other grammar cues) is not an error: it is used, with an
    ``ml.stale_model`` notice."""

    def __init__(self, message: str, code: str = "ml.model_unreadable") -> None:
        super().__init__(message)
        self.code = code
