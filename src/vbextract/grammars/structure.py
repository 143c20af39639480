"""Labels of normative structure: Phần, Chương, Mục, Điều (decisions, nghị quyết, thông tư).

Khoản ("1.") and điểm ("a)") are the ordinary arabic and letter labels of :mod:`.blocks`; inside a
Điều they take the Điều's id (``Điều 3.1``, ``Điều 3.1.a``). Lower-case roman sub-items ("i.",
"ii)") are used by some công văn under a numbered item.
Their data: ``label.yaml``.
"""

from __future__ import annotations

from . import REGISTRY

ARTICLE_LABEL = REGISTRY["article_label"]
CHAPTER_LABEL = REGISTRY["chapter_label"]
ROMAN_LOWER_LABEL = REGISTRY["roman_lower_label"]
ORDINAL_THU_F = REGISTRY["ordinal_thu"]
THU_NUMBERS = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
