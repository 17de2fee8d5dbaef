import os
import sys

# The command line never multiplies matrices: OpenBLAS's threads, which numpy starts on
# import, would only cost their start (numpy's import took 0.13 s with them, 0.07 s without).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from dashboard.cli import main  # noqa: E402

sys.exit(main(runs_once=True))
