// The gRPC node transport against a node whose daemon is not there: the launch fails
// before the node got the job, so the job goes back to the queue instead of failing.
#include "ctld/service/grpc_node_transport.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "base/clock.h"
#include "ctld/controller.h"
#include "storage/state_store.h"
#include "testing/in_process_cluster.h"
#include "testing/munge_daemon.h"

namespace drover::ctld::service {
namespace {

// A loopback port nobody listens on: bound, then closed.
uint16_t ClosedPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

TEST(GrpcNodeTransportTest, LaunchToAnUnreachableNodeRequeuesTheJob) {
  auto munged = testing::MungeDaemon::Start();
  ASSERT_TRUE(munged.has_value()) << munged.error().ToString();
  std::string conf =
      "ClusterName=t\nSlurmctldHost=ctl\nSlurmUser=root\n"
      "NodeName=n1 CPUs=2 RealMemory=100 NodeAddr=127.0.0.1 Port=" +
      std::to_string(ClosedPort()) + "\nPartitionName=debug Nodes=n1 Default=YES State=UP\n";
  auto config = testing::ParseTestConfig(conf);
  ASSERT_TRUE(config.has_value()) << config.error().ToString();
  auto store = storage::NewMemoryStateStore();
  SystemClock clock;
  GrpcNodeTransport transport(auth::Munge((*munged)->socket_path()), std::chrono::seconds(5));
  ControllerOptions options;
  options.config = *config;
  options.store = store.get();
  options.transport = &transport;
  options.clock = &clock;
  auto controller = Controller::Create(options);
  ASSERT_TRUE(controller.has_value()) << controller.error().ToString();
  transport.Attach(controller->get());
  ASSERT_TRUE((*controller)->RegisterNode({.name = "n1"}).has_value());

  JobSpec spec;
  spec.name = "job";
  spec.user_name = "root";
  spec.script = "#!/bin/sh\ntrue\n";
  spec.ntasks = 1;
  auto id = (*controller)->Submit(spec, Identity{0, 0});
  ASSERT_TRUE(id.has_value()) << id.error().ToString();

  // The launch fails on the transport's thread; wait (bounded) for its outcome.
  std::shared_ptr<const Job> job;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  do {
    job = (*controller)->Snapshot()->FindJob(*id);
    if (job && job->restarts > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  } while (std::chrono::steady_clock::now() < deadline);
  ASSERT_TRUE(job);
  EXPECT_EQ(job->restarts, 1u);
  EXPECT_EQ(job->state, JobState::kPending);
  transport.Stop();
}

// SLURM_CPUS_PER_TASK only when -c was given; SLURM_SUBMIT_HOST from the submitting host.
TEST(GrpcNodeTransportTest, LaunchRequestCarriesWhatTheBatchEnvironmentNeeds) {
  JobSpec spec;
  spec.name = "job";
  spec.script = "#!/bin/sh\ntrue\n";
  spec.alloc_node = "login1";
  Job job;
  job.id = 9;
  job.spec = std::make_shared<const JobSpec>(spec);
  job.alloc.nodes.push_back({.node = "n1", .cpus = {0}});
  ClusterSnapshot snap;
  v1::LaunchBatchRequest req = BatchLaunchRequest(job, "n1", snap);
  EXPECT_FALSE(req.job().has_cpus_per_task());
  EXPECT_EQ(req.job().submit_host(), "login1");

  spec.cpus_per_task = 1;
  spec.cpus_per_task_given = true;
  job.spec = std::make_shared<const JobSpec>(spec);
  req = BatchLaunchRequest(job, "n1", snap);
  ASSERT_TRUE(req.job().has_cpus_per_task());
  EXPECT_EQ(req.job().cpus_per_task(), 1u);
}

}  // namespace
}  // namespace drover::ctld::service
