"""Twin names: ``_load_config_sync`` -> ``_load_config_async``, ``check`` -> ``check_async``.

The name comes from a template, ``{name}_async`` unless ``twin-name`` in
``[tool.asyncify]`` sets another. In a template, ``{name}`` is the original name
**without its leading underscores and without a trailing ``_sync``**; the leading
underscores are put back in front of the result. So with the default template a ``_sync``
suffix is replaced and any other name gets ``_async`` appended, a private helper keeps a
private twin, and a name-mangled ``__method`` keeps a mangled one:

==========================  =================  ========================
original                    ``{name}_async``   ``async_{name}``
==========================  =================  ========================
``_load_config_sync``       ``_load_config_async``  ``_async_load_config``
``check_config_valid``      ``check_config_valid_async``  ``async_check_config_valid``
``__read``                  ``__read_async``   ``__async_read``
==========================  =================  ========================

A twin name is never chosen to dodge a collision: a name already taken is a refusal
that names the template to change (PRODUCT "Rewriting" 4).
"""

from __future__ import annotations

import keyword

DEFAULT_TEMPLATE = "{name}_async"
SYNC_SUFFIX = "_sync"


def twin_name(name: str, template: str | None = None) -> str:
    """The twin of ``name`` under ``template`` (see the module docstring)."""
    stripped = name.lstrip("_")
    prefix = name[: len(name) - len(stripped)]
    stem = stripped
    if stripped.endswith(SYNC_SUFFIX) and len(stripped) > len(SYNC_SUFFIX):
        stem = stripped[: -len(SYNC_SUFFIX)]
    return prefix + (template or DEFAULT_TEMPLATE).replace("{name}", stem)


def name_problem(original: str, twin: str) -> str | None:
    """Why ``twin`` cannot name the twin of ``original``, or ``None``."""
    if not twin.isidentifier() or keyword.iskeyword(twin):
        return f"the twin-name template turns `{original}` into `{twin}`, which is not a Python name"
    if twin == original:
        return f"the twin-name template gives `{original}` its own name"
    return None
