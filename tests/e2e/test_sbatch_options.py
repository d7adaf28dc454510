"""sbatch's options on a running local cluster, typed as a user types them: what each one
changes is checked where a user sees it (the script's environment and output files,
`scontrol show job`, squeue), and errors are compared with Slurm's words and exit codes.

The tests share one 4-node cluster (2 CPUs a node) and leave no job behind them.
"""
import pathlib
import re
import socket
import subprocess

import pytest

from cluster import (  # noqa: F401 (fixtures)
    cancel_all, local_cluster, other_user, run_as, sbatch_id, shared_dir, show_job,
    wait_job_done, wait_job_state, wait_until)

ENV_DUMP = "#!/bin/bash\nenv\n"


@pytest.fixture(autouse=True)
def no_job_left(local_cluster):
    yield
    cancel_all(local_cluster)


def read_env(path):
    """The NAME=value lines of an `env` dump as a dict."""
    env = {}
    for line in path.read_text().splitlines():
        name, eq, value = line.partition("=")
        if eq and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            env[name] = value
    return env


def run_script(cluster, cwd, script, *args, env=None, name="job.sh"):
    """Writes `script`, submits it with `args`, waits for the end; returns (id, state)."""
    (cwd / name).write_text(script)
    job = sbatch_id(cluster, *args, name, cwd=cwd, env=env)
    return job, wait_job_done(cluster, job)


def cluster_name(cluster):
    text = pathlib.Path(cluster.env["SLURM_CONF"]).read_text()
    return re.search(r"^ClusterName=(\S+)", text, re.M).group(1)


def sbatch_stdin(cluster, cwd, text):
    """`sbatch` reading its script from standard input."""
    return subprocess.run(["sbatch"], input=text, env=cluster.env, cwd=cwd,
                          capture_output=True, text=True, timeout=30)


# ---- What sbatch prints --------------------------------------------------------------


def test_submission_prints_only_the_job_id_line(local_cluster, shared_dir):
    r = local_cluster.run("sbatch", "-H", "-o", "/dev/null", "--wrap=true", cwd=shared_dir)
    assert r.returncode == 0
    assert re.fullmatch(r"Submitted batch job \d+\n", r.stdout), r.stdout
    assert r.stderr == ""
    r = local_cluster.run("sbatch", "--parsable", "-H", "-o", "/dev/null", "--wrap=true",
                          cwd=shared_dir)
    assert r.returncode == 0
    assert re.fullmatch(r"\d+\n", r.stdout), r.stdout
    assert r.stderr == ""


@pytest.mark.parametrize("args, stderr, code", [
    (["-t", "notatime", "--wrap=true"], "sbatch: error: Invalid --time specification\n", 255),
    (["--nosuchoption", "--wrap=true"],
     "sbatch: unrecognized option '--nosuchoption'\nTry \"sbatch --help\" for more information\n",
     255),
    (["-p", "nosuchpart", "--wrap=true"],
     "sbatch: error: invalid partition specified: nosuchpart\n"
     "sbatch: error: Batch job submission failed: Invalid partition name specified\n", 1),
    (["--open-mode=sideways", "--wrap=true"],
     "sbatch: error: Invalid --open-mode argument: sideways. Ignored\n", 255),
    (["--signal=NOTASIG", "--wrap=true"], "sbatch: error: Invalid --signal specification\n",
     255),
    (["--begin=someday", "--wrap=true"], "sbatch: error: Invalid --begin specification\n", 255),
])
def test_errors_read_like_slurm(local_cluster, shared_dir, args, stderr, code):
    r = local_cluster.run("sbatch", *args, cwd=shared_dir)
    assert (r.returncode, r.stdout, r.stderr) == (code, "", stderr)


def test_empty_script_from_stdin_is_refused(local_cluster, shared_dir):
    r = sbatch_stdin(local_cluster, shared_dir, "")
    assert (r.returncode, r.stdout, r.stderr) == (1, "", "sbatch: error: Batch script is empty!\n")


