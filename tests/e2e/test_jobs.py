"""Batch jobs on a running local cluster, driven through the real commands as users type
them: ownership of jobs and files, cancel, time limits, holds, node drain, errors."""
import os
import pwd
import re
import subprocess

import pytest

from cluster import local_cluster, wait_until  # noqa: F401 (fixture)

OTHER_USER = "drovere2e"


@pytest.fixture(scope="module")
def other_user(local_cluster):
    """A second, ordinary user (created with useradd when absent) who can reach the
    cluster: pytest's temporary folders are private to root, so the folders above the
    run directory are opened for traversal, as a shared install's would be."""
    try:
        pwd.getpwnam(OTHER_USER)
    except KeyError:
        subprocess.run(["useradd", "--create-home", OTHER_USER], check=True)
    folder = local_cluster.dir
    while folder != folder.parent and str(folder) != "/tmp":
        os.chmod(folder, os.stat(folder).st_mode | 0o011)
        folder = folder.parent
    return pwd.getpwnam(OTHER_USER)


@pytest.fixture
def shared_dir(tmp_path):
    """A working directory every user may write to, as a group project folder would be."""
    os.chmod(tmp_path, 0o1777)
    folder = tmp_path.parent
    while folder != folder.parent and str(folder) != "/tmp":
        os.chmod(folder, os.stat(folder).st_mode | 0o011)
        folder = folder.parent
    return tmp_path


def as_user(cluster, user, *argv, cwd):
    """Runs a command as `user` (via runuser) with the cluster's SLURM_CONF and PATH."""
    env = ["env", f"PATH={cluster.env['PATH']}", f"SLURM_CONF={cluster.env['SLURM_CONF']}"]
    return subprocess.run(["runuser", "-u", user.pw_name, "--", *env, *argv], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def submit(cluster, *args, cwd):
    r = cluster.run("sbatch", "--parsable", *args, cwd=cwd)
    assert r.returncode == 0, r.stderr
    assert re.fullmatch(r"\d+\n", r.stdout), r.stdout
    return r.stdout.strip()


def job_field(cluster, job_id, field):
    r = cluster.run("scontrol", "show", "job", job_id)
    assert r.returncode == 0, r.stderr
    match = re.search(rf"\b{field}=(\S*)", r.stdout)
    assert match, r.stdout
    return match.group(1)


def wait_state(cluster, job_id, state, timeout=60):
    wait_until(lambda: job_field(cluster, job_id, "JobState") == state, timeout,
               f"job {job_id} to be {state}")


def test_another_user_cannot_cancel_but_root_can(local_cluster, other_user, shared_dir):
    job = submit(local_cluster, "--wrap=sleep 300", cwd=shared_dir)
    wait_state(local_cluster, job, "RUNNING")
    r = as_user(local_cluster, other_user, "scancel", job, cwd=shared_dir)
    assert r.returncode == 1
    assert r.stderr == f"scancel: error: Kill job error on job id {job}: " \
                       "Access/permission denied\n"
    r = as_user(local_cluster, other_user, "scontrol", "update", f"JobId={job}",
                "TimeLimit=5", cwd=shared_dir)
    assert r.returncode != 0
    assert job_field(local_cluster, job, "JobState") == "RUNNING"
    r = local_cluster.run("scancel", job)
    assert r.returncode == 0, r.stderr
    wait_state(local_cluster, job, "CANCELLED")
    assert job_field(local_cluster, job, "ExitCode") == "0:15"


def test_job_runs_as_its_user_and_output_belongs_to_them(local_cluster, other_user,
                                                          shared_dir):
    r = as_user(local_cluster, other_user, "sbatch", "-J", "whoami", "-o", "%x-%j.out",
                "--wrap=id -un; pwd; echo $SLURM_JOB_NAME $SLURM_JOB_ID", cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    job = re.fullmatch(r"Submitted batch job (\d+)\n", r.stdout).group(1)
    local_cluster.wait_job_gone(job)
    out = shared_dir / f"whoami-{job}.out"
    assert out.read_text().split("\n")[:3] == [OTHER_USER, str(shared_dir), f"whoami {job}"]
    assert out.stat().st_uid == other_user.pw_uid
    assert job_field(local_cluster, job, "JobState") == "COMPLETED"
    assert job_field(local_cluster, job, "UserId") == f"{OTHER_USER}({other_user.pw_uid})"


def test_time_limit_ends_the_job_as_timeout(local_cluster, shared_dir):
    job = submit(local_cluster, "--time=0:02", "--wrap=sleep 300", cwd=shared_dir)
    wait_state(local_cluster, job, "TIMEOUT", timeout=60)
    r = local_cluster.run("squeue", "-h", "-t", "all", "-j", job, "-o", "%t")
    assert r.stdout.strip() == "TO"


def test_exit_code_is_recorded(local_cluster, shared_dir):
    job = submit(local_cluster, "--wrap=exit 3", cwd=shared_dir)
    local_cluster.wait_job_gone(job)
    assert job_field(local_cluster, job, "JobState") == "FAILED"
    assert job_field(local_cluster, job, "ExitCode") == "3:0"


def test_held_job_waits_until_released(local_cluster, shared_dir):
    job = submit(local_cluster, "-H", "--wrap=true", cwd=shared_dir)
    r = local_cluster.run("squeue", "-h", "-j", job, "-o", "%T %r")
    assert r.stdout.split() == ["PENDING", "JobHeldUser"]
    assert local_cluster.run("scontrol", "release", job).returncode == 0
    local_cluster.wait_job_gone(job)
    assert job_field(local_cluster, job, "JobState") == "COMPLETED"


def test_drained_node_takes_no_new_job(local_cluster, shared_dir):
    r = local_cluster.run("scontrol", "update", "NodeName=node4", "State=DRAIN",
                          "Reason=maintenance")
    assert r.returncode == 0, r.stderr
    try:
        assert local_cluster.node_states()["node4"] in ("drain", "drng")
        r = local_cluster.run("sinfo", "-R", "-h", "-o", "%E %N")
        assert "maintenance node4" in r.stdout
        job = submit(local_cluster, "-w", "node4", "--wrap=true", cwd=shared_dir)
        r = local_cluster.run("squeue", "-h", "-j", job, "-o", "%T %r")
        assert r.stdout.split() == ["PENDING", "ReqNodeNotAvail"], r.stdout
        local_cluster.run("scancel", job)
    finally:
        r = local_cluster.run("scontrol", "update", "NodeName=node4", "State=RESUME")
    assert r.returncode == 0, r.stderr
    assert local_cluster.node_states()["node4"] == "idle"


def test_submission_errors_read_like_slurm(local_cluster, shared_dir):
    r = local_cluster.run("sbatch", "-p", "nosuchpart", "--wrap=true", cwd=shared_dir)
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr == ("sbatch: error: invalid partition specified: nosuchpart\n"
                        "sbatch: error: Batch job submission failed: "
                        "Invalid partition name specified\n")
    r = local_cluster.run("scontrol", "show", "job", "99999999")
    assert r.returncode == 1
    assert r.stderr == "slurm_load_jobs error: Invalid job id specified\n"
