"""``python -m benchmarkkit``: the same command as ``benchmarkkit``."""

import sys

from benchmarkkit.cli import main

if __name__ == "__main__":
    sys.exit(main())
