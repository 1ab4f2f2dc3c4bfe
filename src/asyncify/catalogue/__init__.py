"""The blocking-call catalogue: which APIs block, under which rule, and how to fix them."""

from asyncify.catalogue.catalogue import BlockingCatalogue, CatalogueEntry, load_builtin_catalogue

__all__ = ["BlockingCatalogue", "CatalogueEntry", "load_builtin_catalogue"]
