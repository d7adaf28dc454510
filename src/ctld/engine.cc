// Engine core: installing job and node versions, the ledger, ids, publishing.
#include "ctld/engine.h"

#include <algorithm>

#include "base/hostlist.h"

namespace drover::ctld {

Engine::Engine(std::shared_ptr<const config::SlurmConfig> config, EngineOptions options)
    : options_(options) {
  Status s = Configure(std::move(config));
  if (!s) log_.Error("initial configuration: {}", s.error().ToString());
}

Engine::~Engine() = default;

const Job* Engine::FindJob(JobId id) const {
  auto it = jobs_.find(id);
  return it == jobs_.end() ? nullptr : it->second.job.get();
}

int32_t Engine::NodeIndex(std::string_view name) const {
  auto it = node_index_.find(std::string(name));
  return it == node_index_.end() ? -1 : static_cast<int32_t>(it->second);
}

int32_t Engine::PartitionIndex(std::string_view name) const {
  for (size_t i = 0; i < partitions_.size(); ++i)
    if (partitions_[i].name == name) return static_cast<int32_t>(i);
  return -1;
}

TimePoint Engine::Deadline(const Job& job) {
  if (job.time_limit.infinite()) return TimePoint::max();
  return job.start_time + std::chrono::seconds(job.time_limit.seconds());
}

std::optional<TimePoint> Engine::SignalTime(const Job& job) {
  if (job.time_limit.infinite() || job.spec->signal.empty()) return std::nullopt;
  std::optional<JobSignal> sig = JobSignalFromText(job.spec->signal);
  if (!sig) return std::nullopt;
  TimePoint at = Deadline(job) - std::chrono::seconds(sig->lead.seconds());
  return std::max(at, job.start_time);
}

void Engine::SignalOnNodes(const Job& job, int signal, bool batch_only) {
  if (job.alloc.nodes.empty()) return;
  if (batch_only) {
    Effect e{Effect::Kind::kSignal, job.alloc.nodes.front().node, job.id, signal, nullptr};
    e.batch_only = true;
    effects_.push_back(std::move(e));
    return;
  }
  for (const auto& a : job.alloc.nodes) {
    effects_.push_back({Effect::Kind::kSignal, a.node, job.id, signal, nullptr});
  }
}

Duration Engine::OverTime() const {
  return config_->over_time_limit.infinite() ? Duration() : config_->over_time_limit;
}

JobId Engine::NextId(JobId id) const {
  JobId first = std::max<uint32_t>(config_->first_job_id, 1);
  JobId max = config_->max_job_id == 0 ? 0x03ff0000u : config_->max_job_id;
  return (id >= max || id < first) ? first : id + 1;
}

Result<JobId> Engine::AllocateJobId() {
  JobId first = std::max<uint32_t>(config_->first_job_id, 1);
  JobId max = config_->max_job_id == 0 ? 0x03ff0000u : config_->max_job_id;
  JobId id = (next_job_id_ < first || next_job_id_ > max) ? first : next_job_id_;
  // After wrapping, skip ids still held by jobs in memory.
  for (uint64_t tries = 0; jobs_.count(id); ++tries) {
    if (tries > uint64_t{max - first}) {
      return Error(ErrorCode::kDuplicateJobId, "no free job id between FirstJobId and MaxJobId");
    }
    id = NextId(id);
  }
  return id;
}

void Engine::Resolve(JobEntry& e) const {
  const Job& job = *e.job;
  e.parts.clear();
  e.required.clear();
  e.excluded.clear();
  e.unknown_required = false;
  for (const auto& p : JobPartitions(*job.spec, config_->default_partition)) {
    int32_t i = PartitionIndex(p);
    if (i >= 0) e.parts.push_back(static_cast<uint16_t>(i));
  }
  // An updated Partition= replaces the spec's list.
  if (!job.partition.empty() && !e.parts.empty() &&
      partitions_[e.parts.front()].name != job.partition) {
    int32_t i = PartitionIndex(job.partition);
    if (i >= 0) e.parts = {static_cast<uint16_t>(i)};
  }
  auto resolve = [&](const std::string& text, std::vector<uint32_t>& out, bool required) {
    if (text.empty()) return;
    auto hl = Hostlist::Parse(text);
    if (!hl) {
      e.unknown_required |= required;
      return;
    }
    auto names = hl->Expand();
    if (!names) return;
    for (const auto& n : *names) {
      int32_t i = NodeIndex(n);
      if (i >= 0) {
        out.push_back(static_cast<uint32_t>(i));
      } else if (required) {
        e.unknown_required = true;
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  };
  resolve(job.spec->nodelist, e.required, true);
  resolve(job.spec->exclude, e.excluded, false);
}

void Engine::BookOnNodes(const Job& job, bool book) {
  // A COMPLETING job holds only the nodes that have not confirmed yet: each node goes
  // back to the partition as soon as it is clean, as in Slurm.
  const bool completing = job.state == JobState::kCompleting;
  for (const auto& a : job.alloc.nodes) {
    if (completing && std::find(job.completing_nodes.begin(), job.completing_nodes.end(),
                                a.node) == job.completing_nodes.end()) {
      continue;
    }
    int32_t idx = NodeIndex(a.node);
    if (idx < 0) continue;
    NodeAllocation na = a;
    na.node_index = static_cast<uint32_t>(idx);
    if (book) {
      if (Status s = ledger_.Book(na); !s) {
        log_.Warn("JobId={} allocation on {} does not fit the ledger: {}", job.id, a.node,
                  s.error().ToString());
      }
    } else {
      ledger_.Release(na);
    }
    auto node = std::make_shared<Node>(*nodes_[idx]);
    node->alloc_cpus = ledger_.alloc_cpus(idx);
    node->alloc_mem_mb = ledger_.alloc_mem_mb(idx);
    node->running_jobs = ledger_.jobs(idx);
    nodes_[idx] = std::move(node);
  }
}

void Engine::Install(std::shared_ptr<const Job> job, bool submitted) {
  const JobId id = job->id;
  auto it = jobs_.find(id);
  if (it != jobs_.end()) {
    const Job& old = *it->second.job;
    if (HoldsAllocation(old.state)) {
      BookOnNodes(old, false);
      deadlines_.erase({Deadline(old), id});
      if (std::optional<TimePoint> at = SignalTime(old)) signal_times_.erase({*at, id});
      sched_dirty_ = true;
    }
    if (old.state == JobState::kCompleting) CountCompleting(old, -1), completing_.erase(id);
    if (IsPending(old.state)) pending_.erase({old.priority, old.submit_seq, id});
    if (IsFinished(old.state)) finished_.erase({old.end_time, id});
  } else {
    it = jobs_.emplace(id, JobEntry{}).first;
    chunks_list_dirty_ = true;
  }
  JobEntry& e = it->second;
  IndexArray(e.job.get(), job.get());
  // Steps run only while their job does.
  if (job->state != JobState::kRunning) DropStepsOf(id, job->end_time);
  IndexDependencies(e.job.get(), *job);
  bool resolve = !e.job || e.job->partition != job->partition;
  e.job = job;
  if (resolve) Resolve(e);
  if (HoldsAllocation(job->state)) {
    BookOnNodes(*job, true);
    // A completing job has ended: its time limit no longer applies.
    if (!job->time_limit.infinite() && job->state != JobState::kCompleting) {
      deadlines_.insert({Deadline(*job), id});
      std::optional<TimePoint> at = SignalTime(*job);
      if (at && !signalled_.contains(id)) signal_times_.insert({*at, id});
    }
  } else {
    signalled_.erase(id);  // a requeued job signals again in its next run
  }
  if (job->state == JobState::kCompleting) CountCompleting(*job, +1), completing_.insert(id);
  if (IsPending(job->state)) {
    pending_.insert({job->priority, job->submit_seq, id});
  }
  if (IsFinished(job->state)) finished_.insert({job->end_time, id});
  if (submitted) {
    next_job_id_ = NextId(id);
    next_submit_seq_ = std::max(next_submit_seq_, job->submit_seq + 1);
    sched_dirty_ = true;
  }
  // Snapshot chunk.
  uint32_t c = id / ClusterSnapshot::kChunk;
  JobChunk& chunk = chunks_[c];
  auto pos = std::lower_bound(chunk.begin(), chunk.end(), id,
                              [](const auto& j, JobId v) { return j->id < v; });
  if (pos != chunk.end() && (*pos)->id == id) {
    *pos = std::move(job);
  } else {
    chunk.insert(pos, std::move(job));
  }
  dirty_chunks_.insert(c);
}

void Engine::CommitSplitTask(std::shared_ptr<const Job> task) {
  records_.push_back(EncodeRecord(JobRecord{true, false, task}));
  committed_jobs_.push_back(task);
  Install(std::move(task), true);
  sched_dirty_ = true;
}

void Engine::Commit(std::shared_ptr<const Job> job, bool submitted) {
  records_.push_back(EncodeRecord(JobRecord{submitted, submitted, job}));
  committed_jobs_.push_back(job);
  Install(std::move(job), submitted);
  sched_dirty_ = true;  // any logged change may let a job start (or stop one)
}

NodeRecord Engine::ToRecord(const Node& n) const {
  return NodeRecord{
      n.name, n.base, n.drain, n.down_cause, n.reason, n.reason_uid, ToEpoch(n.reason_time)};
}

void Engine::AmendNode(uint32_t index, std::shared_ptr<const Node> node) {
  ledger_.SetSchedulable(index, node->Schedulable());
  if (node->Schedulable() != nodes_[index]->Schedulable()) sched_dirty_ = true;
  nodes_[index] = std::move(node);
}

void Engine::CommitNode(uint32_t index, std::shared_ptr<const Node> node) {
  NodeRecord before = ToRecord(*nodes_[index]);
  NodeRecord after = ToRecord(*node);
  if (before.base != after.base || before.drain != after.drain ||
      before.down_cause != after.down_cause || before.reason != after.reason) {
    records_.push_back(EncodeRecord(after));
  }
  AmendNode(index, std::move(node));
}

void Engine::ApplyNodeRecord(const NodeRecord& rec) {
  int32_t idx = NodeIndex(rec.name);
  if (idx < 0) return;  // a node no longer in slurm.conf
  auto node = std::make_shared<Node>(*nodes_[idx]);
  node->base = rec.base;
  node->drain = rec.drain;
  node->down_cause = rec.down_cause;
  node->reason = rec.reason;
  node->reason_uid = rec.reason_uid;
  node->reason_time = FromEpoch(rec.reason_time);
  AmendNode(static_cast<uint32_t>(idx), std::move(node));
}

void Engine::RebuildLedger() {
  ledger_ = sched::ResourceLedger(select_->defaults().track_memory);
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = *nodes_[i];
    ledger_.SetNode(i, {n.res.cpus, n.res.threads_per_core, n.res.real_memory_mb}, n.Schedulable());
    auto copy = std::make_shared<Node>(n);
    copy->alloc_cpus = 0;
    copy->alloc_mem_mb = 0;
    copy->running_jobs = 0;
    copy->completing_jobs = 0;
    nodes_[i] = std::move(copy);
  }
  for (const auto& [id, e] : jobs_) {
    if (HoldsAllocation(e.job->state)) BookOnNodes(*e.job, true);
    if (e.job->state == JobState::kCompleting) CountCompleting(*e.job, +1);
  }
}

void Engine::CountCompleting(const Job& job, int delta) {
  for (const std::string& name : job.completing_nodes) {
    int32_t idx = NodeIndex(name);
    if (idx < 0) continue;
    auto node = std::make_shared<Node>(*nodes_[idx]);
    if (delta > 0) {
      node->completing_jobs += static_cast<uint32_t>(delta);
    } else {
      auto d = static_cast<uint32_t>(-delta);
      node->completing_jobs = node->completing_jobs > d ? node->completing_jobs - d : 0;
    }
    nodes_[idx] = std::move(node);
  }
}

void Engine::Forget(JobId id) {
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return;
  const Job& old = *it->second.job;
  if (HoldsAllocation(old.state)) {
    BookOnNodes(old, false);
    deadlines_.erase({Deadline(old), id});
    if (std::optional<TimePoint> at = SignalTime(old)) signal_times_.erase({*at, id});
    sched_dirty_ = true;
  }
  MarkWaitersOfForgotten(id);
  IndexArray(&old, nullptr);
  if (steps_.erase(id) != 0) steps_dirty_ = true;
  if (auto n = by_name_.find({old.spec->uid, old.name}); n != by_name_.end()) {
    n->second.erase(id);
    if (n->second.empty()) by_name_.erase(n);
  }
  signalled_.erase(id);
  if (old.state == JobState::kCompleting) CountCompleting(old, -1), completing_.erase(id);
  if (IsPending(old.state)) pending_.erase({old.priority, old.submit_seq, id});
  if (IsFinished(old.state)) finished_.erase({old.end_time, id});
  uint32_t c = id / ClusterSnapshot::kChunk;
  auto chunk = chunks_.find(c);
  if (chunk != chunks_.end()) {
    JobChunk& v = chunk->second;
    auto pos =
        std::lower_bound(v.begin(), v.end(), id, [](const auto& j, JobId x) { return j->id < x; });
    if (pos != v.end() && (*pos)->id == id) v.erase(pos);
    if (v.empty()) chunks_.erase(chunk);
    dirty_chunks_.insert(c);
  }
  jobs_.erase(it);
  chunks_list_dirty_ = true;
}

std::shared_ptr<const ClusterSnapshot> Engine::Publish(uint64_t log_seq, TimePoint now) {
  for (uint32_t c : dirty_chunks_) {
    auto it = chunks_.find(c);
    if (it == chunks_.end() || it->second.empty()) {
      published_chunks_.erase(c);
    } else {
      published_chunks_[c] = std::make_shared<const JobChunk>(it->second);
    }
  }
  if (!dirty_chunks_.empty() || chunks_list_dirty_ || !published_chunk_list_) {
    auto list = std::make_shared<std::vector<std::shared_ptr<const JobChunk>>>();
    list->reserve(published_chunks_.size());
    for (const auto& [c, chunk] : published_chunks_) list->push_back(chunk);
    published_chunk_list_ = std::move(list);
  }
  dirty_chunks_.clear();
  chunks_list_dirty_ = false;
  auto snap = std::make_shared<ClusterSnapshot>();
  snap->log_seq = log_seq;
  snap->published = now;
  snap->config = config_;
  snap->job_chunks = published_chunk_list_;
  snap->job_count = jobs_.size();
  snap->nodes = nodes_;
  snap->partitions = published_partitions_;
  snap->steps = PublishedSteps();
  return snap;
}

}  // namespace drover::ctld
