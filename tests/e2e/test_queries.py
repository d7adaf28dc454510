"""squeue, sinfo and scontrol against a running local cluster with a known queue, checked
field for field against the formats captured from Slurm (tests/data/reference).

One module-wide queue: root's job running on node1, another user's job running on node2,
a held job, a job waiting for resources and a finished job. Tests that change jobs or
nodes use their own and put nodes back as they found them.
"""
import json
import re
import subprocess
import time
from datetime import datetime

import pytest

from cluster import (  # noqa: F401 (fixtures)
    local_cluster, other_user, run_as, sbatch_id, show_job, wait_job_done, wait_job_state,
    wait_until)
from conftest import REFERENCE

DEFAULT_HEADER = ("             JOBID PARTITION     NAME     USER ST       TIME  NODES "
                  "NODELIST(REASON)")
LONG_HEADER = ("             JOBID PARTITION     NAME     USER    STATE       TIME TIME_LIMI  "
               "NODES NODELIST(REASON)")
START_HEADER = ("             JOBID PARTITION     NAME     USER ST          START_TIME  NODES "
                "SCHEDNODES           NODELIST(REASON)")
DATE_LINE = r"[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}"
KEY = re.compile(r"(?:^|\s)([A-Za-z][A-Za-z_/:]*)=")


class Queue:
    """The jobs of the module's queue, by role."""

    def __init__(self, cluster, user, cwd):
        self.user = user
        self.done = sbatch_id(cluster, "-J", "done_job", "-o", "/dev/null", "--wrap=true",
                              cwd=cwd)
        wait_job_done(cluster, self.done)
        self.running = sbatch_id(cluster, "-J", "run_sleep", "-w", "node1", "-t", "30",
                                 "--mem-per-cpu=50", "-o", "/dev/null", "--wrap=sleep 600",
                                 cwd=cwd)
        r = run_as(cluster, user, "sbatch", "--parsable", "-J", "theirs", "-p", "short", "-w",
                   "node2", "-A", "their_acct", "-t", "30", "-o", "/dev/null",
                   "--wrap=sleep 600", cwd=cwd)
        assert r.returncode == 0, r.stderr
        self.theirs = r.stdout.strip()
        self.held = sbatch_id(cluster, "-J", "held_job", "-H", "--wrap=true", cwd=cwd)
        self.waiting = sbatch_id(cluster, "-J", "wants_resources", "-N", "4", "--exclusive",
                                 "-t", "30", "--wrap=true", cwd=cwd)
        wait_job_state(cluster, self.running, "RUNNING")
        wait_job_state(cluster, self.theirs, "RUNNING")
        wait_until(lambda: show_job(cluster, self.waiting)["Reason"] == "Resources", 30,
                   "the 4-node job to wait for resources")

    @property
    def active(self):
        return {self.running, self.theirs, self.held, self.waiting}


@pytest.fixture(scope="module")
def queue(local_cluster, other_user, tmp_path_factory):
    folder = tmp_path_factory.mktemp("queue")
    folder.chmod(0o1777)
    q = Queue(local_cluster, other_user, folder)
    yield q
    local_cluster.run("scancel", *q.active)


def ids(output):
    return [line.split()[0] for line in output.splitlines() if line.strip()]


def reference(name):
    """The output lines of a captured Slurm sample (without the command and exit lines)."""
    lines = (REFERENCE / name).read_text().splitlines()
    return [line for line in lines[1:] if not line.startswith("[exit=")]


def keys_of(text):
    return KEY.findall(text)


# ---- squeue --------------------------------------------------------------------------


def test_squeue_default_columns(local_cluster, queue):
    r = local_cluster.run("squeue")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == DEFAULT_HEADER == reference("squeue.txt")[0]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == queue.active  # the finished job is gone from the default view
    assert rows[queue.held] == f"{queue.held:>18} {'debug':>9} {'held_job':>8} {'root':>8} " \
                               f"PD {'0:00':>10} {1:>6} (JobHeldUser)"
    assert rows[queue.waiting] == f"{queue.waiting:>18} {'debug':>9} {'wants_re':>8} " \
                                  f"{'root':>8} PD {'0:00':>10} {4:>6} (Resources)"
    running = re.fullmatch(rf"{queue.running:>18} {'debug':>9} {'run_slee':>8} {'root':>8}  R "
                           r"( {0,9}\d+:\d\d)      1 node1", rows[queue.running])
    assert running, rows[queue.running]
    user = queue.user.pw_name[:8]
    assert re.fullmatch(rf"{queue.theirs:>18} {'short':>9} {'theirs':>8} {user:>8}  R "
                        r" {0,9}\d+:\d\d      1 node2", rows[queue.theirs]), rows[queue.theirs]