def test_script_from_stdin_runs_as_sbatch(local_cluster, shared_dir):
    r = sbatch_stdin(local_cluster, shared_dir, "#!/bin/sh\necho $SLURM_JOB_NAME\n")
    assert r.returncode == 0, r.stderr
    job = re.fullmatch(r"Submitted batch job (\d+)\n", r.stdout).group(1)
    assert wait_job_done(local_cluster, job) == "COMPLETED"
    assert (shared_dir / f"slurm-{job}.out").read_text() == "sbatch\n"


def test_over_partition_max_time_pends_as_slurm_does_by_default(local_cluster, shared_dir):
    # short has MaxTime=30:00; without EnforcePartLimits the job is taken and waits.
    job = sbatch_id(local_cluster, "-p", "short", "-t", "40", "--wrap=true", cwd=shared_dir)
    r = local_cluster.run("squeue", "-h", "-j", job, "-o", "%i %P %l %T %r")
    assert r.stdout == f"{job} short 40:00 PENDING PartitionTimeLimit\n"


@pytest.mark.parametrize("size", [["-N", "50"], ["-c", "100000"]])
def test_oversized_request_is_taken_and_pends(local_cluster, shared_dir, size):
    r = local_cluster.run("sbatch", *size, "--wrap=true", cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    assert re.fullmatch(r"Submitted batch job \d+\n", r.stdout)


# ---- Where options come from ---------------------------------------------------------


def test_sbatch_lines_are_read_until_the_first_command(local_cluster, shared_dir):
    script = ("#!/bin/bash\n"
              "#SBATCH -J from_script\n"
              "\n"
              "# an ordinary comment, then more options\n"
              "#SBATCH --comment=still_read   \n"
              "#SBATCH -t 7\n"
              "echo $SLURM_JOB_NAME\n"
              "#SBATCH -J too_late\n"
              "#SBATCH --comment=too_late\n")
    job, state = run_script(local_cluster, shared_dir, script, "-o", "out.txt")
    assert state == "COMPLETED"
    assert (shared_dir / "out.txt").read_text() == "from_script\n"
    fields = show_job(local_cluster, job)
    assert fields["JobName"] == "from_script"
    assert fields["Comment"] == "still_read"
    assert fields["TimeLimit"] == "00:07:00"


def test_precedence_script_then_input_variables_then_command_line(local_cluster, shared_dir):
    script = ("#!/bin/bash\n#SBATCH -J script_name\n#SBATCH -p debug\n#SBATCH -t 3\n"
              "#SBATCH -A script_acct\nenv\n")
    env = {"SBATCH_JOB_NAME": "env_name", "SBATCH_PARTITION": "short",
           "SBATCH_TIMELIMIT": "9", "SBATCH_ACCOUNT": "env_acct"}
    job, state = run_script(local_cluster, shared_dir, script, "-J", "cli_name", "-o",
                            "out.txt", env=env)
    assert state == "COMPLETED"
    fields = show_job(local_cluster, job)
    assert fields["JobName"] == "cli_name"       # command line over SBATCH_JOB_NAME
    assert fields["Partition"] == "short"        # SBATCH_PARTITION over #SBATCH -p
    assert fields["TimeLimit"] == "00:09:00"
    assert fields["Account"] == "env_acct"
    env_seen = read_env(shared_dir / "out.txt")
    assert env_seen["SLURM_JOB_NAME"] == "cli_name"
    assert env_seen["SLURM_JOB_PARTITION"] == "short"
    assert env_seen["SLURM_JOB_ACCOUNT"] == "env_acct"


def test_input_variables_for_output_and_export(local_cluster, shared_dir):
    env = {"SBATCH_OUTPUT": "envout-%j.txt", "SBATCH_EXPORT": "NONE", "MY_VAR": "x"}
    job, state = run_script(local_cluster, shared_dir, ENV_DUMP, env=env)
    assert state == "COMPLETED"
    seen = read_env(shared_dir / f"envout-{job}.txt")
    assert "MY_VAR" not in seen
    assert seen["SLURM_EXPORT_ENV"] == "NONE"


def test_wrap_runs_the_command_under_sh(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "-o", "w.out", "--wrap", "echo $0 $SLURM_JOB_NAME; exit 4",
                    cwd=shared_dir)
    assert wait_job_done(local_cluster, job) == "FAILED"
    assert (shared_dir / "w.out").read_text().split()[1] == "wrap"
    assert show_job(local_cluster, job)["ExitCode"] == "4:0"


def test_script_name_is_the_default_job_name_and_arguments_pass_through(local_cluster,
                                                                       shared_dir):
    (shared_dir / "my_analysis.sh").write_text('#!/bin/bash\necho "$SLURM_JOB_NAME:$1:$2"\n')
    job = sbatch_id(local_cluster, "-o", "a.out", "my_analysis.sh", "first", "-t",
                    cwd=shared_dir)
    assert wait_job_done(local_cluster, job) == "COMPLETED"
    assert (shared_dir / "a.out").read_text() == "my_analysis.sh:first:-t\n"


# ---- The batch environment -----------------------------------------------------------


def test_batch_environment_of_a_multi_node_job(local_cluster, shared_dir):
    job, state = run_script(local_cluster, shared_dir, ENV_DUMP, "-J", "envjob", "-N", "4",
                            "-n", "7", "--mem=100", "-p", "debug", "-A", "physics", "-o",
                            "env.txt")
    assert state == "COMPLETED"
    env = read_env(shared_dir / "env.txt")
    expected = {
        "SLURM_JOB_ID": job,
        "SLURM_JOBID": job,
        "SLURM_JOB_NAME": "envjob",
        "SLURM_JOB_NODELIST": "node[1-4]",
        "SLURM_NODELIST": "node[1-4]",
        "SLURM_NNODES": "4",
        "SLURM_JOB_NUM_NODES": "4",
        "SLURM_NTASKS": "7",
        "SLURM_NPROCS": "7",
        "SLURM_TASKS_PER_NODE": "2(x3),1",
        "SLURM_JOB_CPUS_PER_NODE": "2(x3),1",
        "SLURM_MEM_PER_NODE": "100",
        "SLURM_SUBMIT_DIR": str(shared_dir),
        "SLURM_JOB_PARTITION": "debug",
        "SLURM_JOB_ACCOUNT": "physics",
        "SLURM_CLUSTER_NAME": cluster_name(local_cluster),
        "SLURMD_NODENAME": "node1",
        "SLURM_JOB_USER": "root",
        "SLURM_JOB_UID": "0",
    }
    assert {k: env.get(k) for k in expected} == expected
    assert "SLURM_MEM_PER_CPU" not in env
    fields = show_job(local_cluster, job)
    assert fields["NodeList"] == "node[1-4]"
    assert fields["NumNodes"] == "4"
    assert fields["NumTasks"] == "7"
    assert fields["MinMemoryNode"] == "100M"


def test_cpus_per_task_and_memory_per_cpu(local_cluster, shared_dir):
    job, state = run_script(local_cluster, shared_dir, ENV_DUMP, "-n", "1", "-c", "2",
                            "--mem-per-cpu=50", "-o", "env.txt")
    assert state == "COMPLETED"
    env = read_env(shared_dir / "env.txt")
    assert env["SLURM_CPUS_PER_TASK"] == "2"
    assert env["SLURM_MEM_PER_CPU"] == "50"
    assert env["SLURM_JOB_CPUS_PER_NODE"] == "2"
    assert env["SLURM_NTASKS"] == "1"
    assert "SLURM_MEM_PER_NODE" not in env
    fields = show_job(local_cluster, job)
    assert fields["CPUs/Task"] == "2"
    assert fields["NumCPUs"] == "2"
    assert fields["MinMemoryCPU"] == "50M"
    assert fields["TRES"] == "cpu=2,mem=100M,node=1,billing=2"


def test_ntasks_per_node(local_cluster, shared_dir):
    job, state = run_script(local_cluster, shared_dir, ENV_DUMP, "-N", "2",
                            "--ntasks-per-node=2", "-o", "env.txt")
    assert state == "COMPLETED"
    env = read_env(shared_dir / "env.txt")
    assert env["SLURM_TASKS_PER_NODE"] == "2(x2)"
    assert env["SLURM_NTASKS"] == "4"
    assert env["SLURM_NNODES"] == "2"
    fields = show_job(local_cluster, job)
    assert fields["NumTasks"] == "4"
    assert fields["NtasksPerN:B:S:C"] == "2:0:*:*"


def test_cpus_per_task_variable_only_when_asked(local_cluster, shared_dir):
    _, state = run_script(local_cluster, shared_dir, ENV_DUMP, "-o", "env.txt")
    assert state == "COMPLETED"
    assert "SLURM_CPUS_PER_TASK" not in read_env(shared_dir / "env.txt")


def test_submit_host(local_cluster, shared_dir):
    job, _ = run_script(local_cluster, shared_dir, ENV_DUMP, "-o", "env.txt")
    host = socket.gethostname().split(".")[0]
    assert show_job(local_cluster, job)["AllocNode:Sid"].startswith(f"{host}:")
    assert read_env(shared_dir / "env.txt").get("SLURM_SUBMIT_HOST") == host


def test_command_is_the_script_path(local_cluster, shared_dir):
    job, _ = run_script(local_cluster, shared_dir, "#!/bin/sh\ntrue\n", "-o", "/dev/null")
    assert show_job(local_cluster, job)["Command"] == str(shared_dir / "job.sh")


@pytest.mark.parametrize("export, seen", [
    (None, {"FOO": "1", "BAR": "2", "BAZ": None}),
    ("ALL", {"FOO": "1", "BAR": "2", "BAZ": None}),
    ("NONE", {"FOO": None, "BAR": None, "BAZ": None}),
    ("FOO,BAZ=3", {"FOO": "1", "BAR": None, "BAZ": "3"}),
    ("ALL,BAZ=3", {"FOO": "1", "BAR": "2", "BAZ": "3"}),
])
def test_export(local_cluster, shared_dir, export, seen):
    args = ["-o", "env.txt"] + ([f"--export={export}"] if export else [])
    _, state = run_script(local_cluster, shared_dir, ENV_DUMP, *args,
                          env={"FOO": "1", "BAR": "2"})
    assert state == "COMPLETED"
    env = read_env(shared_dir / "env.txt")
    assert {k: env.get(k) for k in seen} == seen
    assert env.get("SLURM_EXPORT_ENV") == export
    assert env["SLURM_JOB_NAME"] == "job.sh"  # the job's own variables always


# ---- Files: output patterns, input, open mode, working directory ---------------------


def test_output_and_error_patterns(local_cluster, shared_dir):
    job, state = run_script(local_cluster, shared_dir,
                            "#!/bin/sh\necho out\necho err >&2\n", "-J", "pat", "-w", "node2",
                            "-o", "%x-%u-%N-%j-%A-%a-%%.out", "-e", "e%j_%5j.err")
    assert state == "COMPLETED"
    out = shared_dir / f"pat-root-node2-{job}-{job}-4294967294-%.out"
    err = shared_dir / f"e{job}_{int(job):05d}.err"
    assert out.read_text() == "out\n"
    assert err.read_text() == "err\n"


def test_files_belong_to_the_submitting_user(local_cluster, other_user, shared_dir):
    (shared_dir / "job.sh").write_text("#!/bin/sh\necho out; echo err >&2\n")
    r = run_as(local_cluster, other_user, "sbatch", "--parsable", "-o", "%u-%j.out", "-e",
               "%u-%j.err", "job.sh", cwd=shared_dir)
    assert r.returncode == 0, r.stderr
    job = r.stdout.strip()
    assert wait_job_done(local_cluster, job) == "COMPLETED"
    for suffix, text in (("out", "out\n"), ("err", "err\n")):
        path = shared_dir / f"{other_user.pw_name}-{job}.{suffix}"
        assert path.read_text() == text
        assert (path.stat().st_uid, path.stat().st_gid) == (other_user.pw_uid,
                                                            other_user.pw_gid)


def test_input_file(local_cluster, shared_dir):
    (shared_dir / "in.txt").write_text("line one\nline two\n")
    _, state = run_script(local_cluster, shared_dir, "#!/bin/sh\nwc -l\n", "-i", "in.txt",
                          "-o", "out.txt")
    assert state == "COMPLETED"
    assert (shared_dir / "out.txt").read_text().strip() == "2"


@pytest.mark.parametrize("mode, expected", [
    ("append", "earlier\nnew\n"), ("truncate", "new\n"), (None, "new\n")])
def test_open_mode(local_cluster, shared_dir, mode, expected):
    (shared_dir / "log.txt").write_text("earlier\n")
    args = ["-o", "log.txt"] + ([f"--open-mode={mode}"] if mode else [])
    job = sbatch_id(local_cluster, *args, "--wrap=echo new", cwd=shared_dir)
    assert wait_job_done(local_cluster, job) == "COMPLETED"
    assert (shared_dir / "log.txt").read_text() == expected


def test_chdir(local_cluster, shared_dir):
    work = shared_dir / "work"
    work.mkdir()
    job = sbatch_id(local_cluster, "-D", "work", "-o", "here.out", "--wrap=pwd",
                    cwd=shared_dir)
    assert wait_job_done(local_cluster, job) == "COMPLETED"
    assert (work / "here.out").read_text() == f"{work}\n"
    fields = show_job(local_cluster, job)
    assert fields["WorkDir"] == str(work)
    assert fields["StdOut"] == str(work / "here.out")


# ---- Placement and size --------------------------------------------------------------


def test_nodelist_and_exclude(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "-w", "node3", "-o", "/dev/null",
                    "--wrap=echo $SLURMD_NODENAME", cwd=shared_dir)
    assert wait_job_done(local_cluster, job) == "COMPLETED"
    fields = show_job(local_cluster, job)
    assert (fields["ReqNodeList"], fields["NodeList"], fields["BatchHost"]) == (
        "node3", "node3", "node3")
    job = sbatch_id(local_cluster, "-x", "node[1-3]", "-o", "x.out",
                    "--wrap=echo $SLURMD_NODENAME", cwd=shared_dir)
    assert wait_job_done(local_cluster, job) == "COMPLETED"
    assert (shared_dir / "x.out").read_text() == "node4\n"
    fields = show_job(local_cluster, job)
    assert (fields["ExcNodeList"], fields["NodeList"]) == ("node[1-3]", "node4")


def test_exclusive_takes_the_whole_node(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "--exclusive", "-n", "1", "-w", "node2", "-o", "ex.out",
                    "--wrap=echo $SLURM_JOB_CPUS_PER_NODE; sleep 30", cwd=shared_dir)
    wait_job_state(local_cluster, job, "RUNNING")
    fields = show_job(local_cluster, job)
    assert (fields["NumCPUs"], fields["OverSubscribe"]) == ("2", "NO")
    # A one-CPU job for that node waits although a CPU would be free.
    other = sbatch_id(local_cluster, "-n", "1", "-w", "node2", "--wrap=true", cwd=shared_dir)
    r = local_cluster.run("squeue", "-h", "-j", other, "-o", "%T %r")
    assert r.stdout.split()[0] == "PENDING", r.stdout
    wait_until(lambda: (shared_dir / "ex.out").exists()
               and (shared_dir / "ex.out").read_text() == "2\n", 10, "ex.out")


def test_partition(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "-p", "short", "-o", "p.out",
                    "--wrap=echo $SLURM_JOB_PARTITION", cwd=shared_dir)
    assert wait_job_done(local_cluster, job) == "COMPLETED"
    assert (shared_dir / "p.out").read_text() == "short\n"
    assert show_job(local_cluster, job)["Partition"] == "short"


@pytest.mark.parametrize("given, shown", [
    ("5", "00:05:00"), ("1:30:00", "01:30:00"), ("1-0", "1-00:00:00"),
    ("UNLIMITED", "UNLIMITED")])
def test_time_limit(local_cluster, shared_dir, given, shown):
    job = sbatch_id(local_cluster, "-H", "-t", given, "--wrap=true", cwd=shared_dir)
    assert show_job(local_cluster, job)["TimeLimit"] == shown


# ---- Life cycle and bookkeeping ------------------------------------------------------


def test_hold_then_release(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "-H", "-o", "/dev/null", "--wrap=true", cwd=shared_dir)
    fields = show_job(local_cluster, job)
    assert (fields["JobState"], fields["Reason"], fields["Priority"]) == (
        "PENDING", "JobHeldUser", "0")
    assert local_cluster.run("scontrol", "release", job).returncode == 0
    assert wait_job_done(local_cluster, job) == "COMPLETED"


@pytest.mark.parametrize("flag, shown", [("--requeue", "1"), ("--no-requeue", "0")])
def test_requeue_flag_is_stored(local_cluster, shared_dir, flag, shown):
    job = sbatch_id(local_cluster, flag, "-H", "--wrap=true", cwd=shared_dir)
    assert show_job(local_cluster, job)["Requeue"] == shown


def test_no_requeue_job_refuses_scontrol_requeue(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "--no-requeue", "-o", "/dev/null", "--wrap=sleep 30",
                    cwd=shared_dir)
    wait_job_state(local_cluster, job, "RUNNING")
    r = local_cluster.run("scontrol", "requeue", job)
    assert r.returncode == 1
    assert r.stderr.strip().endswith("Requested operation is presently disabled"), r.stderr
    assert show_job(local_cluster, job)["JobState"] == "RUNNING"


def test_account_qos_comment_are_stored_and_shown(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "-H", "-A", "chem", "--qos=normal",
                    "--comment=calibration run", "--wrap=true", cwd=shared_dir)
    fields = show_job(local_cluster, job)
    assert (fields["Account"], fields["QOS"], fields["Comment"]) == (
        "chem", "normal", "calibration run")
    r = local_cluster.run("squeue", "-h", "-j", job, "-o", "%a|%q|%k")
    assert r.stdout == "chem|normal|calibration run\n"


def test_begin_time_defers_the_job(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "--begin=now+1hour", "--wrap=true", cwd=shared_dir)
    fields = show_job(local_cluster, job)
    assert (fields["JobState"], fields["Reason"]) == ("PENDING", "BeginTime")
    from datetime import datetime
    submit = datetime.fromisoformat(fields["SubmitTime"])
    eligible = datetime.fromisoformat(fields["EligibleTime"])
    assert 3599 <= (eligible - submit).total_seconds() <= 3601


def test_start_of_a_deferred_job_is_its_begin_time(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "--begin=now+1hour", "--wrap=true", cwd=shared_dir)
    eligible = show_job(local_cluster, job)["EligibleTime"]
    r = local_cluster.run("squeue", "-h", "--start", "-j", job, "-o", "%i %S %r")
    assert r.stdout == f"{job} {eligible} BeginTime\n"


def test_gres_is_stored_and_shown(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "-H", "--gres=gpu:2", "--wrap=true", cwd=shared_dir)
    assert show_job(local_cluster, job).get("TresPerNode") == "gres:gpu:2"
    r = local_cluster.run("squeue", "-h", "-j", job, "-o", "%b")
    assert r.stdout == "gres:gpu:2\n"


def test_signal_before_time_limit(local_cluster, shared_dir):
    script = ("#!/bin/bash\ntrap 'echo got USR1; exit 0' USR1\n"
              "for i in $(seq 300); do sleep 0.1; done\n")
    (shared_dir / "sig.sh").write_text(script)
    job = sbatch_id(local_cluster, "-t", "1", "--signal=B:USR1@55", "-o", "sig.out", "sig.sh",
                    cwd=shared_dir)
    out = shared_dir / "sig.out"
    wait_until(lambda: out.exists() and "got USR1" in out.read_text(), 20,
               f"job {job} to receive SIGUSR1")


def test_array_task_output_pattern(local_cluster, shared_dir):
    job = sbatch_id(local_cluster, "--array=1-2", "-o", "arr-%A_%a.out",
                    "--wrap=echo $SLURM_ARRAY_JOB_ID $SLURM_ARRAY_TASK_ID", cwd=shared_dir)
    for task in ("1", "2"):
        out = shared_dir / f"arr-{job}_{task}.out"
        wait_until(lambda: out.exists() and out.read_text() == f"{job} {task}\n", 30, str(out))
