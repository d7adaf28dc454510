// The cluster of shared/reference (Slurm 22.05, node[1-4], partitions debug and short) as
// the controller would describe it, for the golden tests of squeue, sinfo and scontrol;
// and the reader for the reference files (copied into tests/data/reference).
//
// Test-only. Thread-safety: pure functions.
#pragma once

#include <stdlib.h>
#include <time.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "drover/v1/cluster.pb.h"
#include "drover/v1/job.pb.h"

namespace drover::cli::testing {

namespace v1 = ::drover::v1;

// 2026-11-21T00:00:00Z; the reference host ran in UTC.
inline constexpr int64_t kDay = 1795219200;
inline constexpr int64_t T(int h, int m, int s) { return kDay + h * 3600 + m * 60 + s; }
// When `squeue`, `sinfo` ran (23:35:52) and when `scontrol show` ran (23:35:53).
inline constexpr int64_t kSqueueNow = T(23, 35, 52);
inline constexpr int64_t kScontrolNow = T(23, 35, 53);

inline void UseUtcForTesting() {
  setenv("TZ", "UTC", 1);
  tzset();
}

struct Golden {
  std::string output;  // without the "$ command" line and the "[exit=N]" line
  int exit_code = 0;
};

inline Golden ReadGolden(const std::string& name) {
  std::ifstream in(std::string(DROVER_REFERENCE_DIR) + "/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  Golden g;
  if (text.rfind("$ ", 0) == 0) text = text.substr(text.find('\n') + 1);
  size_t exit_pos = text.rfind("[exit=");
  if (exit_pos != std::string::npos) {
    g.exit_code = std::stoi(text.substr(exit_pos + 6));
    text = text.substr(0, exit_pos);
  }
  g.output = text;
  return g;
}

inline void AddTres(v1::TresList* list, std::string type, int64_t count) {
  v1::Tres* t = list->add_items();
  t->set_type(std::move(type));
  t->set_count(count);
}

inline v1::TresList JobTres(int64_t cpus, int64_t mem_mb, int64_t nodes) {
  v1::TresList l;
  AddTres(&l, "cpu", cpus);
  AddTres(&l, "mem", mem_mb);
  AddTres(&l, "node", nodes);
  AddTres(&l, "billing", cpus);
  return l;
}

// A batch job of root's in the reference's shape; the caller fills what differs.
inline v1::JobInfo BaseJob(uint32_t id, std::string name, std::string partition, v1::JobState state,
                           int64_t submit) {
  v1::JobInfo j;
  j.set_job_id(id);
  j.mutable_user()->set_name("root");
  j.mutable_group()->set_name("root");
  j.set_partition(partition);
  j.set_state(state);
  j.set_reason(v1::PENDING_REASON_NONE);
  j.set_priority(1);
  j.set_batch(true);
  j.set_submit_time(submit);
  j.set_eligible_time(submit);
  j.set_accrue_time(submit);
  j.set_last_sched_eval_time(submit);
  j.set_scheduler(v1::SCHEDULER_KIND_MAIN);
  j.set_num_nodes(1);
  j.set_num_cpus(1);
  j.set_num_tasks(1);
  j.set_std_in_path("/dev/null");
  j.set_std_out_path("/dev/null");
  j.set_std_err_path("/dev/null");
  v1::JobSpec* s = j.mutable_spec();
  s->set_name(std::move(name));
  s->set_account("root");
  s->set_qos("normal");
  s->add_partitions(partition);
  s->set_mem_per_cpu_mb(50);
  s->set_alloc_node("localhost");
  s->set_alloc_sid(2822);
  s->set_work_dir("/tmp/slurm-anchor-bench/samples-work");
  *j.mutable_req_tres() = JobTres(1, 50, 1);
  return j;
}

inline v1::JobInfo Pending(uint32_t id, std::string name, v1::PendingReason reason, int64_t limit_s,
                           int64_t submit, std::string partition = "debug") {
  v1::JobInfo j = BaseJob(id, std::move(name), std::move(partition), v1::JOB_STATE_PENDING, submit);
  j.set_reason(reason);
  if (limit_s >= 0) j.mutable_spec()->set_time_limit_s(limit_s);
  return j;
}

inline v1::JobInfo Running(uint32_t id, std::string name, std::string nodes, uint32_t count) {
  v1::JobInfo j = BaseJob(id, std::move(name), "debug", v1::JOB_STATE_RUNNING, T(23, 35, 44));
  j.mutable_spec()->set_time_limit_s(1800);
  j.set_start_time(T(23, 35, 45));
  j.set_end_time(T(23, 35, 45) + 1800);
  j.set_last_sched_eval_time(T(23, 35, 45));
  j.set_node_list(std::move(nodes));
  j.set_batch_host("node1");
  j.set_num_nodes(count);
  j.set_num_cpus(count);
  j.set_num_tasks(count);
  *j.mutable_alloc_tres() = JobTres(count, 50 * count, count);
  return j;
}

// The queue of squeue.txt, in the controller's order (which squeue's stable sort keeps
// for jobs of equal partition, state and priority).
inline std::vector<v1::JobInfo> ReferenceQueue() {
  std::vector<v1::JobInfo> jobs;
  v1::JobInfo begin =
      Pending(35489, "begin_later", v1::PENDING_REASON_BEGIN_TIME, -1, T(23, 35, 47));
  begin.set_start_time(T(24, 35, 47));
  jobs.push_back(begin);
  v1::JobInfo array = Pending(35492, "array_job", v1::PENDING_REASON_PRIORITY, 300, T(23, 35, 48));
  array.set_array_job_id(35492);
  v1::IdRange* r = array.add_pending_array_tasks();
  r->set_first(1);
  r->set_last(5);
  array.set_array_max_running(2);
  array.set_num_cpus(64);
  array.mutable_spec()->set_cpus_per_task(64);
  *array.mutable_req_tres() = JobTres(64, 3200, 1);
  jobs.push_back(array);
  jobs.push_back(Pending(35490, "dep_job", v1::PENDING_REASON_DEPENDENCY, -1, T(23, 35, 47)));
  jobs.push_back(Pending(35487, "low_prio", v1::PENDING_REASON_PRIORITY, 1800, T(23, 35, 47)));
  v1::JobInfo wants =
      Pending(35486, "wants_res", v1::PENDING_REASON_RESOURCES, 1800, T(23, 35, 47));
  wants.set_last_sched_eval_time(T(23, 35, 48));
  wants.set_num_nodes(4);
  wants.set_num_cpus(256);
  wants.set_num_tasks(4);
  wants.mutable_spec()->set_min_nodes(4);
  wants.mutable_spec()->set_max_nodes(4);
  wants.mutable_spec()->set_cpus_per_task(64);
  *wants.mutable_req_tres() = JobTres(256, 12800, 4);
  jobs.push_back(wants);
  v1::JobInfo held =
      Pending(35488, "held_job", v1::PENDING_REASON_JOB_HELD_USER, -1, T(23, 35, 47));
  held.set_priority(0);
  held.set_eligible_time(0);
  held.set_accrue_time(0);
  jobs.push_back(held);
  jobs.push_back(Running(35483, "run_sleep", "node1", 1));
  jobs.push_back(Running(35484, "run_multi", "node[1-4]", 4));
  jobs.push_back(Running(35485, "fill", "node[1-4]", 4));
  jobs.push_back(Pending(35491, "over_maxtime", v1::PENDING_REASON_PARTITION_TIME_LIMIT, 1200,
                         T(23, 35, 48), "short"));
  return jobs;
}

inline v1::JobInfo CompletedJob() {
  v1::JobInfo j = BaseJob(35477, "ok_job", "debug", v1::JOB_STATE_COMPLETED, T(23, 35, 38));
  j.mutable_spec()->set_time_limit_s(365 * 86400);
  j.set_start_time(T(23, 35, 39));
  j.set_end_time(T(23, 35, 39));
  j.set_last_sched_eval_time(T(23, 35, 39));
  j.set_scheduler(v1::SCHEDULER_KIND_BACKFILL);
  j.set_node_list("node1");
  j.set_batch_host("node1");
  *j.mutable_alloc_tres() = JobTres(1, 50, 1);
  return j;
}

inline const v1::JobInfo& FindJob(const std::vector<v1::JobInfo>& jobs, uint32_t id) {
  for (const v1::JobInfo& j : jobs) {
    if (j.job_id() == id) return j;
  }
  abort();
}

inline std::vector<v1::NodeInfo> ReferenceNodes() {
  std::vector<v1::NodeInfo> nodes;
  for (int i = 1; i <= 4; ++i) {
    v1::NodeInfo n;
    n.set_name("node" + std::to_string(i));
    n.set_address("127.0.0.1");
    n.set_hostname("vm");
    n.set_port(17000 + i);
    n.set_version("22.05.8");
    n.set_arch("x86_64");
    n.set_os("Linux 6.18.44-fc-v669 #1 SMP PREEMPT_DYNAMIC @0");
    v1::NodeResources* c = n.mutable_config();
    c->set_cpus(64);
    c->set_boards(1);
    c->set_sockets(64);
    c->set_cores_per_socket(1);
    c->set_threads_per_core(1);
    c->set_real_memory_mb(4519);
    n.set_cpus_effective(64);
    n.set_cpus_alloc(i == 1 ? 64 : 63);
    n.set_cpu_load(5.69);
    n.set_alloc_mem_mb(i == 1 ? 3200 : 3150);
    n.set_free_mem_mb(21507);
    n.set_state(i == 1 ? v1::NODE_STATE_ALLOCATED : v1::NODE_STATE_MIXED);
    n.set_weight(1);
    n.add_partitions("debug");
    n.add_partitions("short");
    n.set_boot_time(T(22, 44, 7));
    n.set_daemon_start_time(T(23, 18, 29));
    n.set_last_busy_time(i == 1 ? T(23, 35, 39) : T(23, 35, 38));
    AddTres(n.mutable_cfg_tres(), "cpu", 64);
    AddTres(n.mutable_cfg_tres(), "mem", 4519);
    AddTres(n.mutable_cfg_tres(), "billing", 64);
    AddTres(n.mutable_alloc_tres(), "cpu", n.cpus_alloc());
    AddTres(n.mutable_alloc_tres(), "mem", n.alloc_mem_mb());
    n.set_current_watts(0);
    n.set_ave_watts(0);
    nodes.push_back(n);
  }
  return nodes;
}

inline std::vector<v1::PartitionInfo> ReferencePartitions() {
  std::vector<v1::PartitionInfo> parts;
  for (const char* name : {"debug", "short"}) {
    v1::PartitionInfo p;
    p.set_name(name);
    p.set_state(v1::PARTITION_STATE_UP);
    p.set_is_default(std::string(name) == "debug");
    p.set_node_list("node[1-4]");
    p.set_total_nodes(4);
    p.set_total_cpus(256);
    if (std::string(name) == "short") p.set_max_time_s(600);
    p.set_priority_job_factor(1);
    p.set_priority_tier(1);
    p.set_over_subscribe(v1::PARTITION_OVER_SUBSCRIBE_NO);
    p.set_preempt_mode(v1::PREEMPT_MODE_OFF);
    AddTres(p.mutable_tres(), "cpu", 256);
    AddTres(p.mutable_tres(), "mem", 18076);
    AddTres(p.mutable_tres(), "node", 4);
    AddTres(p.mutable_tres(), "billing", 256);
    parts.push_back(p);
  }
  return parts;
}

}  // namespace drover::cli::testing
