"""Shared by the test modules: puts the attnpeers package on the path, and holds the awkward shapes every
peer must pass on."""

import os
import subprocess
import sys
import unittest

PEERS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(os.path.dirname(PEERS_DIR))
if PEERS_DIR not in sys.path:
    sys.path.insert(0, PEERS_DIR)

from attnpeers.shape import Shape  # noqa: E402

# Each one breaks a different assumption: masks, Nq ≠ Nk, GQA/MQA group reading, decode rows, dead rows.
AWKWARD = [
    Shape(1, 2, 2, 33, 33, 16, False),
    Shape(1, 2, 2, 33, 33, 16, True),
    Shape(2, 4, 2, 20, 45, 8, True),     # GQA, Nq < Nk (bottom-right offset 25)
    Shape(1, 2, 1, 50, 30, 8, True),     # MQA, Nq > Nk: the first 20 rows see nothing
    Shape(1, 3, 3, 70, 70, 32, True),    # more rows than are checked
    Shape(1, 1, 1, 17, 5, 4, False),
    Shape(1, 8, 2, 1, 300, 16, True),    # decode, GQA 4: one row sees every key, no mask needed
    Shape(1, 8, 1, 4, 257, 16, True),    # decode, MQA, 4 rows: the mask hides the last 3 keys from row 0
    Shape(1, 8, 8, 16, 130, 16, True),   # decode-sized, multi-head
    Shape(1, 4, 2, 48, 48, 128, True),   # prefill, GQA, d = 128
    Shape(2, 4, 2, 1, 45, 8, True),      # decode, batch 2
]


def peer_or_skip(test, name, **options):
    """The peer called `name`, or skips the test when its library is not installed here."""
    from attnpeers.peers import PeerUnavailable, make_peer

    try:
        return make_peer(name, **options)
    except PeerUnavailable as error:
        raise unittest.SkipTest(str(error))


def run_with_attnbench(output, arguments, environ):
    """Scripts/peers/run-with-attnbench with `environ` on a fast one-peer run (numpy, 1 thread, 1 repetition),
    the peers started as `python -m attnpeers` from this tree; the caller's environ says which attnbench."""
    tests = os.path.dirname(os.path.abspath(__file__))
    environ = dict(environ, ATTNPEERS_RUN="%s -B -m attnpeers" % sys.executable, PYTHONDONTWRITEBYTECODE="1",
                   PYTHONPATH=os.pathsep.join([PEERS_DIR, tests]))
    return subprocess.run(["bash", os.path.join(PEERS_DIR, "run-with-attnbench"), "--output", output, "--peers", "numpy",
                           "--threads", "1", "--repetitions", "1", "--min-time", "0", "--warmup", "0", "--quiet"]
                          + arguments, capture_output=True, text=True, env=environ, timeout=120)
