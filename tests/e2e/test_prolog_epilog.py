"""Prolog, Epilog, TaskProlog and TaskEpilog from slurm.conf on a local cluster of its own:
the node scripts run once per node per job with Slurm's environment (they write files the
tests read), a job stays COMPLETING (CG) while a slow epilog runs and its node is idle only
after, a failing prolog drains its node with "Prolog error" and requeues the job held, and
TaskProlog's `export` reaches the task, for sbatch and for srun.
"""
import os
import pathlib
import re
import signal
import time

import pytest

from cluster import (process_alive, program_of, show_job, started_local_cluster,
                     wait_job_done, wait_job_state, wait_until)

NODES = 2

PROLOG = """#!/bin/sh
out={dir}/out
echo "$SLURMD_NODENAME" >> "$out/prolog.$SLURM_JOB_ID.count"
/usr/bin/env > "$out/prolog.$SLURM_JOB_ID.$SLURMD_NODENAME.env"
[ -e "{dir}/fail_prolog.$SLURMD_NODENAME" ] && exit 7
exit 0
"""

EPILOG = """#!/bin/sh
out={dir}/out
echo "$SLURMD_NODENAME" >> "$out/epilog.$SLURM_JOB_ID.count"
/usr/bin/env > "$out/epilog.$SLURM_JOB_ID.$SLURMD_NODENAME.env"
[ -e "{dir}/slow_epilog" ] && /bin/sleep 6
[ -e "{dir}/fail_epilog.$SLURMD_NODENAME" ] && exit 3
exit 0
"""

TASK_PROLOG = """#!/bin/sh
echo "export TP_VAR=from-task-prolog-$SLURM_JOB_ID"
echo "unset TP_GONE"
echo "print task prolog was here"
"""

TASK_EPILOG = """#!/bin/sh
echo "$SLURM_JOB_ID ${{SLURM_STEP_ID:-batch}} ${{SLURM_PROCID}} $TP_VAR" >> {dir}/out/task_epilog.$SLURM_JOB_ID
"""


def write_script(path, text):
    path.write_text(text)
    path.chmod(0o755)


def droverd_pids(cluster):
    return {name: pid for name, pid in cluster.pids().items() if name.startswith("droverd")}


@pytest.fixture(scope="module")
def cluster(bin_dir, tmp_path_factory):
    """A 2-node local cluster whose slurm.conf names the node scripts (its node daemons
    restarted to read it)."""
    run_dir = tmp_path_factory.mktemp("prolog_cluster")
    os.chmod(run_dir, 0o755)
    with started_local_cluster(bin_dir, run_dir, nodes=NODES) as c:
        scripts = run_dir / "scripts"
        scripts.mkdir()
        (scripts / "out").mkdir()
        os.chmod(scripts / "out", 0o1777)
        for name, text in (("prolog.sh", PROLOG), ("epilog.sh", EPILOG),
                           ("task_prolog.sh", TASK_PROLOG), ("task_epilog.sh", TASK_EPILOG)):
            write_script(scripts / name, text.format(dir=scripts))
        conf = pathlib.Path(c.env["SLURM_CONF"])
        conf.write_text(conf.read_text() + (
            f"Prolog={scripts}/prolog.sh\nEpilog={scripts}/epilog.sh\n"
            f"TaskProlog={scripts}/task_prolog.sh\nTaskEpilog={scripts}/task_epilog.sh\n"
            "PrologEpilogTimeout=60\n"))
        # The node daemons read the scripts' names when they start: restart them.
        old = droverd_pids(c)
        assert len(old) == NODES, c.pids()
        for pid in old.values():
            os.kill(pid, signal.SIGTERM)
        wait_until(lambda: not any(process_alive(p) and program_of(p) == "droverd"
                                   for p in old.values()), 30, "droverd to stop")
        up = c.drover("up")
        assert up.returncode == 0, up.stderr + c.logs()
        wait_until(lambda: len(droverd_pids(c)) == NODES and
                   set(droverd_pids(c).values()).isdisjoint(old.values()), 30,
                   "droverd to restart")
        wait_until(lambda: all(s == "idle" for s in c.node_states().values()), 60,
                   "nodes to be idle")
        c.scripts = scripts
        yield c


