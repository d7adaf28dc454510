// The controller's gRPC services end to end in one process: the real server on
// 127.0.0.1:0, a Controller over a memory state store and a fake node transport, a
// private munged, and generated stubs calling with MUNGE credentials. Credentials of
// other uids come from `munge` run under setpriv (the test runs as root).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "auth/step_credential.h"
#include "ctld/service/ctld_server.h"
#include "drover/v1/controller.grpc.pb.h"
#include "drover/v1/node.grpc.pb.h"
#include "rpc/auth_client.h"
#include "rpc/auth_metadata.h"
#include "rpc/status.h"
#include "storage/state_store.h"
#include "testing/fake_node_transport.h"
#include "testing/in_process_cluster.h"
#include "testing/munge_daemon.h"

namespace drover::ctld::service {
namespace {

constexpr char kConf[] = R"(ClusterName=svc
SlurmctldHost=ctl
SlurmUser=root
SlurmdTimeout=300
ReturnToService=1
FirstJobId=100
NodeName=n[1-2] CPUs=4 RealMemory=1000
PartitionName=debug Nodes=n[1-2] Default=YES MaxTime=60 State=UP
)";

constexpr uint32_t kAlice = 65534;  // nobody
constexpr uint32_t kBob = 65533;

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to make other uids' credentials";
    auto munged = testing::MungeDaemon::Start();
    ASSERT_TRUE(munged.has_value()) << munged.error().ToString();
    munged_ = std::move(*munged);
    auto conf = testing::ParseTestConfig(kConf);
    ASSERT_TRUE(conf.has_value()) << conf.error().ToString();
    store_ = storage::NewMemoryStateStore();
    ControllerOptions copts;
    copts.config = *conf;
    copts.store = store_.get();
    copts.transport = &transport_;
    copts.clock = &clock_;
    auto controller = Controller::Create(copts);
    ASSERT_TRUE(controller.has_value()) << controller.error().ToString();
    controller_ = std::move(*controller);

    ServiceOptions sopts;
    sopts.controller = controller_.get();
    sopts.munge = auth::Munge(munged_->socket_path());
    sopts.clock = &clock_;
    sopts.boot_time = clock_.Now();
    sopts.controller_epoch = 7;
    auto server = CtldServer::Start("127.0.0.1:0", sopts);
    ASSERT_TRUE(server.has_value()) << server.error().ToString();
    server_ = std::move(*server);
    target_ = "127.0.0.1:" + std::to_string(server_->port());
    auto root_channel = rpc::CreateAuthenticatedChannel(target_, sopts.munge);
    root_ = v1::Controller::NewStub(root_channel);
    root_registry_ = v1::NodeRegistry::NewStub(root_channel);
    bare_channel_ = grpc::CreateChannel(target_, grpc::InsecureChannelCredentials());
  }

  void TearDown() override {
    if (server_) server_->Shutdown();
    controller_.reset();
  }

  // A credential encoded by `uid` (munge run as that user), for one call.
  std::string CredentialOf(uint32_t uid) {
    std::string cmd = "setpriv --reuid=" + std::to_string(uid) + " --regid=" + std::to_string(uid) +
                      " --clear-groups munge -n -S " + munged_->socket_path();
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[512];
    while (p != nullptr && fgets(buf, sizeof(buf), p) != nullptr) out += buf;
    if (p != nullptr) pclose(p);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
  }

  std::unique_ptr<grpc::ClientContext> ContextAs(uint32_t uid) {
    auto context = std::make_unique<grpc::ClientContext>();
    context->AddMetadata(rpc::kMungeMetadataKey, CredentialOf(uid));
    return context;
  }

  void RegisterNodes() {
    for (const char* name : {"n1", "n2"}) {
      grpc::ClientContext context;
      v1::RegisterNodeRequest req;
      req.set_node_name(name);
      v1::RegisterNodeResponse resp;
      grpc::Status s = root_registry_->Register(&context, req, &resp);
      ASSERT_TRUE(s.ok()) << s.error_message();
      EXPECT_EQ(resp.state(), v1::NODE_STATE_IDLE);
      EXPECT_EQ(resp.cluster_name(), "svc");
      EXPECT_EQ(resp.controller_epoch(), 7u);
    }
  }

  v1::SubmitBatchJobRequest MakeJob(const std::string& name) {
    v1::SubmitBatchJobRequest req;
    req.mutable_spec()->set_name(name);
    req.mutable_spec()->set_work_dir("/tmp");
    req.mutable_spec()->set_time_limit_s(600);
    req.set_script("#!/bin/sh\ntrue\n");
    return req;
  }

  std::vector<v1::JobInfo> ListAll() {
    grpc::ClientContext context;
    v1::ListJobsRequest req;
    req.mutable_filter()->set_all_states(true);
    auto reader = root_->ListJobs(&context, req);
    std::vector<v1::JobInfo> jobs;
    v1::ListJobsResponse chunk;
    while (reader->Read(&chunk)) jobs.insert(jobs.end(), chunk.jobs().begin(), chunk.jobs().end());
    EXPECT_TRUE(reader->Finish().ok());
    return jobs;
  }

  SystemClock clock_;
  testing::FakeNodeTransport transport_;
  std::unique_ptr<testing::MungeDaemon> munged_;
  std::unique_ptr<storage::StateStore> store_;
  std::unique_ptr<Controller> controller_;
  std::unique_ptr<CtldServer> server_;
  std::string target_;
  std::unique_ptr<v1::Controller::Stub> root_;
  std::unique_ptr<v1::NodeRegistry::Stub> root_registry_;
  std::shared_ptr<grpc::Channel> bare_channel_;
};

