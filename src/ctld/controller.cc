#include "ctld/controller.h"

#include <malloc.h>

#include <future>
#include <mutex>

namespace drover::ctld {

Controller::Controller(ControllerOptions options) : options_(std::move(options)) {}

namespace {

// glibc raises its mmap and trim thresholds each time a big block is freed (a snapshot
// buffer, a long reply), up to 32 and 64 MB, and a thread's arena gives its top back only
// past the trim threshold: after MinJobAge purged 10k jobs, ~30 MB of freed records stayed
// resident. Fixed thresholds keep that memory going back to the system. Process-wide, set
// once; harmless for other users of malloc in the process.
void KeepMallocTrimming() {
  static std::once_flag once;
  std::call_once(once, [] {
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024);
  });
}

}  // namespace

Result<std::unique_ptr<Controller>> Controller::Create(ControllerOptions options) {
  if (!options.config || !options.store || !options.transport || !options.clock) {
    return Error(ErrorCode::kInvalidArgument, "controller needs config, store, transport, clock");
  }
  KeepMallocTrimming();
  std::unique_ptr<Controller> c(new Controller(std::move(options)));
  RETURN_IF_ERROR(c->Recover());
  c->thread_ = std::thread([p = c.get()] { p->Run(); });
  return c;
}

Controller::~Controller() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Status Controller::Recover() {
  engine_ = std::make_unique<Engine>(options_.config,
                                     EngineOptions{.slurm_user_uid = options_.slurm_user_uid});
  ASSIGN_OR_RETURN(storage::Recovered rec, options_.store->Recover());
  if (rec.snapshot) RETURN_IF_ERROR(engine_->LoadSnapshot(*rec.snapshot));
  last_seq_ = rec.snapshot_seq;
  for (const auto& r : rec.tail) {
    if (Status s = engine_->ReplayRecord(r.payload); !s) {
      return s.error().WithContext("log record " + std::to_string(r.seq));
    }
    last_seq_ = r.seq;
  }
  records_since_snapshot_ = rec.tail.size();
  TimePoint now = options_.clock->Now();
  engine_->FinishRecovery(now);
  log_.Info("recovered {} jobs (snapshot at {}, {} records replayed)", engine_->job_count(),
            rec.snapshot_seq, rec.tail.size());
  snapshot_.store(engine_->Publish(last_seq_, now));
  // Every recovered job goes to the sink again: what it had not written before a crash
  // is written now (job_sink.h).
  engine_->TakeCommittedJobs();
  if (options_.job_sink) {
    std::vector<std::shared_ptr<const Job>> all;
    all.reserve(engine_->job_count());
    for (const auto& chunk : *snapshot_.load()->job_chunks) {
      all.insert(all.end(), chunk->begin(), chunk->end());
    }
    options_.job_sink->JobsChanged(std::move(all));
  }
  return Ok();
}

void Controller::Run() {
  std::deque<Command> batch;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, options_.tick_interval, [&] { return stop_ || !queue_.empty(); });
      if (stop_) break;
      batch.swap(queue_);
    }
    RunBatch(batch);
    batch.clear();
  }
  // Answer whatever is still queued.
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& cmd : queue_) cmd.abort(Error(ErrorCode::kCancelled, "controller shutting down"));
  queue_.clear();
}

