// Job steps: placement (PlanStep), and the engine's step commands — create, end (srun's
// report or each node's), and what a job's end does to its steps.
#include "ctld/steps.h"

#include <algorithm>
#include <csignal>

#include "base/hostlist.h"
#include "ctld/engine.h"

namespace drover::ctld {

uint32_t Step::TotalCpus() const {
  uint32_t total = 0;
  for (const StepNode& n : nodes) total += n.cpus;
  return total;
}

std::string Step::NodeList() const {
  std::vector<std::string> names;
  names.reserve(nodes.size());
  for (const StepNode& n : nodes) names.push_back(n.node);
  return Hostlist::Compress(names);
}

Result<std::vector<StepNode>> PlanStep(const Allocation& alloc, const StepRequest& request,
                                       const BookedCpus& booked) {
  const uint32_t cpt = std::max<uint32_t>(request.cpus_per_task, 1);
  if (request.max_nodes != 0 && request.min_nodes > request.max_nodes) {
    return Error(ErrorCode::kInvalidNodeCount);
  }
  std::optional<Hostlist> wanted, excluded;
  if (!request.node_list.empty()) {
    ASSIGN_OR_RETURN(Hostlist hl, Hostlist::Parse(request.node_list));
    wanted = std::move(hl);
  }
  if (!request.exclude.empty()) {
    ASSIGN_OR_RETURN(Hostlist hl, Hostlist::Parse(request.exclude));
    excluded = std::move(hl);
  }
  // The candidates, in the allocation's order; -w nodes must all be in it.
  std::vector<const NodeAllocation*> candidates;
  for (const NodeAllocation& a : alloc.nodes) {
    if (excluded && excluded->Contains(a.node)) continue;
    candidates.push_back(&a);
  }
  std::vector<const NodeAllocation*> required;
  if (wanted) {
    for (const NodeAllocation* a : candidates) {
      if (wanted->Contains(a->node)) required.push_back(a);
    }
    if (required.size() != wanted->size()) {
      return Error(ErrorCode::kNodeConfigUnavailable,
                   "requested nodes are not all in the job's allocation");
    }
  }

  // How many nodes: -N, else what -w names, else every candidate; never more nodes than
  // tasks (each node runs at least one).
  uint32_t nodes = request.min_nodes;
  if (nodes == 0) {
    nodes = wanted ? static_cast<uint32_t>(required.size())
                   : static_cast<uint32_t>(candidates.size());
    if (request.num_tasks && *request.num_tasks < nodes) nodes = *request.num_tasks;
    if (request.ntasks_per_node && request.num_tasks && *request.ntasks_per_node > 0) {
      uint32_t need = (*request.num_tasks + *request.ntasks_per_node - 1) / *request.ntasks_per_node;
      nodes = std::min(nodes, std::max<uint32_t>(need, 1));
    }
    nodes = std::max<uint32_t>(nodes, static_cast<uint32_t>(required.size()));
  }
  if (nodes == 0 || nodes > candidates.size() || nodes < required.size()) {
    return Error(ErrorCode::kNodeConfigUnavailable);
  }
  uint32_t tasks = request.num_tasks.value_or(
      request.ntasks_per_node ? *request.ntasks_per_node * nodes : nodes);
  if (tasks == 0) return Error(ErrorCode::kInvalidArgument, "a step needs at least one task");
  // As Slurm: more nodes than tasks shrinks the node count (srun warns).
  if (tasks < nodes) {
    if (tasks < required.size()) return Error(ErrorCode::kNodeConfigUnavailable);
    nodes = tasks;
  }
  // Tasks per node, block: even split, the first nodes take the remainder.
  std::vector<uint32_t> per_node(nodes);
  for (uint32_t i = 0; i < nodes; ++i) per_node[i] = tasks / nodes + (i < tasks % nodes ? 1 : 0);
  if (request.ntasks_per_node && per_node.front() > *request.ntasks_per_node) {
    return Error(ErrorCode::kTooManyRequestedCpus);
  }

  // Pick the nodes: the -w ones first, then candidates in order; a node must hold its
  // share within the job's CPUs there (else the step can never run), and next to the
  // running steps (else it must wait).
  std::vector<const NodeAllocation*> order = required;
  for (const NodeAllocation* a : candidates) {
    if (std::find(order.begin(), order.end(), a) == order.end()) order.push_back(a);
  }
  // Nodes take shares in order of their size: the biggest share goes to the first node
  // that can hold it.
  std::vector<StepNode> plan;
  size_t next_share = 0;
  for (const NodeAllocation* a : order) {
    if (next_share == per_node.size()) break;
    const bool must = std::find(required.begin(), required.end(), a) != required.end();
    const uint32_t need = per_node[next_share] * cpt;
    const auto have = static_cast<uint32_t>(a->cpus.size());
    const uint32_t used = request.overlap ? 0 : booked(a->node);
    if (need > have) {
      if (must) return Error(ErrorCode::kTooManyRequestedCpus);
      continue;
    }
    if (need + used > have) {
      if (must) break;
      continue;
    }
    plan.push_back({a->node, need, {}});
    ++next_share;
  }
  if (plan.size() != per_node.size()) {
    // Could it fit at all, with no other step running?
    uint32_t fit = 0;
    for (const NodeAllocation* a : order) {
      if (fit < per_node.size() && per_node[fit] * cpt <= a->cpus.size()) ++fit;
    }
    if (fit < per_node.size()) return Error(ErrorCode::kTooManyRequestedCpus);
    return Error(ErrorCode::kNodesBusy);
  }
  // Ranks ascending node by node, in the allocation's order.
  std::sort(plan.begin(), plan.end(), [&](const StepNode& x, const StepNode& y) {
    auto pos = [&](const std::string& n) {
      return std::find_if(alloc.nodes.begin(), alloc.nodes.end(),
                          [&](const NodeAllocation& a) { return a.node == n; }) -
             alloc.nodes.begin();
    };
    return pos(x.node) < pos(y.node);
  });
  uint32_t rank = 0;
  for (size_t i = 0; i < plan.size(); ++i) {
    const uint32_t count = plan[i].cpus / cpt;
    for (uint32_t t = 0; t < count; ++t) plan[i].task_ids.push_back(rank++);
  }
  return plan;
}

uint32_t Engine::StepCpusOn(JobId job, const std::string& node) const {
  auto it = steps_.find(job);
  if (it == steps_.end()) return 0;
  uint32_t used = 0;
  for (const auto& [id, step] : it->second.running) {
    if (step->overlap) continue;
    for (const StepNode& n : step->nodes) {
      if (n.node == node) used += n.cpus;
    }
  }
  return used;
}

Result<std::shared_ptr<const Step>> Engine::CreateStep(JobId id, const StepRequest& request,
                                                       const Identity& who, TimePoint now) {
  const Job* job = FindJob(id);
  if (!job) return Error(ErrorCode::kInvalidJobId);
  RETURN_IF_ERROR(CheckOwner(*job, who));
  if (IsPending(job->state)) return Error(ErrorCode::kJobPending);
  if (job->state != JobState::kRunning) return Error(ErrorCode::kAlreadyDone);
  ASSIGN_OR_RETURN(std::vector<StepNode> plan,
                   PlanStep(job->alloc, request, [&](const std::string& node) {
                     return StepCpusOn(id, node);
                   }));
  JobSteps& steps = steps_[id];
  auto step = std::make_shared<Step>();
  step->job = id;
  step->id = steps.next_id++;
  step->name = request.name;
  step->uid = job->spec->uid;
  step->start_time = now;
  step->nodes = std::move(plan);
  for (const StepNode& n : step->nodes) {
    step->num_tasks += static_cast<uint32_t>(n.task_ids.size());
    step->running_on.push_back(n.node);
  }
  step->cpus_per_task = std::max<uint32_t>(request.cpus_per_task, 1);
  step->time_limit_s = request.time_limit_s.value_or(-1);
  step->overlap = request.overlap;
  step->command = request.command;
  step->srun_host = request.srun_host;
  step->srun_pid = request.srun_pid;
  step->job_submit_time = job->submit_time;
  steps.running[step->id] = step;
  steps_dirty_ = true;
  // Step ids never repeat within a job, across restarts too.
  records_.push_back(EncodeRecord(Record(StepCounterRecord{id, steps.next_id})));
  log_.Info("_slurm_rpc_job_step_create: StepId={}.{} {} usec=0", id, step->id, step->NodeList());
  return std::shared_ptr<const Step>(step);
}

Status Engine::CompleteStep(JobId id, uint32_t step_id, const std::string& node,
                            const Identity* who, ExitCode code, TimePoint now) {
  const Job* job = FindJob(id);
  if (!job) return Error(ErrorCode::kInvalidJobId);
  if (who) RETURN_IF_ERROR(CheckOwner(*job, *who));
  auto it = steps_.find(id);
  if (it == steps_.end()) return Ok();
  auto s = it->second.running.find(step_id);
  // An end reported twice (srun and the node daemons both report) is harmless.
  if (s == it->second.running.end()) return Ok();
  auto next = std::make_shared<Step>(*s->second);
  // The highest exit code reported wins (srun's covers every node).
  if (code.ToWaitStatus() > next->exit_code.ToWaitStatus()) next->exit_code = code;
  if (!node.empty()) {
    std::erase(next->running_on, node);
    if (!next->running_on.empty()) {
      s->second = std::move(next);
      steps_dirty_ = true;
      return Ok();
    }
  }
  s->second = next;
  JobState state = next->exit_code.Succeeded() ? JobState::kCompleted : JobState::kFailed;
  if (next->exit_code.signal == SIGKILL || next->exit_code.signal == SIGTERM) {
    state = JobState::kCancelled;
  }
  EndStep(it->second, step_id, state, next->exit_code, now);
  return Ok();
}

void Engine::EndStep(JobSteps& steps, uint32_t id, JobState state, ExitCode code,
                     TimePoint now) {
  auto s = steps.running.find(id);
  if (s == steps.running.end()) return;
  auto ended = std::make_shared<Step>(*s->second);
  ended->state = state;
  ended->exit_code = code;
  ended->end_time = now;
  log_.Info("StepId={}.{} done: {} {}", ended->job, id, JobStateName(state), code.ToString());
  ended_steps_.push_back(std::move(ended));
  steps.running.erase(s);
  steps_dirty_ = true;
}

Status Engine::SignalStep(JobId id, uint32_t step_id, int signal, const Identity& who) {
  const Job* job = FindJob(id);
  if (!job) return Error(ErrorCode::kInvalidJobId);
  RETURN_IF_ERROR(CheckOwner(*job, who));
  auto it = steps_.find(id);
  if (it == steps_.end() || !it->second.running.contains(step_id)) {
    return Error(ErrorCode::kInvalidJobId, "", "step " + std::to_string(id) + "." +
                                                   std::to_string(step_id));
  }
  const Step& step = *it->second.running.at(step_id);
  for (const std::string& node : step.running_on) {
    Effect e{Effect::Kind::kSignalStep, node, id, signal, nullptr};
    e.step = step_id;
    effects_.push_back(std::move(e));
  }
  log_.Info("StepId={}.{} signal {}", id, step_id, signal);
  return Ok();
}

void Engine::DropStepsOf(JobId id, TimePoint now) {
  auto it = steps_.find(id);
  if (it == steps_.end() || it->second.running.empty()) return;
  // The job ended under them: its nodes kill what is left.
  std::vector<uint32_t> ids;
  for (const auto& [step, _] : it->second.running) ids.push_back(step);
  for (uint32_t step : ids) EndStep(it->second, step, JobState::kCancelled, {0, SIGKILL}, now);
}

std::shared_ptr<const std::vector<std::shared_ptr<const Step>>> Engine::PublishedSteps() {
  if (steps_dirty_ || !published_steps_) {
    auto list = std::make_shared<std::vector<std::shared_ptr<const Step>>>();
    for (const auto& [job, steps] : steps_) {
      for (const auto& [id, step] : steps.running) list->push_back(step);
    }
    std::sort(list->begin(), list->end(), [](const auto& a, const auto& b) {
      return std::pair(a->job, a->id) < std::pair(b->job, b->id);
    });
    published_steps_ = std::move(list);
    steps_dirty_ = false;
  }
  return published_steps_;
}

}  // namespace drover::ctld
