#include "stepd/task_env.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "stepd/batch_env.h"
#include "stepd/output_pattern.h"

namespace drover::stepd {
namespace {

StepTaskInfo TwoNodeStep() {
  StepTaskInfo info;
  info.job_id = 42;
  info.step_id = 3;
  info.node_name = "n2";
  info.node_index = 1;
  info.step_node_list = "n[1-3]";
  info.step_num_tasks = 7;
  info.step_tasks_per_node = {3, 3, 1};
  info.local_ranks = {3, 4, 5};
  info.job_node_list = "n[1-4]";
  info.cpus_on_node = 4;
  return info;
}

TEST(TaskEnvTest, PerTaskAndStepVariables) {
  std::vector<std::string> srun_env = {"PATH=/bin", "SLURM_PROCID=99", "HOME=/home/a",
                                       "SLURM_LAUNCH_NODE_IPADDR=10.0.0.9"};
  auto env = BuildTaskEnv(srun_env, TwoNodeStep(), 1);
  EXPECT_EQ(EnvValue(env, "SLURM_PROCID"), "4");
  EXPECT_EQ(EnvValue(env, "SLURM_LOCALID"), "1");
  EXPECT_EQ(EnvValue(env, "SLURM_NODEID"), "1");
  EXPECT_EQ(EnvValue(env, "SLURMD_NODENAME"), "n2");
  EXPECT_EQ(EnvValue(env, "SLURM_STEP_ID"), "3");
  EXPECT_EQ(EnvValue(env, "SLURM_STEPID"), "3");
  EXPECT_EQ(EnvValue(env, "SLURM_STEP_NODELIST"), "n[1-3]");
  EXPECT_EQ(EnvValue(env, "SLURM_STEP_NUM_NODES"), "3");
  EXPECT_EQ(EnvValue(env, "SLURM_STEP_NUM_TASKS"), "7");
  EXPECT_EQ(EnvValue(env, "SLURM_STEP_TASKS_PER_NODE"), "3(x2),1");
  EXPECT_EQ(EnvValue(env, "SLURM_JOB_ID"), "42");
  EXPECT_EQ(EnvValue(env, "SLURM_JOBID"), "42");
  EXPECT_EQ(EnvValue(env, "SLURM_JOB_NODELIST"), "n[1-4]");
  EXPECT_EQ(EnvValue(env, "SLURM_CPUS_ON_NODE"), "4");
  EXPECT_EQ(EnvValue(env, "SLURM_GTIDS"), "3,4,5");
  EXPECT_EQ(EnvValue(env, "SLURM_LAUNCH_NODE_IPADDR"), "10.0.0.9");
  // srun's variables keep their places; a replaced one stays where srun had it.
  ASSERT_GE(env.size(), 4u);
  EXPECT_EQ(env[0], "PATH=/bin");
  EXPECT_EQ(env[1], "SLURM_PROCID=4");
  EXPECT_EQ(env[2], "HOME=/home/a");
  EXPECT_EQ(std::count_if(env.begin(), env.end(),
                          [](const std::string& e) { return e.starts_with("SLURM_PROCID="); }),
            1);
}

TEST(TaskEnvTest, KeepsSrunsValuesWhereTheNodeKnowsNothingBetter) {
  StepTaskInfo info = TwoNodeStep();
  info.job_node_list.clear();
  info.cpus_on_node = 0;
  auto env =
      BuildTaskEnv({{"SLURM_JOB_NODELIST=n[1-9]", "SLURM_CPUS_ON_NODE=8", "NOEQUALS"}}, info, 0);
  EXPECT_EQ(EnvValue(env, "SLURM_JOB_NODELIST"), "n[1-9]");
  EXPECT_EQ(EnvValue(env, "SLURM_CPUS_ON_NODE"), "8");
  EXPECT_EQ(EnvValue(env, "SLURM_PROCID"), "3");
  EXPECT_THAT(env, ::testing::Not(::testing::Contains("NOEQUALS")));
}

TEST(TaskEnvTest, StepOutputPatterns) {
  PatternContext ctx;
  ctx.job_id = 42;
  ctx.step_id = 3;
  ctx.node_name = "n2";
  ctx.node_index = 1;
  ctx.task_id = 5;
  ctx.user = "alice";
  ctx.job_name = "sim";
  EXPECT_EQ(ExpandOutputPattern("%x-%j.%s-%N-%n-%t-%u-%J-%3t%%", ctx),
            "sim-42.3-n2-1-5-alice-42.3-005%");
  EXPECT_EQ(ResolveOutputPath("out-%t.txt", ctx, "/work"), "/work/out-5.txt");
}

}  // namespace
}  // namespace drover::stepd