void Controller::RunBatch(std::deque<Command>& batch) {
  TimePoint now = options_.clock->Now();
  std::vector<Reply> replies;
  replies.reserve(batch.size());
  if (failed_) {
    for (auto& cmd : batch) {
      cmd.abort(Error(ErrorCode::kIo, "state store failed; restart the controller"));
    }
    return;
  }
  for (auto& cmd : batch) replies.push_back(cmd.run(*engine_, now));
  engine_->Tick(now);
  engine_->Schedule(now);
  std::vector<std::string> records = engine_->TakeRecords();
  std::vector<Effect> effects = engine_->TakeEffects();
  Status durable = Ok();
  if (!records.empty()) {
    size_t n = records.size();
    Result<uint64_t> seq = options_.store->AppendSync(std::move(records));
    if (seq) {
      last_seq_ = *seq;
      records_since_snapshot_ += n;
    } else {
      durable = seq.error();
      failed_ = true;
      log_.Error("state store append failed: {}; refusing further commands",
                 seq.error().ToString());
    }
  }
  std::vector<std::shared_ptr<const Job>> committed = engine_->TakeCommittedJobs();
  if (durable) {
    {
      std::lock_guard lock(publish_mu_);
      snapshot_.store(engine_->Publish(last_seq_, now));
    }
    publish_cv_.notify_all();
    if (options_.job_sink && !committed.empty()) {
      options_.job_sink->JobsChanged(std::move(committed));
    }
    std::vector<std::shared_ptr<const Step>> ended = engine_->TakeEndedSteps();
    if (options_.job_sink && !ended.empty()) options_.job_sink->StepsEnded(std::move(ended));
    for (auto& e : effects) {
      switch (e.kind) {
        case Effect::Kind::kLaunch:
          options_.transport->LaunchBatchJob(e.node, e.record);
          break;
        case Effect::Kind::kSignal:
          options_.transport->SignalJob(e.node, e.job, e.signal, e.batch_only);
          break;
        case Effect::Kind::kTerminate:
          options_.transport->TerminateJob(e.node, e.job, e.end_state);
          break;
        case Effect::Kind::kSignalStep:
          options_.transport->SignalStep(e.node, e.job, e.step, e.signal);
          break;
      }
    }
    uint64_t purged = engine_->TakePurgedCount();
    purged_since_snapshot_ += purged;
    if (records_since_snapshot_ >= options_.snapshot_every_records ||
        purged_since_snapshot_ >= options_.snapshot_every_purged) {
      if (Status s = options_.store->WriteSnapshot(last_seq_, engine_->EncodeSnapshot()); s) {
        records_since_snapshot_ = 0;
        purged_since_snapshot_ = 0;
      } else {
        log_.Warn("snapshot failed: {}", s.error().ToString());
      }
    }
    // Many small job records were just freed: hand the pages back to the system.
    if (purged >= 100) malloc_trim(0);
  }
  for (auto& r : replies) r(durable);
}

template <typename T>
Result<T> Controller::Call(std::function<Result<T>(Engine&, TimePoint)> fn) {
  auto promise = std::make_shared<std::promise<Result<T>>>();
  auto future = promise->get_future();
  Command cmd;
  cmd.abort = [promise](Error e) { promise->set_value(std::move(e)); };
  cmd.run = [fn = std::move(fn), promise](Engine& engine, TimePoint now) -> Reply {
    auto result = std::make_shared<Result<T>>(fn(engine, now));
    return [promise, result](const Status& durable) {
      if (!durable) {
        promise->set_value(durable.error());
      } else {
        promise->set_value(std::move(*result));
      }
    };
  };
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_) return Error(ErrorCode::kCancelled, "controller shutting down");
    queue_.push_back(std::move(cmd));
  }
  cv_.notify_one();
  return future.get();
}

Result<JobId> Controller::Submit(JobSpec spec, const Identity& who) {
  auto shared = std::make_shared<JobSpec>(std::move(spec));
  return Call<JobId>(
      [shared, who](Engine& e, TimePoint now) { return e.Submit(std::move(*shared), who, now); });
}

Status Controller::Cancel(JobId id, const Identity& who) {
  return Call<void>([=](Engine& e, TimePoint now) { return e.Cancel(id, who, now); });
}

Result<std::vector<Status>> Controller::ActOnJobs(std::vector<JobId> ids, JobAction action) {
  auto shared = std::make_shared<std::vector<JobId>>(std::move(ids));
  return Call<std::vector<Status>>(
      [shared, action = std::move(action)](Engine& e, TimePoint now) -> Result<std::vector<Status>> {
        std::vector<Status> results;
        results.reserve(shared->size());
        for (JobId id : *shared) results.push_back(action(e, id, now));
        return results;
      });
}

Status Controller::Signal(JobId id, int signal, const Identity& who, bool batch_only) {
  return Call<void>([=](Engine& e, TimePoint) { return e.Signal(id, signal, who, batch_only); });
}

Status Controller::Hold(JobId id, const Identity& who, bool user_hold) {
  return Call<void>([=](Engine& e, TimePoint now) { return e.Hold(id, user_hold, who, now); });
}

Status Controller::Release(JobId id, const Identity& who) {
  return Call<void>([=](Engine& e, TimePoint now) { return e.Release(id, who, now); });
}

Status Controller::Requeue(JobId id, const Identity& who, bool hold) {
  return Call<void>([=](Engine& e, TimePoint now) { return e.Requeue(id, hold, who, now); });
}

