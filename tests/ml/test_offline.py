"""The statistical components never touch the network (no model download, ever)."""

from __future__ import annotations

import socket

import pytest

from vbextract.pipeline import parse_text

from .test_interface import HEADER


@pytest.mark.parametrize("text", [HEADER, HEADER.replace("\n", " ")])
def test_hybrid_parse_makes_no_network_calls(monkeypatch, text):
    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    doc = parse_text(text, use_ml=True)
    assert doc.text
