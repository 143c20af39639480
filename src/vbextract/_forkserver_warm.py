"""Imported only by the fork server of :mod:`vbextract.batch` (``set_forkserver_preload``).

Parsing a small document here loads vbextract's lazily loaded models once, in the fork server;
every worker forked from it then starts with them in memory (shared copy-on-write) instead of
loading them itself, so starting or replacing a worker costs milliseconds.
"""

from .batch.workers import warm_up

warm_up()
