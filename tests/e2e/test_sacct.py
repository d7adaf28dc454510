"""sacct as a user types it: job records from the accounting store, with their batch steps,
in Slurm's columns, and still there after the controller is killed with SIGKILL."""
import os
import signal

from cluster import (local_cluster, other_user, process_alive, run_as, sbatch_id,  # noqa: F401
                     shared_dir, wait_job_done, wait_until)

HEADER = ("JobID           JobName  Partition    Account  AllocCPUS      State ExitCode ",
          "------------ ---------- ---------- ---------- ---------- ---------- -------- ")


def sacct_lines(cluster, *args):
    r = cluster.run("sacct", *args)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


def wait_recorded(cluster, job_id, state):
    """Accounting is written off the controller's engine thread: wait for the record."""
    def recorded():
        r = cluster.run("sacct", "-X", "-n", "-P", "-o", "State", "-j", str(job_id))
        return r.returncode == 0 and r.stdout.strip() == state
    wait_until(recorded, 30, f"sacct to show job {job_id} {state}")


def row(lines, job_id):
    return next((line.split() for line in lines if line.split()[:1] == [job_id]), None)


def test_default_columns_show_jobs_and_batch_steps(local_cluster, tmp_path):
    ok = sbatch_id(local_cluster, "-J", "ok_job", "--wrap=true", cwd=tmp_path)
    fail = sbatch_id(local_cluster, "-J", "fail_job", "--wrap=exit 3", cwd=tmp_path)
    assert wait_job_done(local_cluster, ok) == "COMPLETED"
    assert wait_job_done(local_cluster, fail) == "FAILED"
    wait_recorded(local_cluster, ok, "COMPLETED")
    wait_recorded(local_cluster, fail, "FAILED")

    lines = sacct_lines(local_cluster)
    assert tuple(lines[:2]) == HEADER
    assert row(lines, ok) == [ok, "ok_job", "debug", "1", "COMPLETED", "0:0"]
    assert row(lines, f"{ok}.batch") == [f"{ok}.batch", "batch", "1", "COMPLETED", "0:0"]
    assert row(lines, fail) == [fail, "fail_job", "debug", "1", "FAILED", "3:0"]
    assert row(lines, f"{fail}.batch") == [f"{fail}.batch", "batch", "1", "FAILED", "3:0"]
    # Column positions as Slurm prints them: JobID left in 12, the rest right-aligned.
    line = next(x for x in lines if x.startswith(f"{ok} "))
    assert line == f"{ok:<12} {'ok_job':>10} {'debug':>10} {'':>10} {'1':>10} " \
                   f"{'COMPLETED':>10} {'0:0':>8} "

    # -j: the job and its steps only.
    lines = sacct_lines(local_cluster, "-j", ok)
    assert [x.split()[0] for x in lines[2:]] == [ok, f"{ok}.batch"]


def test_parsable_allocations_and_formats(local_cluster, tmp_path):
    a = sbatch_id(local_cluster, "-J", "p_one", "--wrap=true", cwd=tmp_path)
    b = sbatch_id(local_cluster, "-J", "p_two", "--wrap=exit 2", cwd=tmp_path)
    wait_job_done(local_cluster, a)
    wait_job_done(local_cluster, b)
    wait_recorded(local_cluster, b, "FAILED")

    lines = sacct_lines(local_cluster, "-P", "-X", "-o", "JobID,JobName,State,ExitCode",
                        "-j", f"{a},{b}")
    assert lines == ["JobID|JobName|State|ExitCode", f"{a}|p_one|COMPLETED|0:0",
                     f"{b}|p_two|FAILED|2:0"]
    lines = sacct_lines(local_cluster, "-p", "-n", "-o", "jobidraw,state", "-j", a)
    assert lines == [f"{a}|COMPLETED|", f"{a}.batch|COMPLETED|"]
    lines = sacct_lines(local_cluster, "-X", "-o", "JobID%20,JobName%4,Elapsed", "-j", a)
    assert lines[0] == f"{'JobID':<20} {'Job+':>4} {'Elapsed':>10} "
    assert lines[2].startswith(f"{a:<20} {'p_o+':>4} ")
    assert lines[2].split()[2].count(":") == 2  # 00:00:00
    # --name and -s filter in the store.
    assert [x.split()[0] for x in sacct_lines(local_cluster, "-X", "-n", "--name", "p_two")] \
        == [b]
    ids = [x.split("|")[0] for x in sacct_lines(local_cluster, "-X", "-n", "-P", "-o", "jobid",
                                                "-s", "F")]
    assert b in ids and a not in ids
    # A bad field or time is refused as sacct refuses it.
    r = local_cluster.run("sacct", "-o", "nosuchfield")
    assert r.returncode == 1 and "Invalid field requested" in r.stderr


