"""Job arrays on a running local cluster, as a user types them: sbatch --array with %A/%a
output files and the SLURM_ARRAY_* variables, squeue's compact and -r displays, scancel of
a range of tasks, and the %N throttle.
"""
import re

import pytest

from cluster import (  # noqa: F401 (fixtures)
    cancel_all, local_cluster, sbatch_id, shared_dir, show_job, wait_until)


@pytest.fixture(autouse=True)
def no_job_left(local_cluster):
    yield
    cancel_all(local_cluster)


def squeue(cluster, *args):
    r = cluster.run("squeue", "-h", *args)
    assert r.returncode == 0, r.stderr
    return r.stdout.split("\n")[:-1]


def test_array_tasks_see_their_ids_and_write_their_own_files(local_cluster, shared_dir):
    script = ("#!/bin/bash\n#SBATCH --array=1-7:3\n#SBATCH -o arr-%A_%a.out\n"
              "echo $SLURM_ARRAY_JOB_ID $SLURM_ARRAY_TASK_ID $SLURM_ARRAY_TASK_COUNT "
              "$SLURM_ARRAY_TASK_MIN $SLURM_ARRAY_TASK_MAX $SLURM_ARRAY_TASK_STEP\n")
    (shared_dir / "arr.sh").write_text(script)
    r = local_cluster.run("sbatch", "arr.sh", cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    m = re.fullmatch(r"Submitted batch job (\d+)\n", r.stdout)
    assert m, r.stdout
    job = m.group(1)
    for task in ("1", "4", "7"):
        out = shared_dir / f"arr-{job}_{task}.out"
        wait_until(lambda: out.exists() and out.read_text() == f"{job} {task} 3 1 7 3\n", 30,
                   str(out))


def test_default_output_name_of_an_array_task(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "--array=2", "--wrap=echo hi", cwd=shared_dir)
    out = shared_dir / f"slurm-{job}_2.out"
    wait_until(lambda: out.exists() and out.read_text() == "hi\n", 30, str(out))


def test_array_from_sbatch_array_inx(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "-H", "-o", "/dev/null", "--wrap=true", cwd=shared_dir,
                    env={"SBATCH_ARRAY_INX": "3-5"})
    assert squeue(local_cluster, "-j", job, "-o", "%i") == [f"{job}_[3-5]"]


def test_pending_array_is_one_line_and_r_shows_each_task(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "-H", "--array=0-15:4%2", "-o", "/dev/null",
                    "--wrap=true", cwd=shared_dir)
    assert squeue(local_cluster, "-j", job, "-o", "%i %F %K %T") == [
        f"{job}_[0,4,8,12%2] {job} 0,4,8,12%2 PENDING"]
    assert squeue(local_cluster, "-r", "-j", job, "-o", "%i %K") == [
        f"{job}_{t} {t}" for t in (0, 4, 8, 12)]
    shown = show_job(local_cluster, job)
    assert shown["ArrayJobId"] == job
    assert shown["ArrayTaskId"] == "0,4,8,12%2"
    assert shown["ArrayTaskThrottle"] == "2"


def test_throttle_and_running_tasks_have_their_own_ids(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "--array=1-6%2", "-o", "/dev/null", "--wrap=sleep 600",
                    cwd=shared_dir)
    wait_until(lambda: len(squeue(local_cluster, "-j", job, "-t", "R", "-o", "%i")) == 2, 30,
               "two running tasks")
    running = sorted(squeue(local_cluster, "-j", job, "-t", "R", "-o", "%i %A %K"))
    assert [line.split()[0] for line in running] == [f"{job}_1", f"{job}_2"]
    ids = {line.split()[1] for line in running}
    assert len(ids) == 2 and job not in ids  # split-off tasks get job ids of their own
    assert squeue(local_cluster, "-j", job, "-t", "PD", "-o", "%i %r") == [
        f"{job}_[3-6%2] JobArrayTaskLimit"]
    task = show_job(local_cluster, running[0].split()[1])
    assert task["ArrayJobId"] == job and task["ArrayTaskId"] == "1"
    assert task["JobState"] == "RUNNING"


def test_scancel_of_a_range_and_of_one_task(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "--array=0-9%1", "-o", "/dev/null", "--wrap=sleep 600",
                    cwd=shared_dir)
    wait_until(lambda: squeue(local_cluster, "-j", job, "-t", "R", "-o", "%i") == [f"{job}_0"],
               30, "task 0 running")
    r = local_cluster.run("scancel", f"{job}_[3-5]")
    assert r.returncode == 0, r.stderr
    assert squeue(local_cluster, "-j", job, "-t", "PD", "-o", "%i") == [
        f"{job}_[1-2,6-9%1]"]
    r = local_cluster.run("scancel", f"{job}_0")
    assert r.returncode == 0, r.stderr
    wait_until(lambda: squeue(local_cluster, "-j", job, "-t", "R", "-o", "%i") == [f"{job}_1"],
               30, "task 1 running after task 0 was cancelled")
    r = local_cluster.run("scancel", job)
    assert r.returncode == 0, r.stderr
    local_cluster.wait_job_gone(job)