def test_squeue_filters(local_cluster, queue):
    def listed(*args):
        r = local_cluster.run("squeue", "-h", "-o", "%i", *args)
        assert r.returncode == 0, r.stderr
        return set(ids(r.stdout))

    assert listed("-u", queue.user.pw_name) == {queue.theirs}
    assert listed("-u", "root") == {queue.running, queue.held, queue.waiting}
    assert listed("-j", f"{queue.held},{queue.theirs}") == {queue.held, queue.theirs}
    assert listed("-p", "short") == {queue.theirs}
    assert listed("-t", "PD") == {queue.held, queue.waiting}
    assert listed("-t", "running") == {queue.running, queue.theirs}
    assert listed("-t", "all") >= queue.active | {queue.done}
    assert listed("-t", "CD", "-j", queue.done) == {queue.done}
    assert listed("-w", "node2") == {queue.theirs}
    assert listed("-u", "root", "-t", "R") == {queue.running}


def test_squeue_me_is_the_calling_user(local_cluster, queue):
    r = run_as(local_cluster, queue.user, "squeue", "--me", cwd="/")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == DEFAULT_HEADER
    assert ids(r.stdout.split("\n", 1)[1]) == [queue.theirs]
    r = local_cluster.run("squeue", "--me", "-h", "-o", "%i")
    assert set(ids(r.stdout)) == {queue.running, queue.held, queue.waiting}


def test_squeue_no_header(local_cluster, queue):
    r = local_cluster.run("squeue", "-h", "-j", queue.held)
    assert r.stdout.splitlines() == [
        f"{queue.held:>18} {'debug':>9} {'held_job':>8} {'root':>8} PD {'0:00':>10} {1:>6} "
        "(JobHeldUser)"]


def test_squeue_long(local_cluster, queue):
    r = local_cluster.run("squeue", "-l", "-j", f"{queue.held},{queue.waiting}")
    lines = r.stdout.splitlines()
    assert re.fullmatch(DATE_LINE, lines[0]), lines[0]
    assert lines[1] == LONG_HEADER == reference("squeue_l.txt")[1]
    assert f"{queue.waiting:>18} {'debug':>9} {'wants_re':>8} {'root':>8} {'PENDING':>8} " \
           f"{'0:00':>10} {'30:00':>9} {4:>6} (Resources)" in lines
    assert f"{queue.held:>18} {'debug':>9} {'held_job':>8} {'root':>8} {'PENDING':>8} " \
           f"{'0:00':>10} {'UNLIMITED':>9} {1:>6} (JobHeldUser)" in lines


def test_squeue_start(local_cluster, queue):
    r = local_cluster.run("squeue", "--start")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == START_HEADER == reference("squeue_start.txt")[0]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {queue.held, queue.waiting}  # pending jobs only
    assert rows[queue.held] == (f"{queue.held:>18} {'debug':>9} {'held_job':>8} {'root':>8} PD "
                                f"{'N/A':>19} {1:>6} {'(null)':<20} (JobHeldUser)")


def test_squeue_format_with_widths(local_cluster, queue):
    fmt = "%.10i %.9P %.12j %.8u %.10T %.10M %.9l %.6D %R"
    r = local_cluster.run("squeue", "-t", "all", "-o", fmt, "-j",
                          f"{queue.waiting},{queue.done}")
    lines = r.stdout.splitlines()
    assert lines[0] == reference("squeue_t_all_fmt.txt")[0]
    assert f"{queue.waiting:>10} {'debug':>9} {'wants_resour':>12} {'root':>8} " \
           f"{'PENDING':>10} {'0:00':>10} {'30:00':>9} {4:>6} (Resources)" in lines
    done = [line for line in lines if line.split()[0] == queue.done]
    assert re.fullmatch(rf"{queue.done:>10} {'debug':>9} {'done_job':>12} {'root':>8} "
                        rf"{'COMPLETED':>10} +\d+:\d\d {'UNLIMITED':>9} {1:>6} node\d",
                        done[0]), done
    # Left justified (no dot), a literal and a truncating width.
    r = local_cluster.run("squeue", "-h", "-j", queue.held, "-o", "%10i|%-4j|%t")
    assert r.stdout == f"{queue.held:<10}|held|PD\n"