Status Controller::UpdateJob(JobId id, const JobUpdate& update, const Identity& who) {
  return Call<void>([=](Engine& e, TimePoint now) { return e.UpdateJob(id, update, who, now); });
}

Status Controller::UpdateNode(const NodeUpdate& update, const Identity& who) {
  return Call<void>([=](Engine& e, TimePoint now) { return e.UpdateNode(update, who, now); });
}

Status Controller::Reconfigure(std::shared_ptr<const config::SlurmConfig> config,
                               const Identity& who) {
  return Call<void>([=](Engine& e, TimePoint) -> Status {
    if (!e.IsPrivileged(who)) return Error(ErrorCode::kAccessDenied);
    return e.Configure(config);
  });
}

Status Controller::RegisterNode(const NodeRegistration& registration) {
  return Call<void>([=](Engine& e, TimePoint now) { return e.RegisterNode(registration, now); });
}

Status Controller::Heartbeat(const std::string& node) {
  return Call<void>([=](Engine& e, TimePoint now) { return e.Heartbeat(node, now); });
}

Status Controller::JobComplete(const std::string& node, JobId id, int wait_status) {
  JobEnd end;
  end.wait_status = wait_status;
  return JobComplete(node, id, end);
}

Status Controller::JobComplete(const std::string& node, JobId id, const JobEnd& end) {
  return Call<void>([=](Engine& e, TimePoint now) { return e.JobComplete(node, id, end, now); });
}

Status Controller::EpilogComplete(const std::string& node, JobId id, bool epilog_failed) {
  return Call<void>(
      [=](Engine& e, TimePoint now) { return e.EpilogComplete(node, id, now, epilog_failed); });
}

Status Controller::PrologFailed(const std::string& node, JobId id) {
  return Call<void>([=](Engine& e, TimePoint now) { return e.PrologFailed(node, id, now); });
}

Status Controller::LaunchFailed(const std::string& node, JobId id) {
  return Call<void>([=](Engine& e, TimePoint now) { return e.LaunchFailed(node, id, now); });
}

Status Controller::StepComplete(const std::string& node, JobId id, uint32_t step, int wait_status) {
  constexpr uint32_t kBatchStep = 0xfffffffb;  // Slurm's SLURM_BATCH_SCRIPT
  if (step == kBatchStep) return JobComplete(node, id, wait_status);
  return Call<void>([=](Engine& e, TimePoint now) {
    return e.CompleteStep(id, step, node, nullptr, ExitCode::FromWaitStatus(wait_status), now);
  });
}

Result<JobId> Controller::SubmitAllocation(JobSpec spec, const Identity& who) {
  auto shared = std::make_shared<JobSpec>(std::move(spec));
  return Call<JobId>([shared, who](Engine& e, TimePoint now) {
    return e.Submit(std::move(*shared), who, now, /*interactive=*/true);
  });
}

Status Controller::CompleteAllocation(JobId id, ExitCode code, const Identity& who) {
  return Call<void>(
      [=](Engine& e, TimePoint now) { return e.CompleteAllocation(id, code, who, now); });
}

Result<std::shared_ptr<const Step>> Controller::CreateStep(JobId id, StepRequest request,
                                                           const Identity& who) {
  auto shared = std::make_shared<StepRequest>(std::move(request));
  return Call<std::shared_ptr<const Step>>(
      [id, shared, who](Engine& e, TimePoint now) { return e.CreateStep(id, *shared, who, now); });
}

Status Controller::CompleteStep(JobId id, uint32_t step, ExitCode code, const Identity& who) {
  return Call<void>(
      [=](Engine& e, TimePoint now) { return e.CompleteStep(id, step, "", &who, code, now); });
}

std::shared_ptr<const ClusterSnapshot> Controller::WaitForSnapshot(
    const std::shared_ptr<const ClusterSnapshot>& seen, std::chrono::milliseconds timeout) {
  std::unique_lock lock(publish_mu_);
  publish_cv_.wait_for(lock, timeout, [&] { return snapshot_.load() != seen; });
  return snapshot_.load();
}

Status Controller::Tick() {
  return Call<void>([](Engine&, TimePoint) { return Ok(); });
}

std::shared_ptr<const ClusterSnapshot> Controller::Snapshot() const { return snapshot_.load(); }

Status Controller::WriteSnapshotForTesting() {
  return Call<void>([this](Engine& e, TimePoint) {
    return options_.store->WriteSnapshot(last_seq_, e.EncodeSnapshot());
  });
}

}  // namespace drover::ctld
