"""Arrow's allocator: the C library's for the command line and the app, unless the
environment names one. Each case runs in a new Python, since a process has one pool."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

BACKEND = "import pyarrow as pa; print(pa.default_memory_pool().backend_name)"


def backend_after(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**clean, "PYTHONPATH": str(ROOT), **env}, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def default_is_another_pool() -> str:
    """pyarrow's own default, when it is not the C library's: a test that expects "system"
    could not fail on a build whose default is already "system", so it is skipped there."""
    backend = backend_after(BACKEND)
    if backend == "system":
        pytest.skip("this pyarrow build allocates with the C library by default")
    return backend


def test_chosen_before_pyarrow_is_imported(default_is_another_pool):
    code = "from dashboard.memory import prefer_c_allocator; prefer_c_allocator()\n" + BACKEND
    assert backend_after(code) == "system"


def test_chosen_after_pyarrow_is_imported(default_is_another_pool):
    code = ("import pyarrow as pa; pa.default_memory_pool()\n"
            "from dashboard.memory import prefer_c_allocator; prefer_c_allocator()\n" + BACKEND)
    assert backend_after(code) == "system"


def test_the_operators_choice_stands():
    code = "from dashboard.memory import prefer_c_allocator; prefer_c_allocator()\n" + BACKEND
    import pyarrow as pa
    try:
        pa.mimalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("this pyarrow build has no mimalloc pool")
    assert backend_after(code, ARROW_DEFAULT_MEMORY_POOL="mimalloc") == "mimalloc"


def test_the_command_line_uses_it(tmp_path, default_is_another_pool):
    code = ("import sys\nfrom dashboard.cli import main\n"
            "main(['summary', '--json', '--config', 'dashboard/demo_data/coalition.toml'])\n"
            "sys.stdout.flush()\n" + BACKEND)
    assert backend_after(code, DASHBOARD_STORAGE_URL=f"sqlite:///{tmp_path / 's.sqlite'}") == "system"


def test_the_app_uses_it(tmp_path, default_is_another_pool):
    code = ("from streamlit.testing.v1 import AppTest\n"
            "at = AppTest.from_file('streamlit_app.py', default_timeout=120).run()\n"
            "assert not at.exception, at.exception\n" + BACKEND)
    assert backend_after(code, DASHBOARD_STORAGE_URL=f"sqlite:///{tmp_path / 's.sqlite'}") == "system"


# The cycle collector: frozen imports and larger steps for `python -m dashboard`, which
# exits after one command; the collector as Python sets it for anything that lives on.
GC_STATE = "import gc; print(gc.get_threshold(), gc.get_freeze_count() > 0)"


def test_a_command_run_as_a_process_collects_less(tmp_path):
    """Larger steps while the command runs, and when it is done everything it left (pandas,
    imported during the command, and its caches) frozen out of the exit's collection."""
    code = ("import runpy, sys\n"
            "sys.argv = ['dashboard', 'summary', '--json', '--config', "
            "'dashboard/demo_data/coalition.toml']\n"
            "try:\n    runpy.run_module('dashboard', run_name='__main__')\n"
            "except SystemExit as stop:\n    assert stop.code == 0, stop.code\n"
            "sys.stdout.flush()\nassert 'pandas' in sys.modules\n"
            "import gc\nleft = len(gc.get_objects())\n"
            "print(gc.get_threshold(), gc.get_freeze_count() > 0, left)")
    state, left = backend_after(code, DASHBOARD_STORAGE_URL=f"sqlite:///{tmp_path / 's.sqlite'}"
                                ).rsplit(maxsplit=1)
    assert state == "(5000, 10, 10) True"
    assert int(left) < 1_000        # (pandas alone is 46,000 objects)


def test_main_called_in_a_longer_life_leaves_the_collector_alone(tmp_path):
    code = ("import gc, sys\nfrom dashboard.cli import main\n"
            "before = gc.get_threshold()\n"
            "assert main(['summary', '--json', '--config', 'dashboard/demo_data/coalition.toml']) == 0\n"
            "sys.stdout.flush()\nassert gc.get_threshold() == before\n" + GC_STATE)
    state = backend_after(code, DASHBOARD_STORAGE_URL=f"sqlite:///{tmp_path / 's.sqlite'}")
    assert state.endswith("False")


@pytest.mark.skipif(not os.path.isdir("/proc/self/task") or (os.cpu_count() or 1) < 2,
                    reason="counts threads in /proc (Linux); OpenBLAS starts none on one CPU")
def test_the_command_line_starts_no_blas_threads(tmp_path):
    # (threads named as the process is: OpenBLAS's are; Arrow's allocator names its own)
    threads = ("import os\nnames = [open(f'/proc/self/task/{t}/comm').read() "
               "for t in os.listdir('/proc/self/task')]\n"
               "print(names.count(open('/proc/self/comm').read()))")
    clean = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    plain = subprocess.run([sys.executable, "-c", "import numpy\n" + threads], env=clean,
                           capture_output=True, text=True, timeout=120)
    if plain.stdout.strip() == "1":
        pytest.skip("this numpy starts no BLAS threads of its own")
    code = ("import runpy, sys\n"
            "sys.argv = ['dashboard', 'summary', '--json', '--config', "
            "'dashboard/demo_data/coalition.toml']\n"
            "try:\n    runpy.run_module('dashboard', run_name='__main__')\n"
            "except SystemExit as stop:\n    assert stop.code == 0, stop.code\n"
            "sys.stdout.flush()\n" + threads)
    clean.pop("OPENBLAS_NUM_THREADS", None)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**clean, "PYTHONPATH": str(ROOT),
                               "DASHBOARD_STORAGE_URL": f"sqlite:///{tmp_path / 's.sqlite'}"},
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "1"
