"""Parse Python 3.8-3.14 source on any interpreter asyncify supports (3.11+).

``parse_module`` is ``ast.parse`` for every caller (scan, fix re-scan, structural
facts); ``compile_module`` is the compile check of rewritten code. Both try the host
first, so a file the host reads costs nothing more; only a file it rejects is lowered
(see ``lowering``) and parsed again.
"""

from asyncify.parsing.parse import HOST_GRAMMAR, LOWERING_VERSION, compile_module, parse_lowered, parse_module

__all__ = ["HOST_GRAMMAR", "LOWERING_VERSION", "compile_module", "parse_lowered", "parse_module"]