@pytest.fixture(autouse=True)
def clean(cluster):
    yield
    for marker in cluster.scripts.glob("fail_*"):
        marker.unlink()
    (cluster.scripts / "slow_epilog").unlink(missing_ok=True)
    r = cluster.run("squeue", "-h", "-o", "%i")
    if r.stdout.split():
        cluster.run("scancel", *r.stdout.split())
    for node in ("node1", "node2"):
        cluster.run("scontrol", "update", f"NodeName={node}", "State=RESUME")


def read_env(path):
    env = {}
    for line in path.read_text().splitlines():
        name, eq, value = line.partition("=")
        if eq and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            env[name] = value
    return env


def out(cluster, name):
    return cluster.scripts / "out" / name


def wait_file(path, timeout=30):
    wait_until(path.exists, timeout, f"{path} to exist")
    return path


def test_prolog_and_epilog_run_once_per_node_with_slurms_environment(cluster, tmp_path):
    os.chmod(tmp_path, 0o777)
    (tmp_path / "job.sh").write_text(
        "#!/bin/sh\nsrun -N2 -n2 /bin/true\nsrun -N2 -n2 /bin/true\necho \"TP_VAR=$TP_VAR\"\n")
    r = cluster.run("sbatch", "--parsable", "-N2", "-J", "scripts", "-o", "job.out", "job.sh",
                    cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    job = r.stdout.strip()
    assert wait_job_done(cluster, job) == "COMPLETED", cluster.logs()
    wait_until(lambda: sorted(out(cluster, f"epilog.{job}.count").read_text().split())
               == ["node1", "node2"] if out(cluster, f"epilog.{job}.count").exists()
               else False, 30, "both epilogs")
    # Once per node, though the job ran a batch script and two steps on them.
    assert sorted(out(cluster, f"prolog.{job}.count").read_text().split()) == ["node1", "node2"]
    user = cluster.run("id", "-un").stdout.strip()
    for node in ("node1", "node2"):
        for kind, context in (("prolog", "prolog_slurmd"), ("epilog", "epilog_slurmd")):
            env = read_env(out(cluster, f"{kind}.{job}.{node}.env"))
            assert env["SLURM_SCRIPT_CONTEXT"] == context
            assert env["SLURM_JOB_ID"] == job and env["SLURM_JOBID"] == job
            assert env["SLURMD_NODENAME"] == node
            assert env["SLURM_JOB_USER"] == user
            assert env["SLURM_JOB_UID"] == str(os.getuid())
            assert env["SLURM_JOB_GID"] == str(os.getgid())
            assert env["SLURM_JOB_PARTITION"]
            assert env["SLURM_JOB_NODELIST"] == "node[1-2]"
            assert env["SLURM_CLUSTER_NAME"]
            assert env["SLURM_CONF"] == cluster.env["SLURM_CONF"]
            assert "SLURM_PROCID" not in env
    # The epilog ran after the job: its prolog's files are older.
    for node in ("node1", "node2"):
        assert out(cluster, f"prolog.{job}.{node}.env").stat().st_mtime <= \
            out(cluster, f"epilog.{job}.{node}.env").stat().st_mtime
    # TaskProlog before the batch script: its export and its print.
    text = (tmp_path / "job.out").read_text()
    assert text.startswith("task prolog was here\n"), text
    assert f"TP_VAR=from-task-prolog-{job}\n" in text
    # TaskEpilog after the batch script and after each srun task, with the task's variables.
    wait_file(out(cluster, f"task_epilog.{job}"))
    wait_until(lambda: len(out(cluster, f"task_epilog.{job}").read_text().splitlines()) == 5,
               20, "5 task epilogs")
    lines = out(cluster, f"task_epilog.{job}").read_text().splitlines()
    assert sorted(lines) == sorted([f"{job} {step} {rank} from-task-prolog-{job}"
                                    for step in (0, 1) for rank in (0, 1)] +
                                   [f"{job} batch 0 from-task-prolog-{job}"]), lines


def test_task_prolog_export_reaches_srun_tasks(cluster, tmp_path):
    r = cluster.run("srun", "-N2", "-n2", "-l", "/bin/sh", "-c",
                    'echo "TP_VAR=$TP_VAR TP_GONE=${TP_GONE-unset}"',
                    cwd=tmp_path, env={"TP_GONE": "set-by-user"})
    assert r.returncode == 0, r.stderr + cluster.logs()
    lines = r.stdout.splitlines()
    assert len(lines) == 4, r.stdout
    job = lines[-1].split("from-task-prolog-")[1].split()[0]
    # Each task prints the prolog's line first, then sees its export and not the unset name.
    for rank in ("0", "1"):
        mine = [line for line in lines if line.startswith(f"{rank}: ")]
        assert mine == [f"{rank}: task prolog was here",
                        f"{rank}: TP_VAR=from-task-prolog-{job} TP_GONE=unset"], lines
    wait_until(lambda: out(cluster, f"epilog.{job}.count").exists() and
               len(out(cluster, f"epilog.{job}.count").read_text().split()) == 2, 30,
               "the srun job's epilogs")
    assert sorted(out(cluster, f"prolog.{job}.count").read_text().split()) == ["node1", "node2"]


def test_job_is_completing_while_a_slow_epilog_runs(cluster, tmp_path):
    (cluster.scripts / "slow_epilog").touch()
    r = cluster.run("sbatch", "--parsable", "-w", "node1", "-o", "/dev/null", "--wrap=true",
                    cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    job = r.stdout.strip()
    wait_file(out(cluster, f"epilog.{job}.count"))
    started = time.monotonic()
    assert show_job(cluster, job)["JobState"] == "COMPLETING"
    st = cluster.run("squeue", "-h", "-j", job, "-o", "%t").stdout.strip()
    assert st == "CG", st
    assert cluster.node_states()["node1"] in ("comp", "mix", "alloc"), cluster.node_states()
    assert wait_job_done(cluster, job, timeout=30) == "COMPLETED"
    assert time.monotonic() - started > 3  # the epilog sleeps 6 s
    wait_until(lambda: cluster.node_states()["node1"] == "idle", 10, "node1 idle")


def test_failing_prolog_drains_the_node_and_requeues_the_job_held(cluster, tmp_path):
    (cluster.scripts / "fail_prolog.node2").touch()
    r = cluster.run("sbatch", "--parsable", "-w", "node2", "-o", "ran.out",
                    "--wrap=echo ran", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    job = r.stdout.strip()
    wait_until(lambda: cluster.node_states()["node2"].startswith("drain"), 30, "node2 drained")
    r = cluster.run("scontrol", "show", "node", "node2")
    assert "Reason=Prolog error" in r.stdout, r.stdout
    wait_job_state(cluster, job, "PENDING", timeout=30)
    fields = show_job(cluster, job)
    assert fields["Reason"] == "JobHeldAdmin", fields
    assert fields["Restarts"] == "1", fields
    assert not (tmp_path / "ran.out").exists()  # the script never ran
    # Released, it waits out Slurm's requeue delay (past its old credential's life).
    assert cluster.run("scontrol", "release", job).returncode == 0
    fields = show_job(cluster, job)
    assert (fields["JobState"], fields["Reason"]) == ("PENDING", "BeginTime"), fields


def test_failing_epilog_drains_the_node(cluster, tmp_path):
    (cluster.scripts / "fail_epilog.node1").touch()
    r = cluster.run("sbatch", "--parsable", "-w", "node1", "-o", "/dev/null", "--wrap=true",
                    cwd=tmp_path)
    job = r.stdout.strip()
    assert wait_job_done(cluster, job) == "COMPLETED"
    wait_until(lambda: cluster.node_states()["node1"].startswith("drain"), 30, "node1 drained")
    r = cluster.run("scontrol", "show", "node", "node1")
    assert "Reason=Epilog error" in r.stdout, r.stdout