def test_time_window(local_cluster, tmp_path):
    j = sbatch_id(local_cluster, "--wrap=true", cwd=tmp_path)
    wait_job_done(local_cluster, j)
    wait_recorded(local_cluster, j, "COMPLETED")
    ids = lambda *a: [x.split()[0] for x in sacct_lines(local_cluster, "-X", "-n", *a)]  # noqa
    assert j in ids("-S", "now-1hour")
    assert j not in ids("-S", "2000-01-01", "-E", "2000-01-02T00:00:00")
    assert j not in ids("-S", "now+1hour", "-E", "now+2hours")
    r = local_cluster.run("sacct", "-S", "yesterday-ish")
    assert r.returncode == 1 and r.stderr.startswith("sacct: error: ")


def test_users_see_their_own_jobs_unless_they_ask(local_cluster, other_user, shared_dir):
    mine = sbatch_id(local_cluster, "--wrap=true", cwd=shared_dir)
    r = run_as(local_cluster, other_user, "sbatch", "--parsable", "--wrap=true", cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    theirs = r.stdout.strip()
    wait_job_done(local_cluster, mine)
    wait_job_done(local_cluster, theirs)
    wait_recorded(local_cluster, theirs, "COMPLETED")
    wait_recorded(local_cluster, mine, "COMPLETED")

    def ids_as_user(*args):
        r = run_as(local_cluster, other_user, "sacct", "-X", "-n", "-P", "-o", "JobID", *args,
                   cwd=shared_dir)
        assert r.returncode == 0, r.stderr
        return r.stdout.split()

    assert theirs in ids_as_user() and mine not in ids_as_user()
    assert mine in ids_as_user("-a")  # PrivateData is not set: -a shows everyone's
    # root sees everyone by default; -u narrows.
    root_ids = [x.split()[0] for x in sacct_lines(local_cluster, "-X", "-n")]
    assert mine in root_ids and theirs in root_ids
    narrowed = [x.split()[0] for x in sacct_lines(local_cluster, "-X", "-n", "-u",
                                                  other_user.pw_name)]
    assert theirs in narrowed and mine not in narrowed


def test_records_survive_controller_kill_9(local_cluster, tmp_path):
    done = sbatch_id(local_cluster, "-J", "pre_kill", "--wrap=exit 4", cwd=tmp_path)
    wait_job_done(local_cluster, done)
    held = sbatch_id(local_cluster, "-H", "-J", "held_job", "--wrap=true", cwd=tmp_path)
    pid = local_cluster.pids()["droverctld"]
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not process_alive(pid), 10, "droverctld to die")
    # The dead controller's sockets close when its last thread has exited, a moment after
    # its pid stops counting as alive: `drover up` refuses the port until then.
    wait_until(lambda: local_cluster.drover("up").returncode == 0, 30, "droverctld to restart")

    wait_recorded(local_cluster, done, "FAILED")
    wait_recorded(local_cluster, held, "PENDING")
    lines = sacct_lines(local_cluster, "-j", f"{done},{held}")
    assert row(lines, done) == [done, "pre_kill", "debug", "1", "FAILED", "4:0"]
    assert row(lines, f"{done}.batch")[-2:] == ["FAILED", "4:0"]
    assert row(lines, held)[-2:] == ["PENDING", "0:0"]
    local_cluster.run("scancel", held)
