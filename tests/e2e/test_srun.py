"""srun on a running local cluster, typed as a user types it: labelled output of several
nodes, exit codes and their messages, stdin, steps inside a batch job and inside salloc,
and time limits. Output and messages are compared with Slurm's words.

The tests share one 4-node cluster (2 CPUs a node) and leave no job behind them.
"""
import re

import pytest

from cluster import (  # noqa: F401 (fixtures)
    cancel_all, local_cluster, sbatch_id, shared_dir, show_job, wait_job_done, wait_until)


@pytest.fixture(autouse=True)
def no_job_left(local_cluster):
    yield
    cancel_all(local_cluster)


TASK_IDS = "echo $SLURM_PROCID $SLURM_NODEID $SLURM_STEP_NUM_TASKS $SLURM_STEP_NUM_NODES"


def test_labelled_output_of_two_nodes(local_cluster, shared_dir):
    r = local_cluster.run("srun", "-N2", "-n4", "-l", "sh", "-c", TASK_IDS, cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    lines = sorted(r.stdout.splitlines())
    assert len(lines) == 4, r.stdout
    for rank, line in enumerate(lines):
        label, _, rest = line.partition(": ")
        assert label == str(rank), line
        procid, nodeid, ntasks, nnodes = rest.split()
        assert procid == str(rank)
        assert nodeid in ("0", "1")
        assert (ntasks, nnodes) == ("4", "2")
    assert {l.split()[2] for l in lines} == {"0", "1"}  # both nodes ran tasks
    assert r.stderr == ""


def test_unlabelled_output_and_stderr(local_cluster, shared_dir):
    r = local_cluster.run("srun", "-n2", "sh", "-c", "echo out; echo err >&2", cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "out\nout\n"
    assert r.stderr == "err\nerr\n"


def test_exit_code_and_message(local_cluster, shared_dir):
    r = local_cluster.run("srun", "-n1", "sh", "-c", "exit 3", cwd=shared_dir)
    assert r.returncode == 3
    assert re.fullmatch(r"srun: error: \S+: task 0: Exited with exit code 3\n", r.stderr), r.stderr


def test_killed_tasks_exit_128_plus_signal(local_cluster, shared_dir):
    r = local_cluster.run("srun", "-N1", "-n2", "sh", "-c", "kill -9 $$", cwd=shared_dir)
    assert r.returncode == 137
    assert re.fullmatch(r"srun: error: \S+: tasks 0-1: Killed\n", r.stderr), r.stderr


def test_stdin_reaches_the_tasks(local_cluster, shared_dir):
    r = local_cluster.run("srun", "-n1", "cat", input="hello\nworld\n", cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "hello\nworld\n"
    r = local_cluster.run("srun", "-n2", "-l", "--input=1", "cat", input="only one\n",
                          cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "1: only one\n"


def test_output_file_pattern(local_cluster, shared_dir):
    r = local_cluster.run("srun", "-n2", "-o", "out-%j-%t.txt", "sh", "-c", "echo $SLURM_PROCID",
                          cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    files = sorted(p.name for p in shared_dir.glob("out-*-*.txt"))
    assert len(files) == 2, files
    job = files[0].split("-")[1]
    assert [(shared_dir / f"out-{job}-{t}.txt").read_text() for t in (0, 1)] == ["0\n", "1\n"]


def test_srun_in_a_batch_script_creates_steps(local_cluster, shared_dir):
    script = ("#!/bin/sh\n"
              "srun -n2 -l sh -c 'echo step $SLURM_STEP_ID job $SLURM_JOB_ID'\n"
              "srun -n1 sh -c 'echo step $SLURM_STEP_ID'\n")
    (shared_dir / "steps.sh").write_text(script)
    job = sbatch_id(local_cluster, "-N2", "-n2", "-o", "steps.out", "steps.sh", cwd=shared_dir)
    assert wait_job_done(local_cluster, job) == "COMPLETED"
    lines = (shared_dir / "steps.out").read_text().splitlines()
    assert sorted(lines[:2]) == [f"0: step 0 job {job}", f"1: step 0 job {job}"]
    assert lines[2:] == ["step 1"]

    # sacct has a line per step, after the batch step's.
    def rows():
        r = local_cluster.run("sacct", "-j", job, "-n", "-P", "-o", "JobID,JobName,State,ExitCode")
        assert r.returncode == 0, r.stderr
        return r.stdout.splitlines()
    wait_until(lambda: len(rows()) == 4, 30, "the steps' accounting records")
    assert rows() == [f"{job}|steps.sh|COMPLETED|0:0", f"{job}.batch|batch|COMPLETED|0:0",
                      f"{job}.0|sh|COMPLETED|0:0", f"{job}.1|sh|COMPLETED|0:0"]


def test_srun_in_salloc(local_cluster, shared_dir):
    r = local_cluster.run("salloc", "-N1", "srun", "sh", "-c", "echo $SLURM_JOB_ID.$SLURM_STEP_ID",
                          cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    job = re.search(r"salloc: Granted job allocation (\d+)\n", r.stderr).group(1)
    assert r.stdout == f"{job}.0\n"
    assert r.stderr.endswith(f"salloc: Relinquishing job allocation {job}\n")


def test_own_allocation_ends_with_the_step(local_cluster, shared_dir):
    r = local_cluster.run("srun", "-J", "mystep", "sh", "-c", "echo $SLURM_JOB_ID", cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    job = r.stdout.strip()
    assert job.isdigit()
    assert wait_job_done(local_cluster, job) == "COMPLETED"
    assert show_job(local_cluster, job)["JobName"] == "mystep"


def test_failed_step_fails_its_own_allocation(local_cluster, shared_dir):
    r = local_cluster.run("srun", "sh", "-c", "echo $SLURM_JOB_ID; exit 2", cwd=shared_dir)
    assert r.returncode == 2
    job = r.stdout.strip()
    assert wait_job_done(local_cluster, job) == "FAILED"
    # An allocation of srun's own has no batch step: the job and its step 0.
    expected = [f"{job}|FAILED|2:0", f"{job}.0|FAILED|2:0"]

    def rows():
        r = local_cluster.run("sacct", "-j", job, "-n", "-P", "-o", "JobID,State,ExitCode")
        return r.stdout.splitlines()
    wait_until(lambda: rows() == expected, 30, "the step's accounting record")


def test_time_limit_ends_the_step(local_cluster, shared_dir):
    r = local_cluster.run("srun", "-t", "0:03", "sleep", "300", cwd=shared_dir, timeout=180)
    assert r.returncode != 0
    assert "DUE TO TIME LIMIT ***" in r.stderr, r.stderr


def test_steps_are_listed_shown_and_cancelled(local_cluster, shared_dir):
    script = ("#!/bin/sh\n"
              "srun -J longstep sh -c 'echo up > ready; exec sleep 300'\n"
              "echo srun exited $?\n")
    (shared_dir / "long.sh").write_text(script)
    job = sbatch_id(local_cluster, "-n1", "-o", "long.out", "long.sh", cwd=shared_dir)
    wait_until(lambda: (shared_dir / "ready").exists(), 30, "the step to start")

    r = local_cluster.run("squeue", "-s")
    assert r.returncode == 0, r.stderr
    header, *rows = r.stdout.splitlines()
    assert header.split() == ["STEPID", "NAME", "PARTITION", "USER", "TIME", "NODELIST"]
    mine = [row.split() for row in rows if row.split()[0] == f"{job}.0"]
    assert len(mine) == 1, r.stdout
    assert mine[0][1] == "longstep"

    r = local_cluster.run("scontrol", "show", "step", f"{job}.0")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"StepId={job}.0 UserId=")
    assert "Name=longstep" in r.stdout and "Tasks=1" in r.stdout and "State=RUNNING" in r.stdout

    r = local_cluster.run("scancel", f"{job}.0")
    assert r.returncode == 0, r.stderr
    # The step dies; the batch script goes on and ends the job.
    assert wait_job_done(local_cluster, job) == "COMPLETED"
    assert (shared_dir / "long.out").read_text().endswith("srun exited 137\n")
    r = local_cluster.run("scontrol", "show", "step", f"{job}.0")
    assert r.returncode == 1
    assert r.stdout == f"Job step {job}.0 not found\n"


@pytest.mark.parametrize("args, stderr, code", [
    (["-N", "x", "true"], "srun: error: \"x\" is not a valid node count\n", 255),
    (["--nosuchoption", "true"],
     "srun: unrecognized option '--nosuchoption'\nTry \"srun --help\" for more information\n", 255),
    ([], "srun: fatal: No command given to execute.\n", 1),
    (["-p", "nosuchpart", "true"],
     "srun: error: Unable to allocate resources: Invalid partition name specified\n", 1),
])
def test_errors_are_worded_as_slurm(local_cluster, shared_dir, args, stderr, code):
    r = local_cluster.run("srun", *args, cwd=shared_dir)
    assert r.returncode == code
    assert r.stderr == stderr


def test_unknown_job_in_environment(local_cluster, shared_dir):
    r = local_cluster.run("srun", "true", cwd=shared_dir, env={"SLURM_JOB_ID": "999999"})
    assert r.returncode == 1
    assert r.stderr == (
        "srun: error: Unable to confirm allocation for job 999999: Invalid job id specified\n"
        "srun: Check SLURM_JOB_ID environment variable. Expired or invalid job 999999\n")


def test_concurrent_steps_share_the_allocation_and_wait_when_full(local_cluster, shared_dir):
    # Two one-task steps fill a two-CPU job and run side by side; a third waits for one of
    # them to end, with Slurm's messages.
    script = ("#!/bin/sh\n"
              "srun -n1 sh -c 'touch a; while [ ! -e go ]; do sleep 0.05; done' &\n"
              "srun -n1 sh -c 'touch b; while [ ! -e go ]; do sleep 0.05; done' &\n"
              "while [ ! -e a ] || [ ! -e b ]; do sleep 0.05; done\n"
              "(sleep 1; touch go) &\n"
              "srun -n1 echo third\n"
              "wait\n")
    (shared_dir / "concurrent.sh").write_text(script)
    job = sbatch_id(local_cluster, "-N1", "-n2", "-o", "concurrent.out", "concurrent.sh",
                    cwd=shared_dir)
    assert wait_job_done(local_cluster, job) == "COMPLETED"
    out = (shared_dir / "concurrent.out").read_text()
    assert "third\n" in out
    assert (f"srun: Job {job} step creation temporarily disabled, retrying "
            "(Requested nodes are busy)\n") in out, out
    assert f"srun: Step created for StepId={job}.2\n" in out, out
