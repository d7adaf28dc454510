#include "stepd/batch_env.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace drover::stepd {
namespace {

using ::testing::Contains;
using ::testing::Not;

BatchJobInfo TypicalJob() {
  BatchJobInfo job;
  job.job_id = 42;
  job.job_name = "train";
  job.user = "alice";
  job.uid = 1001;
  job.gid = 1001;
  job.nodes = "n[1-4]";
  job.num_nodes = 4;
  job.ntasks = 7;
  job.cpus_per_task = 2;
  job.tasks_per_node = {2, 2, 2, 1};
  job.cpus_per_node = {4, 4, 4, 2};
  job.mem_per_node_mb = 2048;
  job.submit_dir = "/home/alice/run";
  job.submit_host = "login1";
  job.partition = "debug";
  job.account = "physics";
  job.cluster = "drover";
  job.node_name = "n1";
  job.submit_env = {"HOME=/home/alice", "PATH=/usr/bin:/bin", "EDITOR=vi", "SLURM_UMASK=0022",
                    "SLURM_JOB_ID=999"};
  return job;
}

std::string Get(const std::vector<std::string>& env, std::string_view name) {
  auto v = EnvValue(env, name);
  return v ? std::string(*v) : std::string("<unset>");
}

TEST(CompressCountsTest, SlurmRunLengthForm) {
  EXPECT_EQ(CompressCounts(std::vector<uint32_t>{}), "");
  EXPECT_EQ(CompressCounts(std::vector<uint32_t>{1}), "1");
  EXPECT_EQ(CompressCounts(std::vector<uint32_t>{2, 2, 2, 1}), "2(x3),1");
  EXPECT_EQ(CompressCounts(std::vector<uint32_t>{4, 4}), "4(x2)");
  EXPECT_EQ(CompressCounts(std::vector<uint32_t>{1, 2, 2, 1, 1}), "1,2(x2),1(x2)");
}

TEST(ParseExportTest, Modes) {
  auto all = ParseExport("ALL");
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(all->mode, ExportSpec::Mode::kAll);
  EXPECT_TRUE(all->items.empty());
  EXPECT_EQ(ParseExport("none")->mode, ExportSpec::Mode::kNone);
  EXPECT_EQ(ParseExport("NIL")->mode, ExportSpec::Mode::kNone);
  auto all_plus = ParseExport("ALL,FOO=bar,BAZ");
  ASSERT_TRUE(all_plus.has_value());
  EXPECT_EQ(all_plus->mode, ExportSpec::Mode::kAll);
  EXPECT_EQ(all_plus->items, (std::vector<std::string>{"FOO=bar", "BAZ"}));
  auto list = ParseExport("FOO,BAR=a=b");
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(list->mode, ExportSpec::Mode::kList);
  EXPECT_EQ(list->items, (std::vector<std::string>{"FOO", "BAR=a=b"}));
  EXPECT_FALSE(ParseExport("FOO,,BAR").has_value());
  EXPECT_FALSE(ParseExport("=x").has_value());
  EXPECT_FALSE(ParseExport("").has_value());
  EXPECT_FALSE(ParseExport("NONE,FOO").has_value());
}

TEST(BuildBatchEnvTest, TypicalJobHasSlurmVariables) {
  auto env = BuildBatchEnv(TypicalJob());
  EXPECT_EQ(Get(env, "SLURM_JOB_ID"), "42");  // the submitter's stale value is replaced
  EXPECT_EQ(Get(env, "SLURM_JOBID"), "42");
  EXPECT_EQ(Get(env, "SLURM_JOB_NAME"), "train");
  EXPECT_EQ(Get(env, "SLURM_JOB_NODELIST"), "n[1-4]");
  EXPECT_EQ(Get(env, "SLURM_NODELIST"), "n[1-4]");
  EXPECT_EQ(Get(env, "SLURM_NNODES"), "4");
  EXPECT_EQ(Get(env, "SLURM_JOB_NUM_NODES"), "4");
  EXPECT_EQ(Get(env, "SLURM_NTASKS"), "7");
  EXPECT_EQ(Get(env, "SLURM_NPROCS"), "7");
  EXPECT_EQ(Get(env, "SLURM_CPUS_PER_TASK"), "2");
  EXPECT_EQ(Get(env, "SLURM_TASKS_PER_NODE"), "2(x3),1");
  EXPECT_EQ(Get(env, "SLURM_JOB_CPUS_PER_NODE"), "4(x3),2");
  EXPECT_EQ(Get(env, "SLURM_CPUS_ON_NODE"), "4");
  EXPECT_EQ(Get(env, "SLURM_MEM_PER_NODE"), "2048");
  EXPECT_EQ(Get(env, "SLURM_MEM_PER_CPU"), "<unset>");
  EXPECT_EQ(Get(env, "SLURM_SUBMIT_DIR"), "/home/alice/run");
  EXPECT_EQ(Get(env, "SLURM_SUBMIT_HOST"), "login1");
  EXPECT_EQ(Get(env, "SLURM_JOB_PARTITION"), "debug");
  EXPECT_EQ(Get(env, "SLURM_JOB_ACCOUNT"), "physics");
  EXPECT_EQ(Get(env, "SLURM_CLUSTER_NAME"), "drover");
  EXPECT_EQ(Get(env, "SLURMD_NODENAME"), "n1");
  EXPECT_EQ(Get(env, "SLURM_JOB_USER"), "alice");
  EXPECT_EQ(Get(env, "SLURM_JOB_UID"), "1001");
  EXPECT_EQ(Get(env, "SLURM_NODEID"), "0");
  EXPECT_EQ(Get(env, "SLURM_PROCID"), "0");
  EXPECT_EQ(Get(env, "SLURM_LOCALID"), "0");
  EXPECT_EQ(Get(env, "ENVIRONMENT"), "BATCH");
  EXPECT_EQ(Get(env, "HOSTNAME"), "n1");
  EXPECT_EQ(Get(env, "SLURM_ARRAY_JOB_ID"), "<unset>");
  EXPECT_EQ(Get(env, "SLURM_EXPORT_ENV"), "<unset>");
  // --export=ALL is the default: the submitter's environment comes along, in its order.
  EXPECT_EQ(Get(env, "EDITOR"), "vi");
  EXPECT_EQ(env[0], "HOME=/home/alice");
  EXPECT_EQ(env[1], "PATH=/usr/bin:/bin");
  // Each name once.
  std::set<std::string> names;
  for (const auto& e : env) EXPECT_TRUE(names.insert(e.substr(0, e.find('='))).second) << e;
}

TEST(BuildBatchEnvTest, NtasksAndCpusPerTaskOnlyWhenRequested) {
  auto job = TypicalJob();
  job.ntasks.reset();
  job.cpus_per_task.reset();
  job.mem_per_node_mb.reset();
  job.mem_per_cpu_mb = 512;
  auto env = BuildBatchEnv(job);
  EXPECT_EQ(Get(env, "SLURM_NTASKS"), "<unset>");
  EXPECT_EQ(Get(env, "SLURM_NPROCS"), "<unset>");
  EXPECT_EQ(Get(env, "SLURM_CPUS_PER_TASK"), "<unset>");
  EXPECT_EQ(Get(env, "SLURM_MEM_PER_CPU"), "512");
  EXPECT_EQ(Get(env, "SLURM_MEM_PER_NODE"), "<unset>");
  EXPECT_EQ(Get(env, "SLURM_TASKS_PER_NODE"), "2(x3),1");
}

TEST(BuildBatchEnvTest, ArrayTask) {
  auto job = TypicalJob();
  job.job_id = 107;
  job.array = ArrayTaskInfo{100, 7, 10, 0, 9, 1};
  auto env = BuildBatchEnv(job);
  EXPECT_EQ(Get(env, "SLURM_JOB_ID"), "107");
  EXPECT_EQ(Get(env, "SLURM_ARRAY_JOB_ID"), "100");
  EXPECT_EQ(Get(env, "SLURM_ARRAY_TASK_ID"), "7");
  EXPECT_EQ(Get(env, "SLURM_ARRAY_TASK_COUNT"), "10");
  EXPECT_EQ(Get(env, "SLURM_ARRAY_TASK_MIN"), "0");
  EXPECT_EQ(Get(env, "SLURM_ARRAY_TASK_MAX"), "9");
  EXPECT_EQ(Get(env, "SLURM_ARRAY_TASK_STEP"), "1");
}

TEST(BuildBatchEnvTest, ExportNoneKeepsOnlySlurmVariables) {
  auto job = TypicalJob();
  job.export_text = "NONE";
  job.export_spec = *ParseExport("NONE");
  auto env = BuildBatchEnv(job);
  EXPECT_EQ(Get(env, "HOME"), "<unset>");
  EXPECT_EQ(Get(env, "PATH"), "<unset>");
  EXPECT_EQ(Get(env, "EDITOR"), "<unset>");
  EXPECT_EQ(Get(env, "SLURM_UMASK"), "0022");  // the submitter's SLURM_* still come
  EXPECT_EQ(Get(env, "SLURM_JOB_ID"), "42");
  EXPECT_EQ(Get(env, "SLURM_TASKS_PER_NODE"), "2(x3),1");
  EXPECT_EQ(Get(env, "SLURM_EXPORT_ENV"), "NONE");
}

TEST(BuildBatchEnvTest, ExportListTakesNamedAndAssigned) {
  auto job = TypicalJob();
  job.export_text = "EDITOR,ARG1=test,MISSING";
  job.export_spec = *ParseExport(job.export_text);
  auto env = BuildBatchEnv(job);
  EXPECT_EQ(Get(env, "EDITOR"), "vi");
  EXPECT_EQ(Get(env, "ARG1"), "test");
  EXPECT_EQ(Get(env, "MISSING"), "<unset>");
  EXPECT_EQ(Get(env, "HOME"), "<unset>");
  EXPECT_EQ(Get(env, "PATH"), "<unset>");
  EXPECT_EQ(Get(env, "SLURM_UMASK"), "0022");
  EXPECT_EQ(Get(env, "SLURM_JOB_NAME"), "train");
  EXPECT_EQ(Get(env, "SLURM_EXPORT_ENV"), "EDITOR,ARG1=test,MISSING");
}

TEST(BuildBatchEnvTest, ExportAllPlusValuesOnlyFillGaps) {
  auto job = TypicalJob();
  job.export_text = "ALL,EDITOR=/bin/emacs,NEWVAR=1";
  job.export_spec = *ParseExport(job.export_text);
  auto env = BuildBatchEnv(job);
  EXPECT_EQ(Get(env, "EDITOR"), "vi");  // sbatch(1): the caller's value is inherited
  EXPECT_EQ(Get(env, "NEWVAR"), "1");
  EXPECT_EQ(Get(env, "HOME"), "/home/alice");
}

TEST(BuildBatchEnvTest, EmptyOptionalFieldsAreNotSet) {
  BatchJobInfo job;
  job.job_id = 1;
  job.nodes = "n1";
  job.num_nodes = 1;
  job.tasks_per_node = {1};
  job.cpus_per_node = {1};
  auto env = BuildBatchEnv(job);
  EXPECT_EQ(Get(env, "SLURM_JOB_ACCOUNT"), "<unset>");
  EXPECT_EQ(Get(env, "SLURM_JOB_PARTITION"), "<unset>");
  EXPECT_EQ(Get(env, "SLURM_CLUSTER_NAME"), "<unset>");
  EXPECT_EQ(Get(env, "SLURM_TASKS_PER_NODE"), "1");
  EXPECT_THAT(env, Not(Contains("SLURMD_NODENAME=")));
}

}  // namespace
}  // namespace drover::stepd
