"""``python -m smotekit``: the command line, same as the ``smotekit`` script."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
