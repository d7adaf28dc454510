#include "stepd/prolog_env.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace drover::stepd {
namespace {

using ::testing::Contains;
using ::testing::Not;

TEST(PrologEnv, HoldsSlurmsPrologVariables) {
  PrologJobInfo info;
  info.job_id = 42;
  info.user = "alice";
  info.uid = 1000;
  info.gid = 100;
  info.group = "users";
  info.partition = "debug";
  info.account = "physics";
  info.node_list = "n[1-2]";
  info.job_name = "sim";
  info.work_dir = "/home/alice";
  info.array_job_id = 40;
  info.array_task_id = 2;
  info.cluster = "test";
  info.node_name = "n1";
  info.conf_path = "/etc/slurm/slurm.conf";
  auto env = BuildPrologEnv(info, kPrologContext);
  for (const char* entry :
       {"SLURM_SCRIPT_CONTEXT=prolog_slurmd", "SLURM_JOB_ID=42", "SLURM_JOBID=42",
        "SLURM_JOB_USER=alice", "SLURM_JOB_UID=1000", "SLURM_JOB_GID=100",
        "SLURM_JOB_GROUP=users", "SLURM_JOB_PARTITION=debug", "SLURM_JOB_ACCOUNT=physics",
        "SLURM_JOB_NODELIST=n[1-2]", "SLURM_NODELIST=n[1-2]", "SLURM_JOB_NAME=sim",
        "SLURM_JOB_WORK_DIR=/home/alice", "SLURM_ARRAY_JOB_ID=40", "SLURM_ARRAY_TASK_ID=2",
        "SLURM_CLUSTER_NAME=test", "SLURMD_NODENAME=n1", "SLURM_CONF=/etc/slurm/slurm.conf"}) {
    EXPECT_THAT(env, Contains(std::string(entry)));
  }
  // No search path: scripts name their programs in full, as with Slurm.
  for (const std::string& e : env) EXPECT_FALSE(e.starts_with("PATH=")) << e;
}

TEST(PrologEnv, AnEpilogWithTheJobIdAloneLeavesTheRestOut) {
  PrologJobInfo info;
  info.job_id = 7;
  info.node_name = "n3";
  auto env = BuildPrologEnv(info, kEpilogContext);
  EXPECT_EQ(env, (std::vector<std::string>{"SLURM_SCRIPT_CONTEXT=epilog_slurmd", "SLURM_JOB_ID=7",
                                           "SLURM_JOBID=7", "SLURMD_NODENAME=n3"}));
  EXPECT_THAT(env, Not(Contains(std::string("SLURM_JOB_UID=0"))));
}

}  // namespace
}  // namespace drover::stepd
