"""The end of a job on a running local cluster, as users see it: COMPLETING (CG) while its
node cleans up, the banner Slurm writes when the controller ends a job for its time
limit, and finished jobs leaving the controller MinJobAge seconds after they end."""
import re

from cluster import local_cluster, wait_until  # noqa: F401 (fixture)

BANNER = re.compile(r"slurmstepd: error: \*\*\* JOB (\d+) ON (\S+) CANCELLED AT "
                    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d DUE TO TIME LIMIT \*\*\*\n")


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


def node_field(cluster, node, field):
    r = cluster.run("scontrol", "show", "node", node)
    assert r.returncode == 0, r.stderr
    match = re.search(rf"\b{field}=(\S*)", r.stdout)
    assert match, r.stdout
    return match.group(1)


def short_state(cluster, job_id):
    r = cluster.run("squeue", "-h", "-t", "all", "-j", job_id, "-o", "%t")
    return r.stdout.strip()


def test_cancelled_job_is_completing_until_its_processes_are_gone(local_cluster, tmp_path):
    ready = tmp_path / "ready"
    # The script and its sleep ignore SIGTERM: the node must wait KillWait (5 s in the
    # local cluster) and SIGKILL them, and the job stays CG meanwhile.
    job = submit(local_cluster, "-w", "node2", "-o", "/dev/null",
                 f"--wrap=trap '' TERM; touch {ready}; sleep 300", cwd=tmp_path)
    wait_until(lambda: short_state(local_cluster, job) == "R" and ready.exists(), 60,
               f"job {job} to start")
    r = local_cluster.run("scancel", job)
    assert r.returncode == 0, r.stderr

    assert short_state(local_cluster, job) == "CG"
    r = local_cluster.run("squeue", "-h", "-j", job, "-o", "%T %N")
    assert r.stdout.split() == ["COMPLETING", "node2"], r.stdout
    assert job_field(local_cluster, job, "JobState") == "COMPLETING"
    assert local_cluster.node_states()["node2"] == "comp"
    assert node_field(local_cluster, "node2", "State") == "IDLE+COMPLETING"
    # The node's CPUs are not handed out while it cleans up.
    assert node_field(local_cluster, "node2", "CPUAlloc") != "0"
    # Cancelling again changes nothing (scancel, like Slurm's, says nothing about it).
    local_cluster.run("scancel", job)
    assert short_state(local_cluster, job) == "CG"

    wait_until(lambda: short_state(local_cluster, job) == "CA", 30, f"job {job} to finish")
    assert job_field(local_cluster, job, "JobState") == "CANCELLED"
    assert job_field(local_cluster, job, "ExitCode") == "0:15"
    assert local_cluster.node_states()["node2"] == "idle"
    assert node_field(local_cluster, "node2", "CPUAlloc") == "0"


def test_a_finished_job_leaves_its_node_idle(local_cluster, tmp_path):
    job = submit(local_cluster, "-w", "node3", "--wrap=echo done", cwd=tmp_path)
    wait_until(lambda: short_state(local_cluster, job) == "CD", 60, f"job {job} to complete")
    assert local_cluster.node_states()["node3"] == "idle"
    assert (tmp_path / f"slurm-{job}.out").read_text() == "done\n"


def test_controller_time_limit_writes_slurms_banner(local_cluster, tmp_path):
    started = tmp_path / "started"
    job = submit(local_cluster, "-w", "node1", "--time=10", "-o", "out.txt",
                 f"--wrap=touch {started}; echo running; sleep 300", cwd=tmp_path)
    wait_until(lambda: short_state(local_cluster, job) == "R" and started.exists(), 60,
               f"job {job} to start")
    # The node enforces the limit it was launched with (10 minutes); shortening it makes
    # the controller end the job, and the node must still say why.
    r = local_cluster.run("scontrol", "update", f"JobId={job}", "TimeLimit=0:01")
    assert r.returncode == 0, r.stderr
    wait_until(lambda: short_state(local_cluster, job) == "TO", 60, f"job {job} to time out")
    assert job_field(local_cluster, job, "Reason") == "TimeLimit"
    text = (tmp_path / "out.txt").read_text()
    assert text.startswith("running\n"), text
    match = BANNER.search(text)
    assert match, text
    assert match.groups() == (job, "node1")


def test_finished_jobs_are_purged_after_min_job_age(local_cluster, tmp_path):
    conf = local_cluster.env["SLURM_CONF"]
    with open(conf) as f:
        original = f.read()
    assert "MinJobAge=300" in original
    try:
        with open(conf, "w") as f:
            f.write(original.replace("MinJobAge=300", "MinJobAge=2"))
        r = local_cluster.run("scontrol", "reconfigure")
        assert r.returncode == 0, r.stderr
        r = local_cluster.run("scontrol", "show", "config")
        assert re.search(r"^MinJobAge\s+= 2 sec$", r.stdout, re.M), r.stdout

        job = submit(local_cluster, "-o", "/dev/null", "--wrap=true", cwd=tmp_path)
        wait_until(lambda: short_state(local_cluster, job) == "CD", 60, f"job {job} to end")

        def purged():
            r = local_cluster.run("scontrol", "show", "job", job)
            return r.returncode == 1 and \
                r.stderr == "slurm_load_jobs error: Invalid job id specified\n"

        wait_until(purged, 30, f"job {job} to be purged")
        r = local_cluster.run("squeue", "-h", "-t", "all", "-o", "%i")
        assert job not in r.stdout.split()
        # Its id is never handed out again.
        assert int(submit(local_cluster, "-H", "--wrap=true", cwd=tmp_path)) > int(job)
    finally:
        with open(conf, "w") as f:
            f.write(original)
        local_cluster.run("scontrol", "reconfigure")
        local_cluster.run("scancel", "-u", "root")


def test_ping_reports_each_controller(local_cluster, tmp_path):
    """scontrol ping with a backup in SlurmctldHost: one line per controller, in
    slurm.conf's order; the backup here (127.0.0.2, where nothing listens) is DOWN."""
    with open(local_cluster.env["SLURM_CONF"]) as f:
        conf = f.read()
    primary = re.search(r"^SlurmctldHost=(\S+)$", conf, re.M)
    assert primary, conf
    with_backup = tmp_path / "backup.conf"
    with_backup.write_text(conf.replace(primary.group(0),
                                        primary.group(0) + "\nSlurmctldHost=ghost(127.0.0.2)"))
    r = local_cluster.run("scontrol", "ping", env={"SLURM_CONF": str(with_backup)})
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("Slurmctld(primary) at localhost is UP\n"
                        "Slurmctld(backup) at ghost is DOWN\n")
    # The primary down, the backup answering: the line names the host that answered.
    ghost_first = tmp_path / "ghost_first.conf"
    ghost_first.write_text(conf.replace(primary.group(0),
                                        "SlurmctldHost=ghost(127.0.0.2)\n" + primary.group(0)))
    r = local_cluster.run("scontrol", "ping", env={"SLURM_CONF": str(ghost_first)})
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("Slurmctld(primary) at ghost is DOWN\n"
                        "Slurmctld(backup) at localhost is UP\n")
    # Only the configured controller: as before.
    r = local_cluster.run("scontrol", "ping")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "Slurmctld(primary) at localhost is UP\n"
