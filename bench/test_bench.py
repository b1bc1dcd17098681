"""The benchmark script runs end to end on a small data set and its invariants hold."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).with_name("run.py")


def test_bench_runs_and_page_queries_do_not_grow_with_page_size(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, str(RUN), "--contacts", "300"], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    small, large = map(int, re.search(r"queries for a page of 10 / of 100\s+(\d+) / (\d+)", result.stdout).groups())
    assert small == large
    assert "contacts/s" in result.stdout
    assert "iter_csv" in result.stdout and "iter_vcard" in result.stdout
    incwo = re.search(r"incwo XML \(first / deep page of 100\): queries, ms\s+(\d+) / (\d+) queries", result.stdout)
    assert incwo is not None, result.stdout
    assert incwo.group(1) == incwo.group(2)
    small, large = map(int, re.search(r"Incoplax JSON: queries, ms\s+(\d+) / (\d+) queries", result.stdout).groups())
    assert small == large
    assert re.search(r"Incoplax JSON, a page of \d+: queries, ms\s+\d+ queries", result.stdout)
