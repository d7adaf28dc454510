"""What survives `kill -9`: acknowledged submissions across a controller crash, and running
jobs across a node daemon crash."""
import concurrent.futures
import os
import re
import signal
import threading

from cluster import local_cluster, process_alive, wait_until  # noqa: F401 (fixture)

BURST = 2000


def test_controller_kill_9_during_a_burst_loses_no_acknowledged_job(local_cluster, tmp_path):
    acknowledged = []
    lock = threading.Lock()
    killed = threading.Event()
    ctld_pid = local_cluster.pids()["droverctld"]

    def submit(i):
        # Held, so the burst measures the controller, not the nodes.
        r = local_cluster.run("sbatch", "--parsable", "-H", f"-J burst{i}", "--wrap=true",
                              cwd=tmp_path)
        if r.returncode == 0:
            with lock:
                acknowledged.append(int(r.stdout.strip()))
                if len(acknowledged) == BURST // 4 and not killed.is_set():
                    os.kill(ctld_pid, signal.SIGKILL)
                    killed.set()
        return r.returncode

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(submit, range(BURST)))
    assert killed.is_set()
    wait_until(lambda: not process_alive(ctld_pid), 10, "droverctld to die")

    up = local_cluster.drover("up")
    assert up.returncode == 0, up.stdout + up.stderr
    before_restart = set(acknowledged)
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(submit, range(BURST, BURST + 50)))

    assert len(acknowledged) == len(set(acknowledged)), "an id was handed out twice"
    r = local_cluster.run("squeue", "-h", "-t", "all", "-o", "%i", timeout=120)
    assert r.returncode == 0, r.stderr
    queued = {int(x) for x in r.stdout.split()}
    missing = set(acknowledged) - queued
    assert not missing, f"{len(missing)} acknowledged jobs lost, e.g. {sorted(missing)[:5]}"
    assert min(set(acknowledged) - before_restart) > max(before_restart), \
        "ids after the restart must not go back"
    local_cluster.run("scancel", "-u", "root", timeout=120)


def test_node_daemon_kill_9_leaves_its_job_running(local_cluster, tmp_path):
    go = tmp_path / "go"
    started = tmp_path / "started"
    r = local_cluster.run("sbatch", "--parsable", "-w", "node3",
                          f"--wrap=touch {started}; while [ ! -e {go} ]; do sleep 0.1; done;"
                          " echo finished", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    job = r.stdout.strip()

    def state():
        out = local_cluster.run("squeue", "-h", "-t", "all", "-j", job, "-o", "%T").stdout
        return out.strip()

    # RUNNING in squeue is the controller's decision; the script itself has started once
    # it touched the file, and only then is the job the node daemon's to lose.
    wait_until(lambda: state() == "RUNNING" and started.exists(), 60, f"job {job} to start")
    droverd = local_cluster.pids()["droverd-node3"]
    os.kill(droverd, signal.SIGKILL)
    wait_until(lambda: not process_alive(droverd), 10, "droverd to die")
    assert state() == "RUNNING"

    up = local_cluster.drover("up")
    assert up.returncode == 0, up.stdout + up.stderr
    assert local_cluster.pids()["droverd-node3"] != droverd
    go.write_text("")
    wait_until(lambda: state() == "COMPLETED", 60, f"job {job} to complete")
    assert (tmp_path / f"slurm-{job}.out").read_text() == "finished\n"


def test_a_killed_supervisor_leaves_nothing_running(local_cluster, tmp_path):
    # kill -9 of drover-stepd: its job's processes stay behind; cancelling the job must
    # still end them (the node daemon kills what the dead supervisor's cgroups hold).
    pid_file = tmp_path / "pid"
    r = local_cluster.run("sbatch", "--parsable", "-w", "node2",
                          f"--wrap=sleep 300 & echo $! > {pid_file}; wait", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    job = r.stdout.strip()
    wait_until(lambda: pid_file.exists() and pid_file.read_text().strip(), 60,
               f"job {job} to start")
    sleeper = int(pid_file.read_text())
    stepd_pid_file = local_cluster.dir / "spool" / "node2" / f"job{int(job):05d}" / "stepd.pid"
    stepd = int(stepd_pid_file.read_text().split()[0])
    os.kill(stepd, signal.SIGKILL)
    wait_until(lambda: not process_alive(stepd), 10, "drover-stepd to die")
    assert process_alive(sleeper)

    r = local_cluster.run("scancel", job)
    assert r.returncode == 0, r.stderr
    wait_until(lambda: not process_alive(sleeper), 30, "the job's processes to end")
    wait_until(lambda: local_cluster.run("squeue", "-h", "-j", job).stdout == "", 30,
               f"job {job} to leave the queue")
