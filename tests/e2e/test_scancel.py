"""scancel on a running local cluster: job ids and every filter (-u, -A, -p, -t, -n, -q,
-w), signals (-s, --batch), and what it prints and returns when a job is not there or
not the caller's. Each test cancels only what it submitted and checks that the rest
survived.
"""
import os
import re

import pytest

from cluster import (  # noqa: F401 (fixtures)
    cancel_all, local_cluster, other_user, run_as, sbatch_id, shared_dir, show_job,
    wait_job_done, wait_job_state, wait_until)


@pytest.fixture(autouse=True)
def no_job_left(local_cluster):
    yield
    cancel_all(local_cluster)


def submit(cluster, cwd, *args):
    return sbatch_id(cluster, *args, "-o", "/dev/null", "--wrap=sleep 600", cwd=cwd)


def state(cluster, job):
    return show_job(cluster, job)["JobState"]


def wait_cancelled(cluster, *jobs):
    for job in jobs:
        wait_job_state(cluster, job, "CANCELLED", timeout=30)


def test_cancel_by_id_running_and_pending(local_cluster, shared_dir):
    running = submit(local_cluster, shared_dir)
    pending = submit(local_cluster, shared_dir, "-H")
    keep = submit(local_cluster, shared_dir, "-H")
    wait_job_state(local_cluster, running, "RUNNING")
    r = local_cluster.run("scancel", running, pending)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    wait_cancelled(local_cluster, running, pending)
    fields = show_job(local_cluster, running)
    assert fields["ExitCode"] == "0:15"
    assert show_job(local_cluster, pending)["Reason"] in ("None", "JobHeldUser")
    assert state(local_cluster, keep) == "PENDING"
    # Squeue's default view no longer lists them; -t CA does.
    r = local_cluster.run("squeue", "-h", "-t", "CA", "-j", f"{running},{pending}", "-o",
                          "%i %t")
    assert sorted(r.stdout.splitlines()) == sorted([f"{running} CA", f"{pending} CA"])


def test_cancel_unknown_or_finished_job_is_quiet_as_in_slurm(local_cluster, shared_dir):
    r = local_cluster.run("scancel", "99999999")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    done = sbatch_id(local_cluster, "-o", "/dev/null", "--wrap=true", cwd=shared_dir)
    assert wait_job_done(local_cluster, done) == "COMPLETED"
    r = local_cluster.run("scancel", done)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    assert state(local_cluster, done) == "COMPLETED"


def test_bad_job_id_and_no_job(local_cluster):
    r = local_cluster.run("scancel", "12abc")
    assert r.returncode == 1
    assert r.stderr == "scancel: error: Invalid job id 12abc\n"
    r = local_cluster.run("scancel")
    assert (r.returncode, r.stderr) == (1, "scancel: error: No job identification provided\n")


