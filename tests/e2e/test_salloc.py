"""salloc on a running local cluster: the grant and release messages, the command's
environment and exit code, waiting for resources, --no-shell and time limits.

The tests share one 4-node cluster (2 CPUs a node) and leave no job behind them.
"""
import re

import pytest

from cluster import (  # noqa: F401 (fixtures)
    cancel_all, local_cluster, shared_dir, show_job, wait_job_done, wait_job_state)


@pytest.fixture(autouse=True)
def no_job_left(local_cluster):
    yield
    cancel_all(local_cluster)


def granted(stderr):
    m = re.search(r"^salloc: Granted job allocation (\d+)$", stderr, re.M)
    assert m, stderr
    return m.group(1)


def test_command_sees_the_allocation(local_cluster, shared_dir):
    r = local_cluster.run(
        "salloc", "-N2", "-n2", "sh", "-c",
        "echo $SLURM_JOB_ID $SLURM_JOBID $SLURM_NNODES $SLURM_JOB_NUM_NODES $SLURM_NTASKS "
        "$SLURM_SUBMIT_DIR; echo $SLURM_JOB_NODELIST", cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    job = granted(r.stderr)
    first, nodelist = r.stdout.splitlines()
    assert first == f"{job} {job} 2 2 2 {shared_dir}"
    assert nodelist
    assert r.stderr == (f"salloc: Granted job allocation {job}\n"
                        f"salloc: Relinquishing job allocation {job}\n")
    assert wait_job_done(local_cluster, job) == "COMPLETED"


def test_exit_code_is_the_commands(local_cluster, shared_dir):
    r = local_cluster.run("salloc", "sh", "-c", "exit 7", cwd=shared_dir)
    assert r.returncode == 7
    assert wait_job_done(local_cluster, granted(r.stderr)) == "FAILED"


def test_default_command_is_the_shell(local_cluster, shared_dir):
    r = local_cluster.run("salloc", "-N1", input="echo job=$SLURM_JOB_ID\n", cwd=shared_dir,
                          env={"SHELL": "/bin/sh"})
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"job={granted(r.stderr)}\n"


def test_waiting_for_resources(local_cluster, shared_dir):
    hog = local_cluster.run("salloc", "--no-shell", "-N4", "--exclusive", cwd=shared_dir)
    assert hog.returncode == 0, hog.stderr
    hog_job = granted(hog.stderr)
    r = local_cluster.run("salloc", "-N1", "-I", "true", cwd=shared_dir)
    assert r.returncode == 1
    assert r.stderr.endswith(
        "salloc: error: Unable to allocate resources: Requested nodes are busy\n"), r.stderr
    # srun -I says the same, after the queued line (as in ../shared/reference).
    r = local_cluster.run("srun", "-N1", "-I", "true", cwd=shared_dir)
    assert r.returncode == 1
    assert re.fullmatch(r"srun: job \d+ queued and waiting for resources\n"
                        r"srun: error: Unable to allocate resources: Requested nodes are busy\n",
                        r.stderr), r.stderr
    local_cluster.run("scancel", hog_job)
    local_cluster.wait_job_gone(hog_job)


def test_queued_messages(local_cluster, shared_dir):
    hog = local_cluster.run("salloc", "--no-shell", "-N4", "--exclusive", "-t", "0:05",
                            cwd=shared_dir)
    assert hog.returncode == 0, hog.stderr
    r = local_cluster.run("salloc", "-N1", "true", cwd=shared_dir, timeout=120)
    assert r.returncode == 0, r.stderr
    m = re.match(r"salloc: Pending job allocation (\d+)\n"
                 r"salloc: job \1 queued and waiting for resources\n"
                 r"salloc: job \1 has been allocated resources\n"
                 r"salloc: Granted job allocation \1\n"
                 r"salloc: Relinquishing job allocation \1\n\Z", r.stderr)
    assert m, r.stderr


def test_time_limit_revokes_the_allocation(local_cluster, shared_dir):
    r = local_cluster.run("salloc", "-t", "0:03", "sleep", "300", cwd=shared_dir, timeout=180)
    job = granted(r.stderr)
    assert (f"salloc: Job {job} has exceeded its time limit and its allocation has been "
            f"revoked.\n") in r.stderr
    assert r.returncode != 0
    assert wait_job_done(local_cluster, job) == "TIMEOUT"


def test_scancel_revokes_the_allocation(local_cluster, shared_dir):
    r = local_cluster.run("salloc", "sh", "-c", "scancel $SLURM_JOB_ID; sleep 60",
                          cwd=shared_dir, timeout=120)
    job = granted(r.stderr)
    assert f"salloc: Job allocation {job} has been revoked.\n" in r.stderr
    assert wait_job_done(local_cluster, job) == "CANCELLED"


def test_errors_are_worded_as_slurm(local_cluster, shared_dir):
    r = local_cluster.run("salloc", "-p", "nosuchpart", "true", cwd=shared_dir)
    assert r.returncode == 1
    assert r.stderr.endswith(
        "salloc: error: Job submit/allocate failed: Invalid partition name specified\n")
    r = local_cluster.run("salloc", "-t", "bogus", "true", cwd=shared_dir)
    assert r.returncode == 255
    assert r.stderr == "salloc: error: Invalid --time specification\n"