TEST_F(ServiceTest, SubmitTakesTheUidFromTheCredentialAndListShowsIt) {
  RegisterNodes();
  auto stub = v1::Controller::NewStub(bare_channel_);
  v1::SubmitBatchJobResponse resp;
  grpc::Status s = stub->SubmitBatchJob(ContextAs(kAlice).get(), MakeJob("mine"), &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.job_id(), 100u);
  EXPECT_EQ(transport_.CountOf(testing::NodeRequest::Kind::kLaunch, 100), 1u);

  std::vector<v1::JobInfo> jobs = ListAll();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].user().uid(), kAlice);
  EXPECT_EQ(jobs[0].user().name(), "nobody");
  EXPECT_EQ(jobs[0].state(), v1::JOB_STATE_RUNNING);
  EXPECT_EQ(jobs[0].spec().name(), "mine");
  EXPECT_FALSE(jobs[0].node_list().empty());
  EXPECT_EQ(jobs[0].cluster(), "svc");

  // Filters: by uid, by state, by node.
  grpc::ClientContext context;
  v1::ListJobsRequest req;
  req.mutable_filter()->add_uids(kBob);
  auto reader = root_->ListJobs(&context, req);
  v1::ListJobsResponse chunk;
  ASSERT_TRUE(reader->Read(&chunk));
  EXPECT_EQ(chunk.jobs_size(), 0);
  EXPECT_GT(chunk.snapshot_time(), 0);
  while (reader->Read(&chunk)) {
  }
  EXPECT_TRUE(reader->Finish().ok());
}

TEST_F(ServiceTest, OnBehalfOfAnotherUserNeedsPrivilege) {
  auto stub = v1::Controller::NewStub(bare_channel_);
  v1::SubmitBatchJobRequest req = MakeJob("sneaky");
  req.mutable_spec()->set_on_behalf_uid(0);
  req.mutable_spec()->set_on_behalf_gid(0);
  v1::SubmitBatchJobResponse resp;
  grpc::Status s = stub->SubmitBatchJob(ContextAs(kAlice).get(), req, &resp);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(rpc::FromGrpcStatus(s).code(), ErrorCode::kAccessDenied);
}

