"""The package re-exports the loader."""

from app.profiles import load_profile_async

__all__ = ["load_profile_async"]
