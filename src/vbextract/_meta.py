"""Version numbers, in a module that imports nothing (``vbextract --version`` reads only this)."""

__version__ = "0.1.0"
# Version of the output contract (``shared/spec/output.md``); ``vbextract.document`` re-exports it.
SCHEMA_VERSION = "1"
