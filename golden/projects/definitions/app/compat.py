"""Conditional definitions: which one runs is decided at import time."""

import sys
import time
from typing import TYPE_CHECKING

if sys.platform == "win32":

    def pause(seconds: float) -> None:
        """Windows: no blocking here."""
        return None

else:

    def pause(seconds: float) -> None:
        time.sleep(seconds)


if TYPE_CHECKING:

    def settle() -> None: ...

else:

    def settle() -> None:
        time.sleep(0.1)


if sys.version_info >= (3, 12):

    def quiet() -> int:
        return 1

else:

    def quiet() -> int:
        return 2
