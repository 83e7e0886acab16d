"""The peers' unit tests. `python3 -m unittest discover -s Scripts/peers/tests` from the repository root, or
`python3 -m unittest` inside Scripts/peers; `Scripts/peers/run --self-test` runs them in the peers' venv,
where the onnxruntime and torch tests run too (elsewhere they are skipped)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # for `import support` when run as a package
