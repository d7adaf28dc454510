"""A local Drover cluster for end-to-end tests, started the way a user starts one.

    from cluster import local_cluster  # the fixture

    def test_something(local_cluster):
        r = local_cluster.run("sinfo")

The fixture runs `drover up --dir <tmp> --nodes 4` with the build's bin/ on PATH, takes
SLURM_CONF and PATH from `eval "$(drover env --dir <tmp>)"` in a shell, and yields a
LocalCluster. Teardown always runs `drover down`, even when `drover up` or a test failed;
as a last resort it kills, by PID, whatever the run directory's pid files still name.
"""
import contextlib
import dataclasses
import os
import pathlib
import pwd
import re
import signal
import subprocess
import time

import pytest

NODES = 4
DAEMON_PROGRAMS = {"munged", "droverctld", "droverd", "drover-stepd"}


def process_alive(pid):
    """True while `pid` runs (a zombie has ended)."""
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX"


def program_of(pid):
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe")).removesuffix(" (deleted)")
    except OSError:
        return ""


def wait_until(predicate, timeout, what, interval=0.2):
    """Polls predicate() until it is true; fails the test naming `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


@dataclasses.dataclass
class LocalCluster:
    dir: pathlib.Path
    bin: pathlib.Path
    env: dict  # the whole environment commands run with: SLURM_CONF and PATH set

    def run(self, *argv, cwd=None, timeout=60, env=None, input=None):
        """Runs a command with the cluster's environment; stdin is `input` (or empty)."""
        full_env = dict(self.env)
        full_env.update(env or {})
        return subprocess.run(
            list(argv),
            env=full_env,
            cwd=cwd or self.dir,
            capture_output=True,
            text=True,
            timeout=timeout,
            input=input,
            stdin=subprocess.DEVNULL if input is None else None,
        )

    def drover(self, *argv, timeout=180):
        """`drover <argv> --dir <run dir>`."""
        return self.run("drover", *argv, "--dir", str(self.dir), timeout=timeout)

    def pids(self):
        """Daemon name ("droverd-node2") -> pid, from the run directory's pid files."""
        pids = {}
        for pid_file in sorted((self.dir / "run").glob("*.pid")):
            try:
                pids[pid_file.stem] = int(pid_file.read_text().split()[0])
            except (OSError, ValueError, IndexError):
                pass
        return pids

    def node_states(self):
        """Node name -> compact state from `sinfo -h -N -o "%N %t"`."""
        r = self.run("sinfo", "-h", "-N", "-o", "%N %t")
        assert r.returncode == 0, r.stderr
        return dict(line.split() for line in r.stdout.splitlines() if line.strip())

    def wait_job_gone(self, job_id, timeout=90):
        """Waits until `squeue -h -j ID` no longer lists the job as pending or running."""

        def gone():
            r = self.run("squeue", "-h", "-j", str(job_id), "-o", "%T")
            if r.returncode != 0:  # purged: "Invalid job id specified"
                return True
            states = r.stdout.split()
            return not states or all(s not in ("PENDING", "RUNNING", "COMPLETING",
                                               "CONFIGURING", "SUSPENDED") for s in states)

        wait_until(gone, timeout, f"job {job_id} to leave squeue")

    def logs(self, lines=30):
        """The last lines of every log, for failure messages."""
        text = []
        for log in sorted((self.dir / "log").glob("*")):
            try:
                tail = log.read_text(errors="replace").splitlines()[-lines:]
            except OSError:
                continue
            text.append(f"---- {log}\n" + "\n".join(tail))
        return "\n".join(text)


def _kill_leftovers(run_dir):
    """Last resort after `drover down`: SIGKILL, by PID, daemons the pid files still name."""
    for pid_file in (run_dir / "run").glob("*.pid"):
        try:
            pid = int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
        if pid > 1 and process_alive(pid) and program_of(pid) in DAEMON_PROGRAMS:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _user_env(bin_dir):
    env = dict(os.environ)
    env["PATH"] = f"{bin_dir}:{env.get('PATH', '')}"
    for name in ("SLURM_CONF", "SLURM_JOB_NODELIST", "DROVER_HOME"):
        env.pop(name, None)
    return env


