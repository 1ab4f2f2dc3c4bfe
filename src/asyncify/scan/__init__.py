"""Parse and summarise modules (fast path: stdlib ast, parallel, cached)."""