def test_squeue_format_long_names(local_cluster, queue):
    r = local_cluster.run("squeue", "-j", queue.held, "-O", "JobID:10,Name:12,State,Reason")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        f"{'JOBID':<10}{'NAME':<12}{'STATE':<20}{'REASON':<20}",
        f"{queue.held:<10}{'held_job':<12}{'PENDING':<20}{'JobHeldUser':<20}"]


def test_squeue_sort(local_cluster, queue):
    def order(*args):
        return ids(local_cluster.run("squeue", "-h", "-o", "%i", *args).stdout)

    active = sorted(queue.active, key=int)
    assert order("-S", "i") == active
    assert order("-S", "-i") == active[::-1]
    by_name = ["held_job", "run_sleep", "theirs", "wants_resources"]
    names = local_cluster.run("squeue", "-h", "-o", "%j", "-S", "j").stdout.split()
    assert names == by_name


def test_squeue_iterates(local_cluster, queue):
    proc = subprocess.Popen(["squeue", "-i", "1", "-j", queue.held], env=local_cluster.env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        deadline = time.monotonic() + 10
        while sum(line == DEFAULT_HEADER for line in lines) < 2:
            assert time.monotonic() < deadline, lines
            lines.append(proc.stdout.readline().rstrip("\n"))
    finally:
        proc.kill()
        proc.wait()
    first = lines.index(DEFAULT_HEADER)
    assert re.fullmatch(DATE_LINE, lines[first - 1]), lines
    assert lines[first + 1].split()[0] == queue.held


def test_squeue_json(local_cluster, queue):
    r = local_cluster.run("squeue", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["meta"]["Slurm"]["release"] == "22.05.8"
    assert doc["errors"] == []
    jobs = {str(j["job_id"]): j for j in doc["jobs"]}
    assert set(jobs) >= queue.active
    held = jobs[queue.held]
    assert (held["name"], held["job_state"], held["state_reason"], held["user_name"],
            held["partition"]) == ("held_job", "PENDING", "JobHeldUser", "root", "debug")
    theirs = jobs[queue.theirs]
    assert (theirs["job_state"], theirs["user_name"], theirs["account"], theirs["nodes"]) == (
        "RUNNING", queue.user.pw_name, "their_acct", "node2")


def test_squeue_unknown_job(local_cluster, queue):
    r = local_cluster.run("squeue", "-j", "99999999")
    assert (r.returncode, r.stdout, r.stderr) == (
        1, "", "slurm_load_jobs error: Invalid job id specified\n")


# ---- sinfo ---------------------------------------------------------------------------


def test_sinfo_default(local_cluster, queue):
    r = local_cluster.run("sinfo")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        reference("sinfo.txt")[0],
        "debug*       up   infinite      2    mix node[1-2]",
        "debug*       up   infinite      2   idle node[3-4]",
        "short        up      30:00      2    mix node[1-2]",
        "short        up      30:00      2   idle node[3-4]",
    ]


def test_sinfo_summary_partition_and_state(local_cluster, queue):
    r = local_cluster.run("sinfo", "-s")
    assert r.stdout.splitlines() == [
        reference("sinfo_s.txt")[0],
        "debug*       up   infinite          2/2/0/4 node[1-4]",
        "short        up      30:00          2/2/0/4 node[1-4]",
    ]
    r = local_cluster.run("sinfo", "-p", "short")
    assert r.stdout.splitlines()[1:] == ["short        up      30:00      2    mix node[1-2]",
                                         "short        up      30:00      2   idle node[3-4]"]
    r = local_cluster.run("sinfo", "--state=idle", "-h")
    assert r.stdout.splitlines() == ["debug*       up   infinite      2   idle node[3-4]",
                                     "short        up      30:00      2   idle node[3-4]"]
    r = local_cluster.run("sinfo", "-t", "mix", "-h", "-p", "debug", "-o", "%N")
    assert r.stdout == "node[1-2]\n"


def test_sinfo_node_long(local_cluster, queue):
    r = local_cluster.run("sinfo", "-N", "-l")
    lines = r.stdout.splitlines()
    assert re.fullmatch(DATE_LINE, lines[0]), lines[0]
    assert lines[1] == reference("sinfo_N_l.txt")[1]
    memory = re.search(r"RealMemory=(\d+)", local_cluster.run(
        "scontrol", "show", "node", "node1").stdout).group(1)
    expected = []
    for node, state in (("node1", "mixed"), ("node2", "mixed"), ("node3", "idle"),
                        ("node4", "idle")):
        for part in ("debug*", "short"):
            expected.append(f"{node:<10} {1:>5} {part:>9} {state:>11} {2:<4} {'2:1:1':>8} "
                            f"{memory:>6} {0:>8} {1:>6} {'(null)':>8} {'none':<20}")
    assert lines[2:] == expected


def test_sinfo_format(local_cluster, queue):
    r = local_cluster.run("sinfo", "-o", "%P|%a|%l|%D|%t|%N|%c", "-p", "debug")
    assert r.stdout.splitlines() == ["PARTITION|AVAIL|TIMELIMIT|NODES|STATE|NODELIST|CPUS",
                                     "debug*|up|infinite|2|mix|node[1-2]|2",
                                     "debug*|up|infinite|2|idle|node[3-4]|2"]
    # Without a state column the rows of a partition merge.
    r = local_cluster.run("sinfo", "-h", "-o", "%.8P %10N|")
    assert r.stdout.splitlines() == ["  debug* node[1-4] |", "   short node[1-4] |"]


def test_sinfo_json(local_cluster, queue):
    r = local_cluster.run("sinfo", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["meta"]["Slurm"]["release"] == "22.05.8"
    nodes = {n["name"]: n for n in doc["nodes"]}
    assert set(nodes) == {"node1", "node2", "node3", "node4"}
    assert nodes["node1"]["cpus"] == 2
    assert nodes["node1"]["state"] == "mixed"
    assert nodes["node3"]["state"] == "idle"
    assert sorted(p["name"] for p in doc["partitions"]) == ["debug", "short"]


def test_drain_resume_down_idle_seen_by_sinfo_and_scontrol(local_cluster, queue):
    def node(field):
        r = local_cluster.run("scontrol", "show", "node", "node4")
        return re.search(rf"\b{field}=(.*?)(?= \w+=|$)", r.stdout, re.M).group(1)

    r = local_cluster.run("scontrol", "update", "NodeName=node4", "State=DRAIN",
                          "Reason=disk swap")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    try:
        assert node("State") == "IDLE+DRAIN"
        assert re.fullmatch(r"disk swap \[root@\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\]",
                            node("Reason")), node("Reason")
        lines = local_cluster.run("sinfo", "-R").stdout.splitlines()
        assert lines[0] == reference("sinfo_R.txt")[0]
        assert re.fullmatch(r"disk swap            root      \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d node4",
                            lines[1]), lines
        assert local_cluster.node_states()["node4"] == "drain"
        r = local_cluster.run("scontrol", "update", "NodeName=node4", "State=RESUME")
        assert r.returncode == 0, r.stderr
        assert node("State") == "IDLE"
        assert local_cluster.run("sinfo", "-R", "-h").stdout == ""

        r = local_cluster.run("scontrol", "update", "NodeName=node4", "State=DOWN",
                              "Reason=cabling")
        assert r.returncode == 0, r.stderr
        assert node("State") == "DOWN"
        assert local_cluster.node_states()["node4"] == "down"
        r = local_cluster.run("scontrol", "update", "NodeName=node4", "State=IDLE")
        assert r.returncode == 0, r.stderr
        assert node("State") == "IDLE"
    finally:
        local_cluster.run("scontrol", "update", "NodeName=node4", "State=RESUME")
    r = local_cluster.run("scontrol", "update", "NodeName=node4", "State=DRAIN")
    assert (r.returncode, r.stderr) == (
        1, "You must specify a reason when DOWNING or DRAINING a node. Request denied\n")


# ---- scontrol show -------------------------------------------------------------------


def test_scontrol_show_running_job_has_slurms_keys_in_order(local_cluster, queue):
    r = local_cluster.run("scontrol", "show", "job", queue.running)
    assert r.returncode == 0, r.stderr
    ref = "\n".join(reference("scontrol_show_job_running.txt"))
    assert keys_of(r.stdout) == keys_of(ref)
    assert r.stdout.startswith(f"JobId={queue.running} JobName=run_sleep\n"
                               "   UserId=root(0) GroupId=root(0) MCS_label=N/A\n")
    assert r.stdout.endswith("   Power=\n   \n\n")
    fields = show_job(local_cluster, queue.running)
    assert (fields["JobState"], fields["NodeList"], fields["BatchHost"], fields["TimeLimit"],
            fields["MinMemoryCPU"], fields["BatchFlag"]) == (
        "RUNNING", "node1", "node1", "00:30:00", "50M", "1")
    start = datetime.fromisoformat(fields["StartTime"])
    assert (datetime.fromisoformat(fields["EndTime"]) - start).total_seconds() == 1800


def test_scontrol_show_job_one_liner_and_options_anywhere(local_cluster, queue):
    multi = local_cluster.run("scontrol", "show", "job", queue.held).stdout
    expected = " ".join(line.strip() for line in multi.splitlines() if line.strip()) + " \n"
    for argv in (["-o", "show", "job", queue.held], ["show", "job", "-o", queue.held],
                 ["--oneliner", "show", "job", queue.held]):
        r = local_cluster.run("scontrol", *argv)
        assert (r.returncode, r.stderr) == (0, ""), argv
        assert keys_of(r.stdout) == keys_of(multi)
        assert r.stdout.count("\n") == 1, argv
        assert re.sub(r"RunTime=\S+", "", r.stdout) == re.sub(r"RunTime=\S+", "", expected)


def test_scontrol_show_job_details(local_cluster, queue):
    for argv in (["-d", "show", "job", queue.running], ["show", "-d", "job", queue.running]):
        r = local_cluster.run("scontrol", *argv)
        assert r.returncode == 0, r.stderr
        assert re.search(r"^     Nodes=node1 CPU_IDs=\d+(-\d+)? Mem=50 GRES=$", r.stdout, re.M), \
            r.stdout


def test_scontrol_show_job_of_another_user_and_unknown_job(local_cluster, queue):
    fields = show_job(local_cluster, queue.theirs)
    uid = queue.user.pw_uid
    assert fields["UserId"] == f"{queue.user.pw_name}({uid})"
    assert (fields["Account"], fields["Partition"], fields["NodeList"]) == (
        "their_acct", "short", "node2")
    r = local_cluster.run("scontrol", "show", "job", "99999999")
    assert (r.returncode, r.stdout, r.stderr) == (
        1, "", "slurm_load_jobs error: Invalid job id specified\n")


def test_scontrol_show_node(local_cluster, queue):
    r = local_cluster.run("scontrol", "show", "node", "node1")
    assert r.returncode == 0, r.stderr
    assert keys_of(r.stdout) == keys_of("\n".join(reference("scontrol_show_node_one.txt")))
    assert r.stdout.startswith("NodeName=node1 ")
    assert re.search(r"^   CPUAlloc=1 CPUEfctv=2 CPUTot=2 ", r.stdout, re.M), r.stdout
    assert re.search(r"^   State=MIXED ThreadsPerCore=1 ", r.stdout, re.M), r.stdout
    assert "   Partitions=debug,short \n" in r.stdout
    r = local_cluster.run("scontrol", "show", "node")
    assert re.findall(r"^NodeName=(\S+)", r.stdout, re.M) == ["node1", "node2", "node3",
                                                              "node4"]
    r = local_cluster.run("scontrol", "-o", "show", "node", "node3")
    assert r.stdout.count("\n") == 1 and r.stdout.startswith("NodeName=node3 ")
    assert "State=IDLE " in r.stdout


def test_scontrol_show_partition(local_cluster, queue):
    r = local_cluster.run("scontrol", "show", "partition")
    assert r.returncode == 0, r.stderr
    ref = "\n".join(reference("scontrol_show_partition.txt"))
    assert keys_of(r.stdout) == keys_of(ref)
    assert re.findall(r"^PartitionName=(\S+)", r.stdout, re.M) == ["debug", "short"]
    short = local_cluster.run("scontrol", "show", "partition", "short").stdout
    assert "   AllocNodes=ALL Default=NO QoS=N/A\n" in short
    assert "   MaxNodes=UNLIMITED MaxTime=00:30:00 MinNodes=0 " in short
    assert "   Nodes=node[1-4]\n" in short
    assert "   State=UP TotalCPUs=8 TotalNodes=4 SelectTypeParameters=NONE\n" in short


def test_scontrol_show_config(local_cluster, queue):
    r = local_cluster.run("scontrol", "show", "config")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert re.fullmatch(r"Configuration data as of \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", lines[0])
    settings = dict(re.fullmatch(r"(\S+)\s*= (.*)", line).groups()
                    for line in lines[1:] if re.fullmatch(r"\S+\s*= .*", line))
    conf = open(local_cluster.env["SLURM_CONF"]).read()
    assert settings["ClusterName"] == re.search(r"^ClusterName=(\S+)", conf, re.M).group(1)
    assert settings["SchedulerType"] == "sched/backfill"
    assert settings["SelectType"] == "select/cons_tres"
    assert settings["KillWait"] == "5 sec"


def test_scontrol_hostnames_and_hostlist(local_cluster):
    r = local_cluster.run("scontrol", "show", "hostnames", "node[1-3],other7")
    assert (r.returncode, r.stdout) == (0, "node1\nnode2\nnode3\nother7\n")
    r = local_cluster.run("scontrol", "show", "hostlist", "node1,node2,node3,node5")
    assert (r.returncode, r.stdout) == (0, "node[1-3,5]\n")


def test_scontrol_version_and_reconfigure(local_cluster):
    for argv in (["version"], ["--version"], ["-V"]):
        r = local_cluster.run("scontrol", *argv)
        assert (r.returncode, r.stdout, r.stderr) == (0, "slurm 22.05.8\n", ""), argv
    r = local_cluster.run("scontrol", "reconfigure")
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
    assert local_cluster.node_states() == {"node1": "mix", "node2": "mix", "node3": "idle",
                                           "node4": "idle"}


# ---- scontrol update / hold / release / requeue ---------------------------------------


def test_scontrol_update_job_fields(local_cluster, queue, tmp_path):
    job = sbatch_id(local_cluster, "-H", "-J", "before", "-t", "5", "--wrap=true",
                    cwd=tmp_path)
    try:
        r = local_cluster.run("scontrol", "update", f"JobId={job}", "TimeLimit=1:00:00",
                              "Partition=short", "NumNodes=2", "Nice=10", "Name=after")
        assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
        fields = show_job(local_cluster, job)
        assert (fields["JobName"], fields["TimeLimit"], fields["Partition"], fields["Nice"]) \
            == ("after", "01:00:00", "short", "10")
        assert fields["NumNodes"] in ("2", "2-2")
        r = local_cluster.run("squeue", "-h", "-j", job, "-o", "%j %P %l %D %y")
        assert r.stdout == "after short 1:00:00 2 10\n"
        # Lower case keys, as scontrol takes them.
        r = local_cluster.run("scontrol", "update", f"jobid={job}", "timelimit=7")
        assert r.returncode == 0, r.stderr
        assert show_job(local_cluster, job)["TimeLimit"] == "00:07:00"
        r = local_cluster.run("scontrol", "update", f"JobId={job}", "TimeLimit=bogus")
        assert (r.returncode, r.stderr) == (1, "Invalid TimeLimit value\n")
        r = local_cluster.run("scontrol", "update", "JobId=99999999", "TimeLimit=5")
        assert (r.returncode, r.stderr) == (1, "slurm_update error: Invalid job id specified\n")
    finally:
        local_cluster.run("scancel", job)


def test_scontrol_hold_release(local_cluster, queue, tmp_path):
    job = sbatch_id(local_cluster, "--begin=now+1hour", "--wrap=true", cwd=tmp_path)
    try:
        assert local_cluster.run("scontrol", "hold", job).returncode == 0
        fields = show_job(local_cluster, job)
        assert (fields["JobState"], fields["Reason"], fields["Priority"]) == (
            "PENDING", "JobHeldAdmin", "0")
        assert local_cluster.run("scontrol", "release", job).returncode == 0
        fields = show_job(local_cluster, job)
        assert fields["Reason"] == "BeginTime" and fields["Priority"] != "0"
        assert local_cluster.run("scontrol", "uhold", job).returncode == 0
        assert show_job(local_cluster, job)["Reason"] == "JobHeldUser"
        assert local_cluster.run("scontrol", "release", job).returncode == 0
    finally:
        local_cluster.run("scancel", job)


def test_scontrol_requeue_running_job(local_cluster, queue, tmp_path):
    out = tmp_path / "rq.out"
    # The 4-node job, first in line, steps aside while this one runs on node3.
    assert local_cluster.run("scontrol", "hold", queue.waiting).returncode == 0
    job = sbatch_id(local_cluster, "-w", "node3", "-t", "5", "-o", str(out),
                    "--open-mode=append", "--wrap=echo run; sleep 600", cwd=tmp_path)
    try:
        wait_job_state(local_cluster, job, "RUNNING")
        wait_until(lambda: out.exists() and out.read_text(), 10, "the first run's output")
        r = local_cluster.run("scontrol", "requeue", job)
        assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
        fields = wait_until(lambda: (lambda f: f if f["JobState"] == "PENDING" else None)(
            show_job(local_cluster, job)), 30, f"job {job} to be pending again")
        assert fields["Restarts"] == "1"
    finally:
        local_cluster.run("scancel", job)
        local_cluster.run("scontrol", "release", queue.waiting)
