#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "rpc/convert_cluster.h"
#include "rpc/convert_enums.h"
#include "rpc/convert_job.h"

namespace drover::rpc {
namespace {

// "kQosMaxBbMinutesPerJob" -> "QOS_MAX_BB_MINUTES_PER_JOB".
std::string UpperSnakeOfEnumerator(std::string_view e) {
  e.remove_prefix(1);
  std::string out;
  for (size_t i = 0; i < e.size(); ++i) {
    char c = e[i];
    if (c >= 'A' && c <= 'Z' && i > 0) out.push_back('_');
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

TEST(ConvertEnums, ProtoJobStateMatchesCoreRowForRow) {
  struct Row {
    std::string_view enumerator;
    JobState state;
  };
  const std::vector<Row> rows = {
#define DROVER_ROW(name, long_name, code) {#name, JobState::name},
      DROVER_JOB_STATES(DROVER_ROW)
#undef DROVER_ROW
  };
  const google::protobuf::EnumDescriptor* d = v1::JobState_descriptor();
  ASSERT_EQ(d->value_count(), static_cast<int>(rows.size()) + 1);  // + UNSPECIFIED
  for (const Row& row : rows) {
    const auto* v = d->FindValueByNumber(static_cast<int>(row.state) + 1);
    ASSERT_NE(v, nullptr) << row.enumerator;
    EXPECT_EQ(v->name(), "JOB_STATE_" + UpperSnakeOfEnumerator(row.enumerator));
    EXPECT_EQ(ToProto(row.state), v->number());
    EXPECT_EQ(FromProto(ToProto(row.state)).value(), row.state);
  }
  EXPECT_FALSE(FromProto(v1::JOB_STATE_UNSPECIFIED).has_value());
  EXPECT_FALSE(FromProto(static_cast<v1::JobState>(999)).has_value());
}

TEST(ConvertEnums, ProtoPendingReasonMatchesCoreRowForRow) {
  struct Row {
    std::string_view enumerator;
    PendingReason reason;
  };
  const std::vector<Row> rows = {
#define DROVER_ROW(name, text) {#name, PendingReason::name},
      DROVER_PENDING_REASONS(DROVER_ROW)
#undef DROVER_ROW
  };
  const google::protobuf::EnumDescriptor* d = v1::PendingReason_descriptor();
  ASSERT_EQ(d->value_count(), static_cast<int>(rows.size()) + 1);
  for (const Row& row : rows) {
    const auto* v = d->FindValueByNumber(static_cast<int>(row.reason) + 1);
    ASSERT_NE(v, nullptr) << row.enumerator;
    EXPECT_EQ(v->name(), "PENDING_REASON_" + UpperSnakeOfEnumerator(row.enumerator));
    EXPECT_EQ(FromProto(ToProto(row.reason)).value(), row.reason);
  }
  EXPECT_FALSE(FromProto(v1::PENDING_REASON_UNSPECIFIED).has_value());
}

v1::JobSpec SampleSpec() {
  v1::JobSpec p;
  p.set_name("train");
  p.add_partitions("debug");
  p.add_partitions("long");
  p.set_account("physics");
  p.set_qos("normal");
  p.set_time_limit_s(5400);
  p.set_min_nodes(2);
  p.set_max_nodes(4);
  p.set_num_tasks(8);
  p.set_cpus_per_task(2);
  p.set_mem_per_cpu_mb(512);
  p.set_node_list("n[1-2]");
  p.set_exclude_node_list("n9");
  p.set_sharing(v1::SHARING_MODE_EXCLUSIVE);
  p.set_hold(true);
  p.set_requeue(false);
  p.set_nice(10);
  p.set_work_dir("/home/alice");
  p.set_std_out("out-%j-%x.txt");
  p.set_open_mode(v1::OPEN_MODE_APPEND);
  p.add_environment("A=1");
  p.add_argv("x");
  p.mutable_signal()->set_signal(10);
  p.mutable_signal()->set_lead_time_s(60);
  p.mutable_signal()->set_batch_only(true);
  v1::Dependency* d = p.mutable_dependency()->add_items();
  d->set_type(v1::DEPENDENCY_TYPE_AFTER_OK);
  d->set_job_id(42);
  p.mutable_dependency()->add_items()->set_type(v1::DEPENDENCY_TYPE_SINGLETON);
  v1::GresRequest* g = p.add_gres();
  g->set_name("gpu");
  g->set_type("l40s");
  g->set_count(2);
  p.set_on_behalf_uid(0);  // never read by the conversion
  return p;
}

TEST(ConvertJob, SpecFromProtoKeepsEveryFieldCoreHas) {
  Result<JobSpec> r = JobSpecFromProto(SampleSpec(), "#!/bin/sh\ntrue\n");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  const JobSpec& s = *r;
  EXPECT_EQ(s.name, "train");
  EXPECT_EQ(s.partitions, (std::vector<std::string>{"debug", "long"}));
  EXPECT_EQ(s.account, "physics");
  EXPECT_EQ(s.time_limit, Duration::FromSeconds(5400));
  EXPECT_EQ(s.min_nodes, 2u);
  EXPECT_EQ(s.max_nodes, 4u);
  EXPECT_EQ(s.ntasks, 8u);
  EXPECT_EQ(s.cpus_per_task, 2u);
  EXPECT_EQ(s.mem_per_cpu_mb, 512u);
  EXPECT_FALSE(s.mem_per_node_mb.has_value());
  EXPECT_EQ(s.nodelist, "n[1-2]");
  EXPECT_EQ(s.exclude, "n9");
  EXPECT_TRUE(s.exclusive);
  EXPECT_TRUE(s.hold);
  EXPECT_EQ(s.requeue, false);
  EXPECT_EQ(s.nice, 10);
  EXPECT_EQ(s.open_mode, OpenMode::kAppend);
  EXPECT_EQ(s.signal, "B:10@60");
  EXPECT_EQ(s.dependency, "afterok:42,singleton");
  EXPECT_EQ(s.gres, "gpu:l40s:2");
  EXPECT_EQ(s.environment, std::vector<std::string>{"A=1"});
  EXPECT_EQ(s.script, "#!/bin/sh\ntrue\n");
  EXPECT_EQ(s.uid, 0u);  // identity is the caller's to fill
}

TEST(ConvertJob, SubmitContextAndRequestsSurviveTheRoundTrip) {
  v1::JobSpec p = SampleSpec();
  p.set_command("/home/alice/train.sh");
  p.set_alloc_node("login1");
  p.set_alloc_sid(4242);
  v1::GresRequest* nic = p.add_gres();
  nic->set_name("nic");
  nic->set_count(1);
  Result<JobSpec> r = JobSpecFromProto(p, "#!/bin/sh\ntrue\n");
  ASSERT_TRUE(r.has_value()) << r.error().ToString();
  EXPECT_TRUE(r->cpus_per_task_given);
  EXPECT_EQ(r->command, "/home/alice/train.sh");
  EXPECT_EQ(r->alloc_node, "login1");
  EXPECT_EQ(r->alloc_sid, 4242u);
  EXPECT_EQ(r->gres, "gpu:l40s:2,nic:1");

  Job j;
  j.id = 7;
  j.spec = std::make_shared<const JobSpec>(*r);
  v1::JobSpec back = JobSpecToProto(j);
  EXPECT_EQ(back.command(), "/home/alice/train.sh");
  EXPECT_EQ(back.alloc_node(), "login1");
  EXPECT_EQ(back.alloc_sid(), 4242u);
  ASSERT_EQ(back.gres_size(), 2);
  EXPECT_EQ(back.gres(0).name(), "gpu");
  EXPECT_EQ(back.gres(0).type(), "l40s");
  EXPECT_EQ(back.gres(0).count(), 2);
  EXPECT_EQ(back.gres(0).scope(), v1::TRES_SCOPE_PER_NODE);
  EXPECT_EQ(back.gres(1).name(), "nic");
  EXPECT_EQ(back.gres(1).type(), "");
  EXPECT_EQ(back.gres(1).count(), 1);
  EXPECT_EQ(back.signal().signal(), 10);
  EXPECT_EQ(back.signal().lead_time_s(), 60);
  EXPECT_TRUE(back.signal().batch_only());

  p.clear_cpus_per_task();
  r = JobSpecFromProto(p, "#!/bin/sh\ntrue\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->cpus_per_task_given);
  EXPECT_EQ(r->cpus_per_task, 1u);
}

TEST(ConvertJob, UnlimitedAndRefusals) {
  v1::JobSpec p;
  p.set_time_limit_s(-1);
  EXPECT_TRUE(JobSpecFromProto(p, "x")->time_limit->infinite());
  v1::JobSpec arr;
  v1::ArrayRange* range = arr.mutable_array()->add_ranges();
  range->set_last(12);
  range->set_step(4);
  arr.mutable_array()->set_max_running(2);
  Result<JobSpec> array = JobSpecFromProto(arr, "x");
  ASSERT_TRUE(array.has_value());
  EXPECT_EQ(array->array.count(), 4u);
  EXPECT_EQ(array->array.step(), 4u);
  EXPECT_EQ(array->array_max_running, 2u);
  arr.mutable_array()->mutable_ranges(0)->set_first(13);  // ends before it starts
  EXPECT_EQ(JobSpecFromProto(arr, "x").error().code(), ErrorCode::kInvalidArray);
  v1::JobSpec gpu;
  gpu.set_mem_per_gpu_mb(10);
  EXPECT_EQ(JobSpecFromProto(gpu, "x").error().code(), ErrorCode::kNotSupported);
  v1::JobSpec nodes;
  nodes.set_min_nodes(3);
  nodes.set_max_nodes(2);
  EXPECT_EQ(JobSpecFromProto(nodes, "x").error().code(), ErrorCode::kInvalidNodeCount);
}

Job RunningJob() {
  auto spec = std::make_shared<JobSpec>(JobSpecFromProto(SampleSpec(), "s").value());
  spec->uid = 1001;
  spec->gid = 100;
  spec->user_name = "alice";
  Job j;
  j.id = 7;
  j.spec = spec;
  j.state = JobState::kRunning;
  j.reason = PendingReason::kNone;
  j.priority = 5;
  j.partition = "debug";
  j.time_limit = Duration::FromSeconds(5400);
  j.name = "renamed";
  j.min_nodes = 2;
  j.nice = 10;
  j.submit_time = FromEpochSeconds(1000);
  j.eligible_time = FromEpochSeconds(1000);
  j.start_time = FromEpochSeconds(1100);
  NodeAllocation a;
  a.node = "n1";
  a.cpus = {0, 1, 2, 5};
  a.mem_mb = 2048;
  NodeAllocation b = a;
  b.node = "n2";
  j.alloc.nodes = {a, b};
  return j;
}

TEST(ConvertJob, JobInfoCarriesWhatSqueueAndScontrolPrint) {
  Job j = RunningJob();
  JobInfoContext ctx;
  ctx.now = FromEpochSeconds(1160);
  ctx.cluster_name = "c1";
  ctx.details = true;
  ctx.names.group = [](uint32_t gid) { return gid == 100 ? std::string("users") : ""; };
  ctx.node_address = [](const std::string& node, v1::NodeAllocation* out) {
    out->set_address("10.0.0." + node.substr(1));
  };
  v1::JobInfo info = JobInfoFromJob(j, ctx);
  EXPECT_EQ(info.job_id(), 7u);
  EXPECT_EQ(info.user().uid(), 1001u);
  EXPECT_EQ(info.user().name(), "alice");
  EXPECT_EQ(info.group().name(), "users");
  EXPECT_EQ(info.state(), v1::JOB_STATE_RUNNING);
  EXPECT_EQ(info.reason(), v1::PENDING_REASON_NONE);
  EXPECT_EQ(info.spec().name(), "renamed");
  EXPECT_EQ(info.spec().time_limit_s(), 5400);
  EXPECT_EQ(info.spec().partitions(0), "debug");
  EXPECT_EQ(info.spec().nice(), 10);
  EXPECT_EQ(info.partition(), "debug");
  EXPECT_EQ(info.cluster(), "c1");
  EXPECT_EQ(info.node_list(), "n[1-2]");
  EXPECT_EQ(info.batch_host(), "n1");
  EXPECT_EQ(info.num_nodes(), 2u);
  EXPECT_EQ(info.num_cpus(), 8u);
  EXPECT_EQ(info.num_tasks(), 8u);
  EXPECT_EQ(info.submit_time(), 1000);
  EXPECT_EQ(info.start_time(), 1100);
  EXPECT_EQ(info.end_time(), 1100 + 5400);
  EXPECT_EQ(info.run_time_s(), 60);
  ASSERT_EQ(info.alloc_tres().items_size(), 4);
  EXPECT_EQ(info.alloc_tres().items(1).type(), "mem");
  EXPECT_EQ(info.alloc_tres().items(1).count(), 4096);
  ASSERT_EQ(info.node_allocations_size(), 2);
  EXPECT_EQ(info.node_allocations(1).address(), "10.0.0.2");
  ASSERT_EQ(info.node_allocations(0).cpu_ids_size(), 2);  // 0-2,5
  EXPECT_EQ(info.node_allocations(0).cpu_ids(0).last(), 2u);
  EXPECT_EQ(info.std_out_path(), "/home/alice/out-7-renamed.txt");
  EXPECT_EQ(info.std_err_path(), info.std_out_path());
  EXPECT_EQ(info.std_in_path(), "/dev/null");
}

TEST(ConvertJob, PendingJobShowsRequestNotAllocation) {
  Job j = RunningJob();
  j.state = JobState::kPending;
  j.reason = PendingReason::kJobHeldUser;
  j.start_time = TimePoint{};
  j.alloc = {};
  v1::JobInfo info = JobInfoFromJob(j, JobInfoContext{});
  EXPECT_EQ(info.reason(), v1::PENDING_REASON_JOB_HELD_USER);
  EXPECT_EQ(info.node_list(), "");
  EXPECT_EQ(info.num_nodes(), 2u);
  EXPECT_EQ(info.num_cpus(), 16u);  // 8 tasks x 2 CPUs
  EXPECT_EQ(info.end_time(), 0);
  EXPECT_EQ(info.alloc_tres().items_size(), 0);
  EXPECT_EQ(info.req_tres().items(1).count(), 16 * 512);
}

// squeue --start: a job deferred by --begin expects to start when it becomes eligible.
TEST(ConvertJob, DeferredJobStartsAtItsEligibleTime) {
  Job j = RunningJob();
  j.state = JobState::kPending;
  j.reason = PendingReason::kBeginTime;
  j.start_time = TimePoint{};
  j.alloc = {};
  j.eligible_time = FromEpochSeconds(5000);
  JobInfoContext ctx;
  ctx.now = FromEpochSeconds(1200);
  EXPECT_EQ(JobInfoFromJob(j, ctx).start_time(), 5000);
  ctx.now = FromEpochSeconds(5000);  // eligible now: no longer deferred
  EXPECT_EQ(JobInfoFromJob(j, ctx).start_time(), 0);
  j.start_time = FromEpochSeconds(6000);  // a planned start wins
  ctx.now = FromEpochSeconds(1200);
  EXPECT_EQ(JobInfoFromJob(j, ctx).start_time(), 6000);
}

// The brief listing carries what squeue's everyday columns read, equal to the full one,
// and leaves out the costly rest.
TEST(ConvertJob, BriefKeepsTheEverydayColumns) {
  Job j = RunningJob();
  JobInfoContext full_ctx;
  full_ctx.names.group = [](uint32_t) { return std::string("users"); };
  JobInfoContext brief_ctx = full_ctx;
  brief_ctx.brief = true;
  v1::JobInfo full = JobInfoFromJob(j, full_ctx);
  v1::JobInfo brief = JobInfoFromJob(j, brief_ctx);
  for (const v1::JobInfo* info : {&full, &brief}) {
    EXPECT_EQ(info->spec().name(), full.spec().name());
    EXPECT_EQ(info->spec().account(), full.spec().account());
    EXPECT_EQ(info->spec().qos(), full.spec().qos());
    EXPECT_EQ(info->spec().time_limit_s(), full.spec().time_limit_s());
    EXPECT_EQ(info->spec().nice(), full.spec().nice());
  }
  EXPECT_EQ(brief.job_id(), full.job_id());
  EXPECT_EQ(brief.user().name(), full.user().name());
  EXPECT_EQ(brief.state(), full.state());
  EXPECT_EQ(brief.partition(), full.partition());
  EXPECT_EQ(brief.node_list(), full.node_list());
  EXPECT_EQ(brief.num_nodes(), full.num_nodes());
  EXPECT_EQ(brief.num_cpus(), full.num_cpus());
  EXPECT_EQ(brief.start_time(), full.start_time());
  EXPECT_EQ(brief.end_time(), full.end_time());
  EXPECT_EQ(brief.priority(), full.priority());
  EXPECT_EQ(brief.batch_host(), full.batch_host());
  EXPECT_GT(full.req_tres().items_size(), 0);
  EXPECT_EQ(brief.req_tres().items_size(), 0);
  EXPECT_EQ(brief.alloc_tres().items_size(), 0);
  EXPECT_EQ(brief.std_out_path(), "");
  EXPECT_EQ(brief.group().name(), "");
  EXPECT_LT(brief.ByteSizeLong() * 2, full.ByteSizeLong());
}

TEST(ConvertCluster, NodeStatesAndResources) {
  Node n;
  n.name = "n1";
  n.addr = "127.0.0.1";
  n.port = 17001;
  n.res.cpus = 4;
  n.res.real_memory_mb = 1000;
  n.res.features = {"fast"};
  n.base = NodeBaseState::kIdle;
  NodeInfoContext ctx;
  ctx.hostname = "vm";
  ctx.partitions = {"debug"};
  v1::NodeInfo info = NodeInfoFromNode(n, ctx);
  EXPECT_EQ(info.state(), v1::NODE_STATE_IDLE);
  EXPECT_EQ(info.state_flags_size(), 0);
  EXPECT_EQ(info.hostname(), "vm");
  EXPECT_EQ(info.port(), 17001u);
  EXPECT_EQ(info.config().cpus(), 4u);
  EXPECT_EQ(info.partitions(0), "debug");
  EXPECT_EQ(info.active_features(0), "fast");

  n.alloc_cpus = 2;
  n.running_jobs = 1;
  n.drain = true;
  n.reason = "bad disk";
  n.reason_uid = 0;
  ctx.names.user = [](uint32_t) { return std::string("root"); };
  info = NodeInfoFromNode(n, ctx);
  EXPECT_EQ(info.state(), v1::NODE_STATE_MIXED);
  ASSERT_EQ(info.state_flags_size(), 1);
  EXPECT_EQ(info.state_flags(0), v1::NODE_STATE_FLAG_DRAIN);
  EXPECT_EQ(info.reason(), "bad disk");
  EXPECT_EQ(info.reason_user().name(), "root");
  n.alloc_cpus = 4;
  n.not_responding = true;
  info = NodeInfoFromNode(n, ctx);
  EXPECT_EQ(info.state(), v1::NODE_STATE_ALLOCATED);
  EXPECT_EQ(info.state_flags_size(), 2);
  n.base = NodeBaseState::kDown;
  EXPECT_EQ(NodeStateToProto(n), v1::NODE_STATE_DOWN);
}

TEST(ConvertCluster, PartitionTotalsAndLimits) {
  Partition p;
  p.name = "debug";
  p.is_default = true;
  p.nodes_text = "n[1-2]";
  p.max_time = Duration::FromSeconds(600);
  p.max_nodes = 2;
  Node a, b;
  a.res.cpus = 4;
  b.res.cpus = 8;
  v1::PartitionInfo info = PartitionInfoFromPartition(p, {&a, &b});
  EXPECT_EQ(info.state(), v1::PARTITION_STATE_UP);
  EXPECT_TRUE(info.is_default());
  EXPECT_EQ(info.total_nodes(), 2u);
  EXPECT_EQ(info.total_cpus(), 12u);
  EXPECT_EQ(info.max_time_s(), 600);
  EXPECT_EQ(info.max_nodes(), 2);
  EXPECT_FALSE(info.has_default_time_s());
  p.max_time = Duration::Infinite();
  EXPECT_EQ(PartitionInfoFromPartition(p, {}).max_time_s(), -1);
}

}  // namespace
}  // namespace drover::rpc
