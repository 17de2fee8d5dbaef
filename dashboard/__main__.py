import sys

from dashboard.memory import no_blas_threads

no_blas_threads()          # (before anything imports numpy)

from dashboard.cli import main  # noqa: E402

sys.exit(main(runs_once=True))
