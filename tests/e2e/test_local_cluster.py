"""`drover up`, `env`, `status` and `down`: the local cluster as a user runs it.

The tests share one 4-node cluster (cluster.py) and run in order; the last one stops it.
"""
import os
import re
import signal
import subprocess

from cluster import local_cluster, process_alive, wait_until  # noqa: F401 (fixture)

NODES = [f"node{i}" for i in range(1, 5)]


def test_up_leaves_every_node_idle(local_cluster):
    assert local_cluster.node_states() == {n: "idle" for n in NODES}
    status = local_cluster.drover("status")
    assert status.returncode == 0, status.stdout + status.stderr
    assert "is up" in status.stdout
    daemons = [line.split() for line in status.stdout.splitlines()[2:8]]
    assert [d[-1] for d in daemons] == ["up"] * 6, status.stdout
    assert set(local_cluster.pids()) == {"munged", "droverctld"} | {
        f"droverd-{n}" for n in NODES
    }


def test_env_points_at_the_cluster(local_cluster):
    env = local_cluster.drover("env")
    assert env.returncode == 0, env.stderr
    assert f"export SLURM_CONF={local_cluster.dir}/slurm.conf\n" in env.stdout
    assert f"export PATH={local_cluster.bin}:" in env.stdout


def test_batch_job_runs_and_writes_its_output(local_cluster, tmp_path):
    submit = local_cluster.run("sbatch", "--wrap=echo hello", cwd=tmp_path)
    assert submit.returncode == 0, submit.stderr
    match = re.fullmatch(r"Submitted batch job (\d+)\n", submit.stdout)
    assert match, submit.stdout
    job_id = match.group(1)
    local_cluster.wait_job_gone(job_id)
    out = tmp_path / f"slurm-{job_id}.out"
    wait_until(lambda: out.exists() and out.read_text() == "hello\n", 10,
               f"{out} to hold 'hello' (logs:\n{local_cluster.logs()})")


def test_commands_load_no_grpc(local_cluster):
    """The commands speak the wire protocol themselves (src/wire): loading gRPC or
    OpenSSL would put their start-up cost back on every sbatch and squeue."""
    ldd = subprocess.run(["ldd", str(local_cluster.bin / "drover")], capture_output=True,
                         text=True, check=True)
    loaded = ldd.stdout
    for library in ("libgrpc", "libprotobuf.so", "libssl", "libcrypto", "libabsl"):
        assert library not in loaded, loaded


def test_up_again_restarts_only_the_killed_node_daemon(local_cluster):
    before = local_cluster.pids()
    victim = before["droverd-node2"]
    os.kill(victim, signal.SIGKILL)
    wait_until(lambda: not process_alive(victim), 10, f"droverd node2 (pid {victim}) to die")
    assert local_cluster.drover("status").returncode == 3

    up = local_cluster.drover("up")
    assert up.returncode == 0, up.stdout + up.stderr
    after = local_cluster.pids()
    assert after["droverd-node2"] != victim
    assert process_alive(after["droverd-node2"])
    assert {k: v for k, v in after.items() if k != "droverd-node2"} == {
        k: v for k, v in before.items() if k != "droverd-node2"
    }
    assert all(process_alive(pid) for pid in after.values())
    assert re.search(r"droverd node2\s+started", up.stdout), up.stdout
    assert len(re.findall(r"running \(pid", up.stdout)) == 5, up.stdout


def processes_of(run_dir):
    """Live pids whose command line or environment (SLURM_CONF) names `run_dir`."""
    marker = str(run_dir).encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        for part in ("cmdline", "environ"):
            try:
                with open(f"/proc/{entry}/{part}", "rb") as f:
                    if marker in f.read() and process_alive(int(entry)):
                        found.append(int(entry))
                        break
            except OSError:
                pass
    return found


def test_down_stops_everything_it_started(local_cluster, tmp_path):
    # A job still running when the cluster goes down: its step and task go too.
    submit = local_cluster.run("sbatch", "--wrap=sleep 300", cwd=tmp_path)
    assert submit.returncode == 0, submit.stderr
    job_id = submit.stdout.split()[-1]
    wait_until(lambda: local_cluster.run("squeue", "-h", "-j", job_id, "-o", "%T").stdout.strip()
               == "RUNNING", 60, f"job {job_id} to run")
    assert processes_of(local_cluster.dir)

    pids = local_cluster.pids()
    down = local_cluster.drover("down")
    assert down.returncode == 0, down.stdout + down.stderr
    assert [pid for pid in pids.values() if process_alive(pid)] == []
    assert processes_of(local_cluster.dir) == []
    status = local_cluster.drover("status")
    assert status.returncode == 3
    assert "is down" in status.stdout
    assert not (local_cluster.dir / "munge" / "munge.sock").exists()
