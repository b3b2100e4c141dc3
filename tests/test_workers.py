"""The local worker pool when a worker dies while another cannot be stopped politely.

The scenario runs in its own Python process, with a SIGTERM handler in the main process the way
the CLI has one, so that a hang fails this test on its timeout instead of stalling the suite.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SCENARIO = textwrap.dedent("""
    import os, signal, sys, time
    from pathlib import Path
    from restore.run.workers import run_in_processes

    MARK = Path(sys.argv[1])

    def raise_on_sigterm(signum, frame):
        raise KeyboardInterrupt

    def work(item):
        if item == "dies":
            time.sleep(0.5)
            os.kill(os.getpid(), signal.SIGKILL)
        if not MARK.exists():  # first attempt: stuck where no exception gets out (a lock a dead peer held)
            MARK.touch()
            while True:
                try:
                    time.sleep(60)
                except BaseException:
                    pass
        return f"{item} done"

    signal.signal(signal.SIGTERM, raise_on_sigterm)
    results = run_in_processes(["stuck", "dies"], work, workers=2, initializer=lambda: None, initargs=(),
                               lost=lambda item: f"{item} lost")
    print(sorted(results))
""")


def test_a_dead_worker_next_to_a_stuck_one_does_not_hang_the_batch(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCENARIO, str(tmp_path / "mark")], capture_output=True,
                          text=True, timeout=60, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['dies lost', 'stuck done']"
