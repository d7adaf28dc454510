// InProcessCluster: a controller with a fake clock, an in-memory state store (whose
// "disk" survives the controller, so a test can crash and recover it) and a fake node
// transport, all in the test's process. Nodes are played by the test: Register,
// Heartbeat, Complete. No sockets, no sleeps: every call returns once the controller has
// applied it.
//
// Ended jobs are COMPLETING until their nodes confirm (EpilogComplete). With auto-confirm
// on (the default), Complete() and Advance() play well-behaved nodes: every terminate the
// controller has sent by then is confirmed before they return. Tests of the COMPLETING
// state turn it off and confirm by hand (Confirm, ConfirmAll, ConfirmTerminated).
//
// Thread-safety: use from the test thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "config/slurm_conf.h"
#include "ctld/controller.h"
#include "storage/memory_state_store.h"
#include "testing/fake_clock.h"
#include "testing/fake_node_transport.h"

namespace drover::testing {

class InProcessCluster {
 public:
  // `slurm_conf`: slurm.conf text. Starts the controller; nodes are not registered.
  static Result<std::unique_ptr<InProcessCluster>> Create(std::string_view slurm_conf);
  ~InProcessCluster();

  ctld::Controller& ctld() { return *controller_; }
  FakeClock& clock() { return clock_; }
  FakeNodeTransport& transport() { return transport_; }
  // The controller's state store (its "disk" survives Crash()).
  storage::StateStore& store() { return *store_; }

  // Registers every node in slurm.conf (reporting the jobs the fake transport says run
  // there).
  Status RegisterAllNodes();
  Status RegisterNode(const std::string& name);
  // Advances the clock and lets the controller run its timers.
  Status Advance(std::chrono::seconds d);
  // The batch script of `job` exited with `exit_status` (or died of `signal`). The job
  // is then COMPLETING until its nodes confirm (at once with auto-confirm).
  Status Complete(JobId job, int exit_status = 0, int signal = 0);
  void set_auto_confirm(bool on) { auto_confirm_ = on; }
  // Every node confirms every terminate the controller sent since the last call.
  Status ConfirmTerminated();
  // `node` confirms the job's processes there are gone (EpilogComplete).
  Status Confirm(JobId job, const std::string& node);
  // Every node the COMPLETING job waits for confirms.
  Status ConfirmAll(JobId job);
  // Complete(), then ConfirmAll(): the job reaches its end state whatever auto-confirm says.
  Status Finish(JobId job, int exit_status = 0, int signal = 0);

  // Simulated crash: the controller dies without a clean shutdown (queued, uncommitted
  // appends are lost); Restart() recovers a new one from the same disk.
  void Crash();
  Status Restart();

  std::shared_ptr<const drover::Job> Job(JobId id) const;
  std::shared_ptr<const drover::Node> Node(std::string_view name) const;
  std::shared_ptr<const config::SlurmConfig> config() const { return config_; }

  // Applies slurm.conf text through scontrol reconfigure (as root).
  Status Reconfigure(std::string_view slurm_conf);

 private:
  InProcessCluster() = default;
  Status Start();

  bool auto_confirm_ = true;
  FakeClock clock_;
  FakeNodeTransport transport_;
  std::shared_ptr<storage::MemoryStateDisk> disk_ = std::make_shared<storage::MemoryStateDisk>();
  std::unique_ptr<storage::MemoryStateStore> store_;
  std::shared_ptr<const config::SlurmConfig> config_;
  std::unique_ptr<ctld::Controller> controller_;
};

// Parses slurm.conf text for tests.
Result<std::shared_ptr<const config::SlurmConfig>> ParseTestConfig(std::string_view text);

}  // namespace drover::testing