@contextlib.contextmanager
def started_local_cluster(bin_dir, run_dir, nodes=NODES):
    """Starts a local cluster in `run_dir`; always stops it on the way out."""
    run_dir = pathlib.Path(run_dir)
    base_env = _user_env(bin_dir)
    cluster = LocalCluster(dir=run_dir, bin=pathlib.Path(bin_dir), env=base_env)
    try:
        up = cluster.run("drover", "up", "--dir", str(run_dir), "--nodes", str(nodes),
                         timeout=300)
        if up.returncode != 0:
            pytest.fail(f"drover up failed ({up.returncode}):\n{up.stdout}\n{up.stderr}\n"
                        f"{cluster.logs()}")
        shell = subprocess.run(
            ["bash", "-c", 'eval "$(drover env --dir "$1")" && printf "%s\\0%s" '
             '"$SLURM_CONF" "$PATH"', "bash", str(run_dir)],
            env=base_env, capture_output=True, text=True, timeout=30)
        assert shell.returncode == 0, shell.stderr
        slurm_conf, path = shell.stdout.split("\0")
        cluster.env = dict(base_env, SLURM_CONF=slurm_conf, PATH=path)
        yield cluster
    finally:
        try:
            down = cluster.run("drover", "down", "--dir", str(run_dir), timeout=120)
            if down.returncode != 0:
                print(f"drover down failed ({down.returncode}):\n{down.stdout}\n{down.stderr}")
        finally:
            _kill_leftovers(run_dir)


@pytest.fixture(scope="module")
def local_cluster(bin_dir, tmp_path_factory):
    """A 4-node local cluster shared by one test module; stopped after its last test."""
    with started_local_cluster(bin_dir, tmp_path_factory.mktemp("cluster")) as cluster:
        yield cluster


# Helpers shared by the option, query and scancel tests: a second user, a folder every
# user may write to, and the commands those tests repeat.

OTHER_USER = "drovere2e"


@pytest.fixture(scope="module")
def other_user(local_cluster):
    """A second, ordinary user (created with useradd when absent) who can reach the
    cluster: the folders above the run directory are opened for traversal."""
    try:
        pwd.getpwnam(OTHER_USER)
    except KeyError:
        subprocess.run(["useradd", "--create-home", OTHER_USER], check=True)
    open_for_traversal(local_cluster.dir)
    return pwd.getpwnam(OTHER_USER)


def open_for_traversal(folder):
    """Lets every user pass through `folder` and the folders above it (up to /tmp)."""
    folder = pathlib.Path(folder)
    while folder != folder.parent and str(folder) != "/tmp":
        os.chmod(folder, os.stat(folder).st_mode | 0o011)
        folder = folder.parent


@pytest.fixture
def shared_dir(tmp_path):
    """A working directory every user may write to, as a group project folder would be."""
    os.chmod(tmp_path, 0o1777)
    open_for_traversal(tmp_path.parent)
    return tmp_path


def run_as(cluster, user, *argv, cwd, env=None):
    """Runs a command as `user` (via runuser) with the cluster's SLURM_CONF and PATH."""
    pairs = [f"PATH={cluster.env['PATH']}", f"SLURM_CONF={cluster.env['SLURM_CONF']}"]
    pairs += [f"{k}={v}" for k, v in (env or {}).items()]
    return subprocess.run(["runuser", "-u", user.pw_name, "--", "env", *pairs, *argv],
                          cwd=cwd, capture_output=True, text=True, timeout=60)


def sbatch_id(cluster, *args, cwd, env=None):
    """`sbatch --parsable ARGS`; the new job's id (asserting the submission worked)."""
    r = cluster.run("sbatch", "--parsable", *args, cwd=cwd, env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().isdigit() and r.stdout.endswith("\n"), r.stdout
    return r.stdout.strip()


def show_job(cluster, job_id):
    """`scontrol show job ID` as a dict of its Key=Value fields (values may hold spaces)."""
    r = cluster.run("scontrol", "show", "job", str(job_id))
    assert r.returncode == 0, r.stderr
    fields = {}
    for line in r.stdout.splitlines():
        keys = list(re.finditer(r"(?:^|\s)([A-Za-z][A-Za-z_/:]*)=", line))
        for i, key in enumerate(keys):
            end = keys[i + 1].start() if i + 1 < len(keys) else len(line)
            fields[key.group(1)] = line[key.end():end].strip()
    return fields


def wait_job_state(cluster, job_id, state, timeout=60):
    wait_until(lambda: show_job(cluster, job_id)["JobState"] == state, timeout,
               f"job {job_id} to be {state}")


def wait_job_done(cluster, job_id, timeout=60):
    """Waits until the job has ended; returns its final JobState."""
    active = ("PENDING", "RUNNING", "COMPLETING", "CONFIGURING", "SUSPENDED", "REQUEUED")
    return wait_until(lambda: (lambda s: s if s not in active else None)(
        show_job(cluster, job_id)["JobState"]), timeout, f"job {job_id} to end")


def cancel_all(cluster):
    """Cancels every job still queued, so the next test finds the nodes free."""
    r = cluster.run("squeue", "-h", "-o", "%F")  # an array's tasks go with its array id
    ids = sorted(set(r.stdout.split()))
    if ids:
        cluster.run("scancel", *ids)
        for job_id in ids:
            cluster.wait_job_gone(job_id)
