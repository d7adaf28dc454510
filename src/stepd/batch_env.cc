#include "stepd/batch_env.h"

#include <fmt/core.h>

#include <cctype>
#include <unordered_map>

namespace drover::stepd {
namespace {

std::string_view NameOf(std::string_view entry) {
  auto eq = entry.find('=');
  return eq == std::string_view::npos ? entry : entry.substr(0, eq);
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(a[i])) !=
        std::toupper(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool IsSlurmVariable(std::string_view name) { return name.starts_with("SLURM_"); }

// An ordered environment: names keep the position where they first appeared.
class EnvBuilder {
 public:
  void Set(std::string_view name, std::string_view value) {
    std::string entry = fmt::format("{}={}", name, value);
    auto it = index_.find(std::string(name));
    if (it != index_.end()) {
      entries_[it->second] = std::move(entry);
      return;
    }
    index_.emplace(std::string(name), entries_.size());
    entries_.push_back(std::move(entry));
  }
  void SetEntry(std::string_view entry) {
    auto name = NameOf(entry);
    if (name.size() == entry.size()) return;  // not NAME=value: not a variable
    Set(name, entry.substr(name.size() + 1));
  }
  bool Has(std::string_view name) const { return index_.contains(std::string(name)); }
  std::vector<std::string> Take() && { return std::move(entries_); }

 private:
  std::vector<std::string> entries_;
  std::unordered_map<std::string, size_t> index_;
};

void AddPropagated(const BatchJobInfo& job, EnvBuilder& env) {
  const auto& spec = job.export_spec;
  if (spec.mode == ExportSpec::Mode::kAll) {
    for (const auto& entry : job.submit_env) env.SetEntry(entry);
    // "ALL,FOO=bar": the caller's own FOO wins; bar only fills a gap (sbatch(1)).
    for (const auto& item : spec.items) {
      auto name = NameOf(item);
      if (name.size() != item.size() && !env.Has(name)) env.SetEntry(item);
    }
    return;
  }
  for (const auto& entry : job.submit_env) {
    if (IsSlurmVariable(NameOf(entry))) env.SetEntry(entry);
  }
  for (const auto& item : spec.items) {
    auto name = NameOf(item);
    if (name.size() != item.size()) {
      env.SetEntry(item);
      continue;
    }
    if (auto value = EnvValue(job.submit_env, name)) env.Set(name, *value);
  }
}

}  // namespace

Result<ExportSpec> ParseExport(std::string_view text) {
  ExportSpec spec;
  if (EqualsIgnoreCase(text, "ALL")) return spec;
  if (EqualsIgnoreCase(text, "NONE") || EqualsIgnoreCase(text, "NIL")) {
    spec.mode = ExportSpec::Mode::kNone;
    return spec;
  }
  spec.mode = ExportSpec::Mode::kList;
  size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(start, comma - start);
    start = comma + 1;
    if (item.empty() || NameOf(item).empty()) {
      return Error(ErrorCode::kInvalidArgument,
                   fmt::format("Invalid --export specification: {}", text));
    }
    if (first && EqualsIgnoreCase(item, "ALL")) {
      spec.mode = ExportSpec::Mode::kAll;
    } else if (EqualsIgnoreCase(item, "NONE") || EqualsIgnoreCase(item, "NIL")) {
      return Error(
          ErrorCode::kInvalidArgument,
          fmt::format("Invalid --export specification: {}: NONE takes no variables", text));
    } else {
      spec.items.emplace_back(item);
    }
    first = false;
    if (comma == text.size()) break;
  }
  return spec;
}

std::string CompressCounts(std::span<const uint32_t> counts) {
  std::string out;
  for (size_t i = 0; i < counts.size();) {
    size_t j = i;
    while (j < counts.size() && counts[j] == counts[i]) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(counts[i]);
    if (j - i > 1) out += fmt::format("(x{})", j - i);
    i = j;
  }
  return out;
}

std::optional<std::string_view> EnvValue(std::span<const std::string> env, std::string_view name) {
  for (const auto& entry : env) {
    std::string_view e = entry;
    if (e.size() > name.size() && e.starts_with(name) && e[name.size()] == '=') {
      return e.substr(name.size() + 1);
    }
  }
  return std::nullopt;
}

std::vector<std::string> BuildBatchEnv(const BatchJobInfo& job) {
  EnvBuilder env;
  AddPropagated(job, env);

  auto set = [&env](std::string_view name, const auto& value) {
    env.Set(name, fmt::format("{}", value));
  };
  auto set_nonempty = [&env](std::string_view name, const std::string& value) {
    if (!value.empty()) env.Set(name, value);
  };

  if (!job.export_text.empty()) set("SLURM_EXPORT_ENV", job.export_text);
  set_nonempty("SLURM_CLUSTER_NAME", job.cluster);
  set_nonempty("SLURM_CONF", job.conf_path);
  set("SLURM_JOB_ID", job.job_id);
  set("SLURM_JOBID", job.job_id);
  set("SLURM_JOB_NAME", job.job_name);
  set("SLURM_JOB_USER", job.user);
  set("SLURM_JOB_UID", job.uid);
  set("SLURM_JOB_GID", job.gid);
  set("SLURM_JOB_NODELIST", job.nodes);
  set("SLURM_NODELIST", job.nodes);
  set("SLURM_JOB_NUM_NODES", job.num_nodes);
  set("SLURM_NNODES", job.num_nodes);
  set_nonempty("SLURM_JOB_PARTITION", job.partition);
  set_nonempty("SLURM_JOB_ACCOUNT", job.account);
  set_nonempty("SLURM_JOB_QOS", job.qos);
  set_nonempty("SLURM_JOB_RESERVATION", job.reservation);
  set("SLURM_JOB_CPUS_PER_NODE", CompressCounts(job.cpus_per_node));
  set("SLURM_TASKS_PER_NODE", CompressCounts(job.tasks_per_node));
  if (!job.cpus_per_node.empty()) set("SLURM_CPUS_ON_NODE", job.cpus_per_node.front());
  if (job.ntasks) {
    set("SLURM_NTASKS", *job.ntasks);
    set("SLURM_NPROCS", *job.ntasks);
  }
  if (job.cpus_per_task) set("SLURM_CPUS_PER_TASK", *job.cpus_per_task);
  if (job.mem_per_cpu_mb) {
    set("SLURM_MEM_PER_CPU", *job.mem_per_cpu_mb);
  } else if (job.mem_per_node_mb) {
    set("SLURM_MEM_PER_NODE", *job.mem_per_node_mb);
  }
  set_nonempty("SLURM_SUBMIT_DIR", job.submit_dir);
  set_nonempty("SLURM_SUBMIT_HOST", job.submit_host);
  if (job.array) {
    set("SLURM_ARRAY_JOB_ID", job.array->array_job_id);
    set("SLURM_ARRAY_TASK_ID", job.array->task_id);
    set("SLURM_ARRAY_TASK_COUNT", job.array->task_count);
    set("SLURM_ARRAY_TASK_MIN", job.array->task_min);
    set("SLURM_ARRAY_TASK_MAX", job.array->task_max);
    set("SLURM_ARRAY_TASK_STEP", job.array->task_step);
  }
  if (job.start_time) set("SLURM_JOB_START_TIME", *job.start_time);
  if (job.end_time) set("SLURM_JOB_END_TIME", *job.end_time);
  // The batch script is task 0 of node 0 of its step.
  set("SLURM_NODEID", 0);
  set("SLURM_PROCID", 0);
  set("SLURM_LOCALID", 0);
  set("SLURM_GTIDS", 0);
  if (!env.Has("SLURM_PRIO_PROCESS")) set("SLURM_PRIO_PROCESS", 0);  // sbatch sends the nice
  set_nonempty("SLURMD_NODENAME", job.node_name);
  set_nonempty("SLURM_TOPOLOGY_ADDR", job.node_name);
  if (!job.node_name.empty()) set("SLURM_TOPOLOGY_ADDR_PATTERN", "node");
  set_nonempty("HOSTNAME", job.node_name);
  set("ENVIRONMENT", "BATCH");
  return std::move(env).Take();
}

}  // namespace drover::stepd
