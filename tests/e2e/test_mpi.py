"""Open MPI (Debian's openmpi-bin) inside Drover allocations, as users run it: mpirun
finds the nodes from the allocation's environment and starts its daemons through srun,
so ranks run on two node daemons and talk to each other (MPI_Allreduce).
"""
import re
import subprocess

import pytest

from cluster import (  # noqa: F401 (fixtures)
    cancel_all, local_cluster, sbatch_id, shared_dir, wait_job_done)

HELLO = r"""
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank, size, one = 1, sum = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
  const char* node = getenv("SLURMD_NODENAME");
  printf("rank %d of %d on %s sum %d\n", rank, size, node ? node : "?", sum);
  MPI_Finalize();
  return 0;
}
"""

# The tests run as root; Open MPI wants to be told that is intended.
ROOT_OK = {"OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"}


@pytest.fixture(autouse=True)
def no_job_left(local_cluster):
    yield
    cancel_all(local_cluster)


@pytest.fixture
def hello(shared_dir):
    (shared_dir / "hello.c").write_text(HELLO)
    subprocess.run(["mpicc", "-o", str(shared_dir / "hello"), str(shared_dir / "hello.c")],
                   check=True, capture_output=True)
    return shared_dir / "hello"


def ranks_of(text):
    found = sorted(re.findall(r"^rank (\d+) of (\d+) on (\S+) sum (\d+)$", text, re.M))
    return [(int(r), int(n), node, int(s)) for r, n, node, s in found]


def test_mpirun_in_salloc_spans_two_node_daemons(local_cluster, shared_dir, hello):
    r = local_cluster.run("salloc", "-N2", "-n2", "mpirun", str(hello), cwd=shared_dir,
                          env=ROOT_OK, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    ranks = ranks_of(r.stdout)
    assert [(rank, size, total) for rank, size, _, total in ranks] == [(0, 2, 2), (1, 2, 2)]
    assert len({node for _, _, node, _ in ranks}) == 2, r.stdout  # one rank per node daemon


def test_mpirun_in_a_batch_job(local_cluster, shared_dir, hello):
    (shared_dir / "mpi.sh").write_text(f"#!/bin/sh\n#SBATCH -N2 -n2\nmpirun {hello}\n")
    job = sbatch_id(local_cluster, "-o", "mpi.out", "mpi.sh", cwd=shared_dir, env=ROOT_OK)
    assert wait_job_done(local_cluster, job, timeout=120) == "COMPLETED"
    ranks = ranks_of((shared_dir / "mpi.out").read_text())
    assert [(rank, size, total) for rank, size, _, total in ranks] == [(0, 2, 2), (1, 2, 2)]
    assert len({node for _, _, node, _ in ranks}) == 2
