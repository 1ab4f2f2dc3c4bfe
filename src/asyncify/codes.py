"""Which rule codes exist: ``select``, ``ignore`` and per-rule strategies are checked
against them, in the configuration exactly as on the command line.

A code or prefix that starts no known code would silently select nothing (``select =
["ZZZ"]`` gives zero findings and exit 0), so it is an error wherever it is written.
"""

from __future__ import annotations

from collections.abc import Iterable

from asyncify.catalogue.catalogue import CatalogueEntry, load_builtin_catalogue

EXTRA_CALL_CODE = "AFY190"


def known_codes(extra: Iterable[CatalogueEntry] = ()) -> frozenset[str]:
    """Every rule's code, the catalogue's codes, and the user's extra blocking calls'."""
    from asyncify.rules import all_rules  # rules import their documentation: only when asked

    known = {*all_rules(), *(entry.code for entry in load_builtin_catalogue().entries()), EXTRA_CALL_CODE}
    return frozenset(known | {entry.code for entry in extra})


def unknown_code(codes: Iterable[str], extra: Iterable[CatalogueEntry] = ()) -> str | None:
    """The first of ``codes`` that is not a prefix of any known code, else ``None``."""
    known = known_codes(extra)
    for code in codes:
        if not any(k.startswith(code.upper()) for k in known):
            return code
    return None