TEST_F(ServiceTest, AnotherUidCannotCancelButTheOwnerCan) {
  RegisterNodes();
  auto stub = v1::Controller::NewStub(bare_channel_);
  v1::SubmitBatchJobResponse submitted;
  ASSERT_TRUE(stub->SubmitBatchJob(ContextAs(kAlice).get(), MakeJob("a"), &submitted).ok());

  v1::CancelJobsRequest cancel;
  cancel.add_jobs()->set_job_id(submitted.job_id());
  v1::JobActionResponse resp;
  ASSERT_TRUE(stub->CancelJobs(ContextAs(kBob).get(), cancel, &resp).ok());
  ASSERT_EQ(resp.results_size(), 1);
  ASSERT_TRUE(resp.results(0).has_error());
  EXPECT_EQ(rpc::FromProto(resp.results(0).error()).code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(ListAll()[0].state(), v1::JOB_STATE_RUNNING);

  resp.Clear();
  ASSERT_TRUE(stub->CancelJobs(ContextAs(kAlice).get(), cancel, &resp).ok());
  ASSERT_EQ(resp.results_size(), 1);
  EXPECT_FALSE(resp.results(0).has_error()) << resp.results(0).error().message();
  EXPECT_NE(ListAll()[0].state(), v1::JOB_STATE_RUNNING);

  // Unknown ids are reported per job; no ids and no filter is refused as a whole.
  cancel.mutable_jobs(0)->set_job_id(999);
  resp.Clear();
  grpc::ClientContext c1;
  ASSERT_TRUE(root_->CancelJobs(&c1, cancel, &resp).ok());
  EXPECT_EQ(rpc::FromProto(resp.results(0).error()).code(), ErrorCode::kInvalidJobId);
  grpc::ClientContext c2;
  EXPECT_EQ(root_->CancelJobs(&c2, v1::CancelJobsRequest(), &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ServiceTest, CallsWithoutACredentialAreRefused) {
  auto stub = v1::Controller::NewStub(bare_channel_);
  grpc::ClientContext context;
  v1::SubmitBatchJobResponse resp;
  grpc::Status s = stub->SubmitBatchJob(&context, MakeJob("x"), &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(rpc::FromGrpcStatus(s).code(), ErrorCode::kAuthCredInvalid);
  auto registry = v1::NodeRegistry::NewStub(bare_channel_);
  grpc::ClientContext c2;
  v1::HeartbeatRequest hb;
  hb.set_node_name("n1");
  v1::HeartbeatResponse hb_resp;
  EXPECT_EQ(registry->Heartbeat(&c2, hb, &hb_resp).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(ServiceTest, NodeRegistryIsForRootAndSlurmUserOnly) {
  auto registry = v1::NodeRegistry::NewStub(bare_channel_);
  v1::RegisterNodeRequest req;
  req.set_node_name("n1");
  v1::RegisterNodeResponse resp;
  grpc::Status s = registry->Register(ContextAs(kAlice).get(), req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  RegisterNodes();
  grpc::ClientContext context;
  v1::HeartbeatRequest hb;
  hb.set_node_name("n1");
  v1::HeartbeatResponse hb_resp;
  ASSERT_TRUE(root_registry_->Heartbeat(&context, hb, &hb_resp).ok());
  EXPECT_FALSE(hb_resp.reregister());
}

TEST_F(ServiceTest, JobCompleteFromTheNodeEndsTheJob) {
  RegisterNodes();
  v1::SubmitBatchJobResponse submitted;
  grpc::ClientContext c1;
  ASSERT_TRUE(root_->SubmitBatchJob(&c1, MakeJob("done"), &submitted).ok());
  grpc::ClientContext c2;
  v1::JobCompleteRequest req;
  req.set_job_id(submitted.job_id());
  req.set_node_name("n1");
  req.mutable_exit_code()->set_status(3);
  v1::JobCompleteResponse resp;
  ASSERT_TRUE(root_registry_->JobComplete(&c2, req, &resp).ok());
  v1::JobInfo job = ListAll()[0];
  EXPECT_EQ(job.exit_code().status(), 3);
  // The node has not confirmed the job's processes are gone yet.
  EXPECT_EQ(job.state(), v1::JOB_STATE_COMPLETING);
  grpc::ClientContext c3;
  v1::EpilogCompleteRequest epilog;
  epilog.set_job_id(submitted.job_id());
  epilog.set_node_name("n1");
  v1::EpilogCompleteResponse epilog_resp;
  auto bare_registry = v1::NodeRegistry::NewStub(bare_channel_);
  grpc::Status denied =
      bare_registry->EpilogComplete(ContextAs(kAlice).get(), epilog, &epilog_resp);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ListAll()[0].state(), v1::JOB_STATE_COMPLETING);
  ASSERT_TRUE(root_registry_->EpilogComplete(&c3, epilog, &epilog_resp).ok());
  EXPECT_EQ(ListAll()[0].state(), v1::JOB_STATE_FAILED);
}

TEST_F(ServiceTest, UnkillableProcessesReportedByTheNodeDrainIt) {
  RegisterNodes();
  v1::SubmitBatchJobResponse submitted;
  grpc::ClientContext c1;
  ASSERT_TRUE(root_->SubmitBatchJob(&c1, MakeJob("stuck"), &submitted).ok());
  grpc::ClientContext c2;
  v1::JobCompleteRequest req;
  req.set_job_id(submitted.job_id());
  req.set_node_name("n1");
  req.mutable_exit_code()->set_signal(9);
  req.set_state(v1::JOB_STATE_TIMEOUT);
  req.set_unkillable(true);
  v1::JobCompleteResponse resp;
  ASSERT_TRUE(root_registry_->JobComplete(&c2, req, &resp).ok());
  v1::JobInfo job = ListAll()[0];
  EXPECT_EQ(job.state(), v1::JOB_STATE_COMPLETING);
  EXPECT_EQ(job.reason(), v1::PENDING_REASON_TIME_LIMIT);  // as the node saw it end
  std::shared_ptr<const Node> n1 = controller_->Snapshot()->FindNode("n1");
  ASSERT_TRUE(n1);
  EXPECT_TRUE(n1->drain);
  EXPECT_EQ(n1->reason, "Kill task failed");
}

TEST_F(ServiceTest, ErrorsKeepCodeAndMessage) {
  v1::SubmitBatchJobRequest req = MakeJob("x");
  req.mutable_spec()->add_partitions("nosuchpart");
  grpc::ClientContext context;
  v1::SubmitBatchJobResponse resp;
  grpc::Status s = root_->SubmitBatchJob(&context, req, &resp);
  ASSERT_FALSE(s.ok());
  Error e = rpc::FromGrpcStatus(s);
  EXPECT_EQ(e.code(), ErrorCode::kInvalidPartitionName);
  // Message and context arrive as the engine made them (today: the standard text, and
  // the partition in the context).
  EXPECT_TRUE(e.message().find("nosuchpart") != std::string::npos || e.context() == "nosuchpart")
      << e.ToString();

  grpc::ClientContext c2;
  v1::TestJobResponse test_resp;
  grpc::Status t = root_->TestJob(&c2, v1::TestJobRequest(), &test_resp);
  EXPECT_EQ(t.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_EQ(rpc::FromGrpcStatus(t).code(), ErrorCode::kNotSupported);
}

TEST_F(ServiceTest, UpdateNodesDrainsForRootOnly) {
  RegisterNodes();
  v1::UpdateNodesRequest req;
  req.add_node_names("n2");
  req.set_state(v1::NODE_UPDATE_STATE_DRAIN);
  req.set_reason("bad disk");
  auto stub = v1::Controller::NewStub(bare_channel_);
  v1::UpdateNodesResponse resp;
  grpc::Status denied = stub->UpdateNodes(ContextAs(kAlice).get(), req, &resp);
  EXPECT_FALSE(denied.ok());
  grpc::ClientContext context;
  grpc::Status s = root_->UpdateNodes(&context, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();

  grpc::ClientContext c2;
  v1::ListNodesRequest list;
  list.add_node_names("n[2-3]");
  auto reader = root_->ListNodes(&c2, list);
  std::vector<v1::NodeInfo> nodes;
  v1::ListNodesResponse chunk;
  while (reader->Read(&chunk))
    nodes.insert(nodes.end(), chunk.nodes().begin(), chunk.nodes().end());
  ASSERT_TRUE(reader->Finish().ok());
  ASSERT_EQ(nodes.size(), 1u);
  EXPECT_EQ(nodes[0].name(), "n2");
  ASSERT_EQ(nodes[0].state_flags_size(), 1);
  EXPECT_EQ(nodes[0].state_flags(0), v1::NODE_STATE_FLAG_DRAIN);
  EXPECT_EQ(nodes[0].reason(), "bad disk");
  EXPECT_EQ(nodes[0].partitions(0), "debug");

  grpc::ClientContext c3;
  v1::ListPartitionsResponse parts;
  ASSERT_TRUE(root_->ListPartitions(&c3, v1::ListPartitionsRequest(), &parts).ok());
  ASSERT_EQ(parts.partitions_size(), 1);
  EXPECT_EQ(parts.partitions(0).total_cpus(), 8u);

  grpc::ClientContext c4;
  v1::GetConfigResponse config;
  ASSERT_TRUE(root_->GetConfig(&c4, v1::GetConfigRequest(), &config).ok());
  EXPECT_EQ(config.cluster_name(), "svc");
  bool found = false;
  for (const v1::ConfigEntry& e : config.entries())
    found = found || (e.key() == "ClusterName" && e.value() == "svc");
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace drover::ctld::service

namespace drover::ctld::service {
namespace {

std::vector<v1::JobPriority> ListPriorities(v1::Controller::Stub& stub,
                                            const v1::ListPrioritiesRequest& req,
                                            v1::ListPrioritiesResponse* first) {
  grpc::ClientContext context;
  auto reader = stub.ListPriorities(&context, req);
  std::vector<v1::JobPriority> jobs;
  v1::ListPrioritiesResponse chunk;
  bool got_first = false;
  while (reader->Read(&chunk)) {
    if (!got_first) *first = chunk;
    got_first = true;
    jobs.insert(jobs.end(), chunk.jobs().begin(), chunk.jobs().end());
  }
  grpc::Status s = reader->Finish();
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(got_first);
  return jobs;
}

TEST_F(ServiceTest, ListPrioritiesExplainsMultifactorFromTheSnapshot) {
  // No node has registered: every job pends.
  v1::SubmitBatchJobResponse resp;
  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext context;
    ASSERT_TRUE(root_->SubmitBatchJob(&context, MakeJob("p"), &resp).ok());
  }
  v1::ListPrioritiesResponse first;
  // The default: multifactor with no weight set; the priority is the FIFO number.
  std::vector<v1::JobPriority> jobs = ListPriorities(*root_, {}, &first);
  EXPECT_EQ(first.priority_type(), "priority/multifactor");
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_GT(jobs[0].priority(), jobs[1].priority());
  EXPECT_EQ(jobs[0].weighted().job_size(), 0);

  // priority/basic has no factors to show.
  Identity root;
  auto basic = testing::ParseTestConfig(std::string(kConf) + "PriorityType=priority/basic\n");
  ASSERT_TRUE(basic.has_value()) << basic.error().ToString();
  ASSERT_TRUE(controller_->Reconfigure(*basic, root).has_value());
  EXPECT_TRUE(ListPriorities(*root_, {}, &first).empty());
  EXPECT_EQ(first.priority_type(), "priority/basic");

  auto conf = testing::ParseTestConfig(std::string(kConf) +
                                       "PriorityType=priority/multifactor\n"
                                       "PriorityWeightJobSize=1000\n"
                                       "PriorityWeightPartition=500\n"
                                       "PriorityWeightTRES=CPU=800\n");
  ASSERT_TRUE(conf.has_value()) << conf.error().ToString();
  ASSERT_TRUE(controller_->Reconfigure(*conf, root).has_value());

  jobs = ListPriorities(*root_, {}, &first);
  EXPECT_EQ(first.priority_type(), "priority/multifactor");
  EXPECT_EQ(first.weights().job_size(), 1000u);
  EXPECT_EQ(first.weights().partition(), 500u);
  EXPECT_EQ(first.weights().age(), 0u);
  ASSERT_EQ(first.weights().tres_size(), 1);
  EXPECT_EQ(first.weights().tres(0).tres(), "cpu");
  EXPECT_EQ(first.weights().tres(0).value(), 800);
  ASSERT_EQ(jobs.size(), 2u);
  const v1::JobPriority& j = jobs[0];
  EXPECT_EQ(j.job_id(), 100u);
  EXPECT_EQ(j.partition(), "debug");
  EXPECT_EQ(j.user().uid(), 0u);
  // One CPU of the cluster's 8: job size 1/8; the only partition: factor 1; TRES 1/8.
  EXPECT_DOUBLE_EQ(j.normalized().job_size(), 0.125);
  EXPECT_DOUBLE_EQ(j.weighted().job_size(), 125);
  EXPECT_DOUBLE_EQ(j.normalized().partition(), 1);
  EXPECT_DOUBLE_EQ(j.weighted().partition(), 500);
  ASSERT_EQ(j.weighted().tres_size(), 1);
  EXPECT_DOUBLE_EQ(j.weighted().tres(0).value(), 100);
  EXPECT_DOUBLE_EQ(j.normalized().tres(0).value(), 0.125);
  EXPECT_EQ(j.priority(), 725u);

  // Filters go through the job filter.
  v1::ListPrioritiesRequest req;
  req.mutable_filter()->add_jobs()->set_job_id(101);
  jobs = ListPriorities(*root_, req, &first);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].job_id(), 101u);
  req.mutable_filter()->add_partitions("nosuch");
  EXPECT_TRUE(ListPriorities(*root_, req, &first).empty());
  EXPECT_EQ(first.weights().job_size(), 1000u);  // weights come even with no jobs
}


TEST_F(ServiceTest, AllocateJobGrantsStepsAndEndsWithItsClient) {
  RegisterNodes();
  v1::AllocateJobRequest req;
  req.mutable_spec()->set_name("sh");
  req.mutable_spec()->set_min_nodes(2);
  req.mutable_spec()->set_num_tasks(2);
  req.mutable_spec()->set_time_limit_s(600);
  auto context = ContextAs(kAlice);
  auto reader = root_->AllocateJob(context.get(), req);
  v1::JobEvent event;
  ASSERT_TRUE(reader->Read(&event));
  ASSERT_TRUE(event.has_granted()) << event.DebugString();
  const uint32_t job = event.job_id();
  EXPECT_EQ(event.granted().node_list(), "n[1-2]");
  EXPECT_EQ(event.granted().nodes_size(), 2);
  EXPECT_EQ(event.granted().time_limit_s(), 600);
  EXPECT_EQ(transport_.CountOf(testing::NodeRequest::Kind::kLaunch, job), 0u);

  {  // srun inside it: the allocation, then a step with a credential the nodes accept.
    v1::GetJobAllocationRequest get;
    get.set_job_id(job);
    v1::JobAllocation alloc;
    ASSERT_TRUE(root_->GetJobAllocation(ContextAs(kAlice).get(), get, &alloc).ok());
    EXPECT_EQ(alloc.node_list(), "n[1-2]");
    EXPECT_FALSE(root_->GetJobAllocation(ContextAs(kBob).get(), get, &alloc).ok());

    v1::CreateStepRequest step;
    step.set_job_id(job);
    step.mutable_spec()->set_num_tasks(2);
    step.mutable_spec()->set_command("hostname");
    v1::CreateStepResponse created;
    grpc::Status s = root_->CreateStep(ContextAs(kAlice).get(), step, &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(created.step_id().step_id(), 0u);
    ASSERT_EQ(created.layout().nodes_size(), 2);
    EXPECT_EQ(created.layout().nodes(1).task_ids(0), 1u);
    auto payload = auth::VerifyStepCredential(auth::Munge(munged_->socket_path()),
                                              created.credential(), 0, clock_.Now());
    ASSERT_TRUE(payload.has_value()) << payload.error().ToString();
    EXPECT_EQ(payload->user().uid(), kAlice);
    EXPECT_EQ(payload->job().job_id(), job);
    EXPECT_EQ(payload->layout().num_tasks(), 2u);

    v1::ListStepsRequest list;
    auto steps_context = ContextAs(kAlice);
    auto steps = root_->ListSteps(steps_context.get(), list);
    v1::ListStepsResponse chunk;
    ASSERT_TRUE(steps->Read(&chunk));
    ASSERT_EQ(chunk.steps_size(), 1);
    EXPECT_EQ(chunk.steps(0).command(), "hostname");
    EXPECT_EQ(chunk.steps(0).node_list(), "n[1-2]");
    EXPECT_TRUE(steps->Finish().ok());

    v1::CompleteStepRequest done;
    *done.mutable_step_id() = created.step_id();
    v1::CompleteStepResponse ok;
    EXPECT_TRUE(root_->CompleteStep(ContextAs(kAlice).get(), done, &ok).ok());
  }

  v1::CompleteJobAllocationRequest complete;
  complete.set_job_id(job);
  v1::CompleteJobAllocationResponse resp;
  ASSERT_TRUE(root_->CompleteJobAllocation(ContextAs(kAlice).get(), complete, &resp).ok());
  ASSERT_TRUE(reader->Read(&event));
  ASSERT_TRUE(event.has_ended()) << event.DebugString();
  EXPECT_EQ(event.ended().state(), v1::JOB_STATE_COMPLETED);
  EXPECT_FALSE(reader->Read(&event));
  EXPECT_TRUE(reader->Finish().ok());
}

TEST_F(ServiceTest, AWaitingAllocationWhoseClientGoesAwayIsWithdrawn) {
  RegisterNodes();
  v1::AllocateJobRequest req;
  req.mutable_spec()->set_min_nodes(2);
  req.mutable_spec()->set_time_limit_s(600);
  auto holder_context = ContextAs(kAlice);
  auto holder = root_->AllocateJob(holder_context.get(), req);
  v1::JobEvent event;
  ASSERT_TRUE(holder->Read(&event));
  ASSERT_TRUE(event.has_granted());
  const uint32_t first = event.job_id();

  auto context = ContextAs(kAlice);
  auto reader = root_->AllocateJob(context.get(), req);
  ASSERT_TRUE(reader->Read(&event));
  ASSERT_TRUE(event.has_queued()) << event.DebugString();
  const uint32_t job = event.job_id();
  context->TryCancel();
  (void)reader->Finish();
  // The controller notices within its client check and ends the job.
  std::shared_ptr<const ClusterSnapshot> snap = controller_->Snapshot();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (snap->FindJob(job)->state == JobState::kPending &&
         std::chrono::steady_clock::now() < deadline) {
    snap = controller_->WaitForSnapshot(snap, std::chrono::milliseconds(500));
  }
  EXPECT_EQ(snap->FindJob(job)->state, JobState::kCancelled);

  // After its grant an allocation outlives its client (InactiveLimit=0, salloc
  // --no-shell): the holder goes away and its job keeps running.
  holder_context->TryCancel();
  (void)holder->Finish();
  EXPECT_EQ(controller_->Snapshot()->FindJob(first)->state, JobState::kRunning);
}

}  // namespace
}  // namespace drover::ctld::service
