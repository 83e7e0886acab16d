"""`python3 -m attnpeers ...`: the peers' command line (see cli.py)."""

import sys

from attnpeers.cli import main

sys.exit(main(sys.argv[1:]))
