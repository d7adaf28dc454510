"""sbatch --dependency on a running local cluster, as a user types it: a job waits with
reason Dependency, runs once its dependency holds, shows DependencyNeverSatisfied when it
cannot, is cancelled with --kill-on-invalid-dep=yes, and an unknown job id is refused.
"""
import pytest

from cluster import (  # noqa: F401 (fixtures)
    cancel_all, local_cluster, sbatch_id, shared_dir, show_job, wait_job_done,
    wait_job_state, wait_until)


@pytest.fixture(autouse=True)
def no_job_left(local_cluster):
    yield
    cancel_all(local_cluster)


def submit(cluster, cwd, *args, wrap="sleep 600"):
    return sbatch_id(cluster, *args, "-o", "/dev/null", f"--wrap={wrap}", cwd=cwd)


def test_afterok_waits_with_reason_and_shows_in_scontrol_and_squeue(local_cluster, shared_dir):
    first = submit(local_cluster, shared_dir, wrap="sleep 3")
    second = submit(local_cluster, shared_dir, f"--dependency=afterok:{first}")
    job = show_job(local_cluster, second)
    assert job["JobState"] == "PENDING"
    assert job["Reason"] == "Dependency"
    assert job["Dependency"] == f"afterok:{first}(unfulfilled)"
    r = local_cluster.run("squeue", "-h", "-j", second, "-o", "%i %E %r")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [second, f"afterok:{first}(unfulfilled)", "Dependency"]
    assert wait_job_done(local_cluster, first) == "COMPLETED"
    wait_job_state(local_cluster, second, "RUNNING")
    assert show_job(local_cluster, second)["Dependency"] == "(null)"


def test_afterok_on_a_failed_job_is_never_satisfied(local_cluster, shared_dir):
    first = submit(local_cluster, shared_dir, wrap="exit 3")
    stays = submit(local_cluster, shared_dir, "-d", f"afterok:{first}")
    killed = submit(local_cluster, shared_dir, "-d", f"afterok:{first}",
                    "--kill-on-invalid-dep=yes")
    assert wait_job_done(local_cluster, first) == "FAILED"
    wait_until(lambda: show_job(local_cluster, stays)["Reason"] == "DependencyNeverSatisfied",
               30, "the dependency to fail")
    job = show_job(local_cluster, stays)
    assert job["JobState"] == "PENDING"
    assert job["Dependency"] == f"afterok:{first}(failed)"
    assert wait_job_done(local_cluster, killed) == "CANCELLED"


def test_afterany_and_any_separator(local_cluster, shared_dir):
    first = submit(local_cluster, shared_dir, wrap="exit 1")
    held = submit(local_cluster, shared_dir, "-H")
    after = submit(local_cluster, shared_dir, "-d", f"afterany:{first}")
    either = submit(local_cluster, shared_dir, "-d", f"afterok:{held}?afternotok:{first}")
    wait_job_state(local_cluster, after, "RUNNING")
    wait_job_state(local_cluster, either, "RUNNING")


def test_unknown_job_is_refused(local_cluster, shared_dir):
    r = local_cluster.run("sbatch", "-d", "afterok:999999", "-o", "/dev/null",
                          "--wrap=true", cwd=shared_dir)
    assert r.returncode == 1
    assert r.stderr.strip() == "sbatch: error: Batch job submission failed: Job dependency problem"


def test_singleton(local_cluster, shared_dir):
    first = submit(local_cluster, shared_dir, "-J", "solo", wrap="sleep 3")
    second = submit(local_cluster, shared_dir, "-J", "solo", "-d", "singleton")
    assert show_job(local_cluster, second)["Reason"] == "Dependency"
    assert show_job(local_cluster, second)["Dependency"] == "singleton(unfulfilled)"
    wait_job_done(local_cluster, first)
    wait_job_state(local_cluster, second, "RUNNING")
