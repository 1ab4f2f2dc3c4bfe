"""``asyncify server``: the language server (LSP over stdio) for editors.

``app`` speaks the protocol (pygls) and schedules the work; ``session`` computes from the
open buffers (checks, diagnostics, the edit of a code action) in a worker thread;
``projects`` holds the server's two calls into the library (``run_check`` and
``run_fix`` with the buffers in place of their files); ``diagnostics``, ``actions`` and
``text`` turn findings and fixes into the protocol's shapes. pygls and lsprotocol come
with the ``server`` extra and are imported only by this package.
"""