def test_cancel_by_user(local_cluster, other_user, shared_dir):
    mine = submit(local_cluster, shared_dir, "-H")
    r = run_as(local_cluster, other_user, "sbatch", "--parsable", "-H", "--wrap=true",
               cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    theirs = r.stdout.strip()
    # The other user may not cancel root's job, and says so as Slurm does.
    r = run_as(local_cluster, other_user, "scancel", mine, cwd=shared_dir)
    assert (r.returncode, r.stderr) == (
        1, f"scancel: error: Kill job error on job id {mine}: Access/permission denied\n")
    assert state(local_cluster, mine) == "PENDING"
    # scancel -u by root takes only that user's jobs.
    r = local_cluster.run("scancel", "-u", other_user.pw_name)
    assert (r.returncode, r.stderr) == (0, "")
    wait_cancelled(local_cluster, theirs)
    assert state(local_cluster, mine) == "PENDING"


def test_user_cancels_all_their_own_jobs(local_cluster, other_user, shared_dir):
    mine = submit(local_cluster, shared_dir, "-H")
    theirs = []
    for _ in range(2):
        r = run_as(local_cluster, other_user, "sbatch", "--parsable", "-H", "--wrap=true",
                   cwd=shared_dir)
        assert r.returncode == 0, r.stderr
        theirs.append(r.stdout.strip())
    r = run_as(local_cluster, other_user, "scancel", "--me", cwd=shared_dir)
    assert (r.returncode, r.stderr) == (0, "")
    wait_cancelled(local_cluster, *theirs)
    assert state(local_cluster, mine) == "PENDING"


@pytest.mark.parametrize("option, target_args, other_args", [
    (["-A", "acct_x"], ["-A", "acct_x"], ["-A", "acct_y"]),
    (["-p", "short"], ["-p", "short"], ["-p", "debug"]),
    (["-n", "victim"], ["-J", "victim"], ["-J", "bystander"]),
    (["--name=victim"], ["-J", "victim"], ["-J", "bystander"]),
    (["-q", "special"], ["--qos=special"], ["--qos=normal"]),
])
def test_filters(local_cluster, shared_dir, option, target_args, other_args):
    target = submit(local_cluster, shared_dir, "-H", *target_args)
    other = submit(local_cluster, shared_dir, "-H", *other_args)
    r = local_cluster.run("scancel", *option)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    wait_cancelled(local_cluster, target)
    assert state(local_cluster, other) == "PENDING"


def test_filter_by_state(local_cluster, shared_dir):
    running = submit(local_cluster, shared_dir)
    pending = submit(local_cluster, shared_dir, "-H")
    wait_job_state(local_cluster, running, "RUNNING")
    r = local_cluster.run("scancel", "-t", "PENDING")
    assert r.returncode == 0, r.stderr
    wait_cancelled(local_cluster, pending)
    assert state(local_cluster, running) == "RUNNING"
    r = local_cluster.run("scancel", "--state=R")
    assert r.returncode == 0, r.stderr
    wait_cancelled(local_cluster, running)


def test_filter_by_node(local_cluster, shared_dir):
    on3 = submit(local_cluster, shared_dir, "-w", "node3")
    on4 = submit(local_cluster, shared_dir, "-w", "node4")
    wait_job_state(local_cluster, on3, "RUNNING")
    wait_job_state(local_cluster, on4, "RUNNING")
    r = local_cluster.run("scancel", "-w", "node3")
    assert (r.returncode, r.stderr) == (0, "")
    wait_cancelled(local_cluster, on3)
    assert state(local_cluster, on4) == "RUNNING"


def test_filters_combine_and_restrict_ids(local_cluster, shared_dir):
    a = submit(local_cluster, shared_dir, "-H", "-J", "combo", "-p", "short")
    b = submit(local_cluster, shared_dir, "-H", "-J", "combo", "-p", "debug")
    c = submit(local_cluster, shared_dir, "-H", "-J", "other", "-p", "short")
    r = local_cluster.run("scancel", "-n", "combo", "-p", "short")
    assert r.returncode == 0, r.stderr
    wait_cancelled(local_cluster, a)
    assert [state(local_cluster, j) for j in (b, c)] == ["PENDING", "PENDING"]
    # With ids, a filter keeps only the ids that match it.
    r = local_cluster.run("scancel", "-n", "nomatch", b)
    assert r.returncode == 0, r.stderr
    assert state(local_cluster, b) == "PENDING"


def test_verbose_names_each_job(local_cluster, shared_dir):
    job = submit(local_cluster, shared_dir, "-H", "-J", "loud")
    r = local_cluster.run("scancel", "-v", job)
    assert r.returncode == 0
    assert f"scancel: Terminating job {job}\n" in r.stderr
    wait_cancelled(local_cluster, job)


SIGNAL_SCRIPT = """#!/bin/bash
trap 'echo "batch got USR1"' USR1
sleep 600 &
child=$!
echo "child $child"
while kill -0 $child 2>/dev/null; do wait $child; done
echo "child ended"
sleep 600
"""


def start_signal_job(cluster, cwd):
    (cwd / "sig.sh").write_text(SIGNAL_SCRIPT)
    out = cwd / "sig.out"
    job = sbatch_id(cluster, "-o", str(out), "sig.sh", cwd=cwd)
    wait_until(lambda: out.exists() and "child" in out.read_text(), 30,
               f"job {job} to start its child")
    return job, out


def test_signal_with_full_reaches_the_script_and_its_children(local_cluster, shared_dir):
    job, out = start_signal_job(local_cluster, shared_dir)
    r = local_cluster.run("scancel", "-f", "-s", "USR1", job)
    assert (r.returncode, r.stderr) == (0, "")
    wait_until(lambda: "batch got USR1" in out.read_text()
               and "child ended" in out.read_text(), 20, "the script and its child to get USR1")
    assert state(local_cluster, job) == "RUNNING"  # a signal is not a cancel
    r = local_cluster.run("scancel", "--signal=KILL", job)
    assert r.returncode == 0, r.stderr
    wait_job_done(local_cluster, job)
    assert show_job(local_cluster, job)["JobState"] in ("CANCELLED", "FAILED")


def test_signal_batch_reaches_only_the_script(local_cluster, shared_dir):
    job, out = start_signal_job(local_cluster, shared_dir)
    r = local_cluster.run("scancel", "-b", "-s", "USR1", job)
    assert (r.returncode, r.stderr) == (0, "")
    wait_until(lambda: "batch got USR1" in out.read_text(), 20, "the script to get USR1")
    child = re.search(r"child (\d+)", out.read_text()).group(1)
    os.kill(int(child), 0)  # the child is still running
    assert "child ended" not in out.read_text()


def test_signal_by_number_and_name_to_pending_job_fails_as_in_slurm(local_cluster, shared_dir):
    job = submit(local_cluster, shared_dir, "-H")
    r = local_cluster.run("scancel", "-s", "10", job)
    assert r.returncode == 1
    assert r.stderr.startswith(f"scancel: error: Kill job error on job id {job}: "), r.stderr
    assert state(local_cluster, job) == "PENDING"
    r = local_cluster.run("scancel", "-s", "NOSUCH", job)
    assert r.returncode == 1
    assert r.stderr == "scancel: error: Invalid job signal: NOSUCH\n"
