import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for src in (ROOT / "packages/core/src", ROOT / "services/cli/src"):
    sys.path.insert(0, str(src))
