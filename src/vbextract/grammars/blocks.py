"""Regex building blocks for the parts of a document (their data: ``header.yaml``, ``label.yaml``, …).

Keyword patterns (``*_F``) run on the fold key (lower case, traditional tone placement); symbol
and name patterns run on the text. All are anchored to whole lines where the national format puts
them on a line of their own (NĐ 30/2020 Phụ lục I). This module only names them for the code:
each pattern, its examples and why it exists are entries of ``grammars/*.yaml``.
"""

from __future__ import annotations

from . import REGISTRY, VARS

UP = VARS["UP"]
CYR_LOOKALIKE = VARS["CYR"]
SEG = VARS["SEG"]

QUOC_HIEU_F = REGISTRY["quoc_hieu"]
TIEU_NGU_F = REGISTRY["tieu_ngu"]
PARTY_F = REGISTRY["party_header"]
SO_LINE = REGISTRY["so_line"]
PLACE_DATE = REGISTRY["place_date"]
VV_LINE = REGISTRY["vv_line"]
KINH_GUI_F = REGISTRY["kinh_gui"]
NOI_NHAN_F = REGISTRY["noi_nhan"]
AUTHORITY = REGISTRY["authority"]
LEGAL_VERB_F = REGISTRY["legal_basis_verb"]
ROMAN_LABEL = REGISTRY["roman_label"]
ARABIC_LABEL = REGISTRY["arabic_label"]
LETTER_LABEL = REGISTRY["letter_label"]
ORDINAL_LABEL_F = REGISTRY["ordinal_label"]
BULLET = REGISTRY["bullet"]
