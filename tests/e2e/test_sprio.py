"""sprio on a running local cluster under priority/multifactor, and what backfill shows
through scontrol and squeue: the factors of pending jobs (weighted, normalized, the
weights), the filters, Scheduler=Backfill and squeue --start's planned start time."""
import re

import pytest

from cluster import cancel_all, local_cluster, sbatch_id, show_job, wait_until  # noqa: F401

MULTIFACTOR = """PriorityType=priority/multifactor
PriorityWeightAge=1000
PriorityWeightJobSize=1000
PriorityWeightPartition=1000
PriorityWeightTRES=CPU=2000
SchedulerParameters=bf_interval=1"""

HEADER = ("          JOBID PARTITION   PRIORITY       SITE        AGE    JOBSIZE  PARTITION "
          "TRES                \n")


def sprio(cluster, *args):
    r = cluster.run("sprio", *args)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_sprio_needs_multifactor(local_cluster):
    r = local_cluster.run("sprio")
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr == ("You are not running a supported priority plugin\n(priority/basic).\n"
                        "Only 'priority/multifactor' is supported.\n")


@pytest.fixture(scope="module")
def multifactor(local_cluster):
    """The cluster's slurm.conf switched to priority/multifactor (and backfill every second)
    for the rest of the module; the original is back afterwards."""
    conf = local_cluster.env["SLURM_CONF"]
    with open(conf) as f:
        original = f.read()
    assert "PriorityType=priority/basic" in original
    try:
        with open(conf, "w") as f:
            f.write(original.replace("PriorityType=priority/basic", MULTIFACTOR))
        r = local_cluster.run("scontrol", "reconfigure")
        assert r.returncode == 0, r.stderr
        yield local_cluster
    finally:
        cancel_all(local_cluster)
        with open(conf, "w") as f:
            f.write(original)
        local_cluster.run("scontrol", "reconfigure")


@pytest.fixture(scope="module")
def queue(multifactor, tmp_path_factory):
    """Three of the four nodes full for 5 minutes and a job for every CPU of all four
    waiting for them (backfill plans its start)."""
    cwd = tmp_path_factory.mktemp("sprio")
    c = multifactor
    with open(c.env["SLURM_CONF"]) as f:
        cpus = int(re.search(r"^NodeName=DEFAULT CPUs=(\d+)", f.read(), re.M).group(1))
    blocker = sbatch_id(c, "-N3", f"--ntasks-per-node={cpus}", "-t", "5", "-o", "/dev/null",
                        "--wrap=sleep 300", cwd=cwd)
    wait_until(lambda: show_job(c, blocker)["JobState"] == "RUNNING", 60, "blocker to run")
    big = sbatch_id(c, "-N4", f"-n{4 * cpus}", "-t", "10", "-o", "/dev/null", "--wrap=true",
                    cwd=cwd)
    return {"cwd": cwd, "blocker": blocker, "big": big}


def test_default_columns_follow_the_weights(multifactor, queue):
    out = sprio(multifactor)
    lines = out.splitlines(keepends=True)
    assert lines[0] == HEADER
    rows = {line.split()[0]: line for line in lines[1:]}
    assert queue["blocker"] not in rows  # running jobs have no row
    row = rows[queue["big"]]
    # Every CPU of the cluster: job size 1 (1000), TRES cpu 1 (2000), the only
    # partition factor (1000); the age is a few seconds of PriorityMaxAge's 7 days (0).
    assert row == (f"{queue['big']:>15} debug           4000          0          0       1000"
                   "       1000 cpu=2000            \n")
    # The same number squeue shows.
    r = multifactor.run("squeue", "-h", "-j", queue["big"], "-o", "%Q")
    assert r.stdout.strip() == "4000"


def test_normalized_weights_long_and_format(multifactor, queue):
    big = queue["big"]
    out = sprio(multifactor, "-n", "-j", big)
    assert out.splitlines()[0] == HEADER.rstrip("\n")
    fields = out.splitlines()[1].split()
    assert fields[:4] == [big, "debug", "0.00000093", "0"]
    assert re.fullmatch(r"0\.\d{7}", fields[4]) and float(fields[4]) < 0.001  # age: seconds
    assert fields[5:] == ["1.0000000", "1.0000000", "cpu=1.00"]
    assert sprio(multifactor, "-w") == HEADER + (
        "        Weights                               1       1000       1000       1000 "
        "cpu=2000            \n")
    long = sprio(multifactor, "-l", f"-j{big}").splitlines()
    assert long[0].split() == ["JOBID", "PARTITION", "USER", "PRIORITY", "SITE", "AGE", "JOBSIZE",
                               "PARTITION", "NICE", "TRES"]
    assert long[1].split() == [big, "debug", "root", "4000", "0", "0", "1000", "1000", "0",
                               "cpu=2000"]
    assert sprio(multifactor, "-h", "-o", "%i|%Y|%u|%J", "-j", big) == f"{big}|4000|root|1000\n"


def test_filters(multifactor, queue):
    big = queue["big"]
    assert sprio(multifactor, "-h", "-o", "%i", "-u", "root") == f"{big}\n"
    assert sprio(multifactor, "-h", "-o", "%i", "-p", "debug") == f"{big}\n"
    assert sprio(multifactor, "-p", "short") == HEADER
    assert sprio(multifactor, "-j", "999999") == \
        "Unable to find jobs matching user/id(s) specified\n"
    r = multifactor.run("sprio", "--bogus")
    assert r.returncode == 1
    assert r.stderr.startswith("sprio: unrecognized option '--bogus'\n")


def test_backfill_shows_in_scontrol_and_squeue_start(multifactor, queue):
    c = multifactor
    big = queue["big"]
    # The 4-node job gets a planned start when the blocker's time limit ends.
    def planned():
        r = c.run("squeue", "--start", "-h", "-j", big, "-o", "%S")
        return re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\n", r.stdout) and r.stdout
    wait_until(planned, 60, f"job {big} to get a planned start")
    assert show_job(c, big)["JobState"] == "PENDING"
    # A short 1-node job fits on the idle node before then: backfill starts it.
    small = sbatch_id(c, "-N1", "-t", "1", "-o", "/dev/null", "--wrap=sleep 60",
                      cwd=queue["cwd"])
    wait_until(lambda: show_job(c, small)["JobState"] == "RUNNING", 60, f"job {small} to run")
    job = show_job(c, small)
    assert job["Scheduler"] == "Backfill"
    assert show_job(c, queue["blocker"])["Scheduler"] == "Main"
    assert "Priority" in show_job(c, big)
