"""Shared fixtures for the end-to-end tests.

The tests drive the real binaries from the build tree (DROVER_BUILD, default
build/release) through PATH, exactly as a user's shell would find them.
"""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("DROVER_BUILD", ROOT / "build" / "release")).resolve()
BIN = BUILD / "bin"
DATA = ROOT / "tests" / "data"
REFERENCE = DATA / "reference"  # output captured from Slurm 22.05 (copied from shared/)


@pytest.fixture(scope="session")
def bin_dir():
    if not (BIN / "drover").exists():
        pytest.fail(f"{BIN / 'drover'} is missing: build first (scripts/test does)")
    return BIN


@pytest.fixture
def run(bin_dir, tmp_path):
    """Runs a command line as a user types it, with the build's bin/ first on PATH."""

    def _run(*argv, env=None, input=None, cwd=None, timeout=30):
        full_env = dict(os.environ)
        full_env["PATH"] = f"{bin_dir}:{full_env.get('PATH', '')}"
        full_env.pop("SLURM_CONF", None)
        full_env.pop("SLURM_JOB_NODELIST", None)
        if env:
            full_env.update(env)
        return subprocess.run(
            list(argv),
            env=full_env,
            input=input,
            cwd=cwd or tmp_path,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return _run
