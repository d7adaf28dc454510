#include "ctld/records.h"

#include <algorithm>
#include <chrono>
#include <optional>

namespace drover::ctld {
namespace {

void EncodeDuration(Duration d, ByteWriter& w) { w.S(d.infinite() ? -1 : d.seconds()); }
Duration DecodeDuration(ByteReader& r) {
  int64_t s = r.S();
  return s < 0 ? Duration::Infinite() : Duration::FromSeconds(s);
}

void EncodeStrings(const std::vector<std::string>& v, ByteWriter& w) {
  w.U(v.size());
  for (const auto& s : v) w.Str(s);
}
std::vector<std::string> DecodeStrings(ByteReader& r) {
  std::vector<std::string> v;
  uint64_t n = r.U();
  for (uint64_t i = 0; i < n && r.ok(); ++i) v.push_back(r.Str());
  return v;
}

template <typename T>
void EncodeOpt(const std::optional<T>& v, ByteWriter& w) {
  w.B(v.has_value());
  if (v) w.U(*v);
}
template <typename T>
std::optional<T> DecodeOpt(ByteReader& r) {
  if (!r.B()) return std::nullopt;
  return static_cast<T>(r.U());
}

void EncodeSpec(const JobSpec& s, ByteWriter& w) {
  w.Str(s.name);
  w.U(s.uid);
  w.U(s.gid);
  w.Str(s.user_name);
  EncodeStrings(s.partitions, w);
  w.U(s.min_nodes);
  w.U(s.max_nodes);
  w.U(s.ntasks);
  w.U(s.cpus_per_task);
  w.U(s.ntasks_per_node);
  EncodeOpt(s.mem_per_node_mb, w);
  EncodeOpt(s.mem_per_cpu_mb, w);
  w.B(s.time_limit.has_value());
  if (s.time_limit) EncodeDuration(*s.time_limit, w);
  w.Str(s.nodelist);
  w.Str(s.exclude);
  w.B(s.exclusive);
  w.B(s.oversubscribe);
  w.B(s.hold);
  w.U(s.requeue ? (*s.requeue ? 2 : 1) : 0);
  w.B(s.begin_time.has_value());
  if (s.begin_time) w.S(ToEpoch(*s.begin_time));
  w.Str(s.account);
  w.Str(s.qos);
  w.Str(s.comment);
  w.Str(s.gres);
  w.Str(s.work_dir);
  w.Str(s.std_out);
  w.Str(s.std_err);
  w.Str(s.std_in);
  w.U(static_cast<uint8_t>(s.open_mode));
  w.Str(s.signal);
  w.S(s.nice);
  EncodeStrings(s.environment, w);
  w.Str(s.script);
  EncodeStrings(s.argv, w);
  w.Str(s.dependency);
}

JobSpec DecodeSpec(ByteReader& r) {
  JobSpec s;
  s.name = r.Str();
  s.uid = static_cast<uint32_t>(r.U());
  s.gid = static_cast<uint32_t>(r.U());
  s.user_name = r.Str();
  s.partitions = DecodeStrings(r);
  s.min_nodes = static_cast<uint32_t>(r.U());
  s.max_nodes = static_cast<uint32_t>(r.U());
  s.ntasks = static_cast<uint32_t>(r.U());
  s.cpus_per_task = static_cast<uint32_t>(r.U());
  s.ntasks_per_node = static_cast<uint32_t>(r.U());
  s.mem_per_node_mb = DecodeOpt<uint64_t>(r);
  s.mem_per_cpu_mb = DecodeOpt<uint64_t>(r);
  if (r.B()) s.time_limit = DecodeDuration(r);
  s.nodelist = r.Str();
  s.exclude = r.Str();
  s.exclusive = r.B();
  s.oversubscribe = r.B();
  s.hold = r.B();
  uint64_t rq = r.U();
  if (rq != 0) s.requeue = rq == 2;
  if (r.B()) s.begin_time = FromEpoch(r.S());
  s.account = r.Str();
  s.qos = r.Str();
  s.comment = r.Str();
  s.gres = r.Str();
  s.work_dir = r.Str();
  s.std_out = r.Str();
  s.std_err = r.Str();
  s.std_in = r.Str();
  s.open_mode = static_cast<OpenMode>(r.U());
  s.signal = r.Str();
  s.nice = static_cast<int32_t>(r.S());
  s.environment = DecodeStrings(r);
  s.script = r.Str();
  s.argv = DecodeStrings(r);
  s.dependency = r.Str();
  return s;
}

void EncodeArraySet(const ArrayTaskSet& set, ByteWriter& w) {
  w.U(set.ranges().size());
  for (const ArrayRange& a : set.ranges()) {
    w.U(a.first);
    w.U(a.last);
    w.U(a.step);
  }
}
ArrayTaskSet DecodeArraySet(ByteReader& r) {
  std::vector<ArrayRange> ranges;
  uint64_t n = r.U();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    ArrayRange a;
    a.first = static_cast<uint32_t>(r.U());
    a.last = static_cast<uint32_t>(r.U());
    a.step = std::max<uint32_t>(1, static_cast<uint32_t>(r.U()));
    if (a.last < a.first) a.last = a.first;
    ranges.push_back(a);
  }
  return ArrayTaskSet::FromNormalized(std::move(ranges));
}

// A job's array fields, in one length-prefixed block after everything else (so fields
// added later go inside it); absent for records written before arrays existed.
std::string EncodeJobArray(const Job& j) {
  ByteWriter w;
  w.U(j.array_job_id);
  w.B(j.array_task_id.has_value());
  w.U(j.array_task_id.value_or(0));
  EncodeArraySet(j.array_pending, w);
  return w.Take();
}

Status DecodeJobArray(std::string_view block, Job& j) {
  ByteReader r(block);
  if (!r.done()) j.array_job_id = static_cast<JobId>(r.U());
  if (!r.done()) {
    bool has_task = r.B();
    auto task = static_cast<uint32_t>(r.U());
    if (has_task) j.array_task_id = task;
  }
  if (!r.done()) j.array_pending = DecodeArraySet(r);
  return r.Check("job array fields");
}

// Spec fields added after the first format, in one length-prefixed block after the job's
// completion fields: each is read only while the block has bytes left, so a block written
// by an older controller (shorter) still decodes, with the defaults for what it lacks.
std::string EncodeSpecMore(const JobSpec& s) {
  ByteWriter w;
  w.B(s.cpus_per_task_given);
  w.Str(s.command);
  w.Str(s.alloc_node);
  w.U(s.alloc_sid);
  w.U(s.kill_on_invalid_dep ? (*s.kill_on_invalid_dep ? 2 : 1) : 0);
  EncodeArraySet(s.array, w);
  w.U(s.array_max_running);
  return w.Take();
}

Status DecodeSpecMore(std::string_view block, JobSpec& s) {
  ByteReader r(block);
  if (!r.done()) s.cpus_per_task_given = r.B();
  if (!r.done()) s.command = r.Str();
  if (!r.done()) s.alloc_node = r.Str();
  if (!r.done()) s.alloc_sid = static_cast<uint32_t>(r.U());
  if (!r.done()) {
    uint64_t kill = r.U();
    if (kill != 0) s.kill_on_invalid_dep = kill == 2;
  }
  if (!r.done()) s.array = DecodeArraySet(r);
  if (!r.done()) s.array_max_running = static_cast<uint32_t>(r.U());
  return r.Check("job spec");
}

}  // namespace

int64_t ToEpoch(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
TimePoint FromEpoch(int64_t s) { return TimePoint(std::chrono::seconds(s)); }

void EncodeJob(const Job& j, bool with_spec, ByteWriter& w) {
  w.U(j.id);
  w.B(with_spec);
  if (with_spec) EncodeSpec(*j.spec, w);
  w.U(j.submit_seq);
  w.U(static_cast<uint8_t>(j.state));
  w.U(static_cast<uint16_t>(j.reason));
  w.U(static_cast<uint8_t>(j.hold));
  w.U(j.priority);
  w.Str(j.partition);
  EncodeDuration(j.time_limit, w);
  w.Str(j.name);
  w.U(j.min_nodes);
  w.U(j.max_nodes);
  w.S(j.nice);
  w.S(ToEpoch(j.submit_time));
  w.S(ToEpoch(j.eligible_time));
  w.S(ToEpoch(j.start_time));
  w.S(ToEpoch(j.end_time));
  w.U(j.alloc.nodes.size());
  for (const auto& a : j.alloc.nodes) {
    w.Str(a.node);
    w.U(a.cpus.size());
    for (uint16_t c : a.cpus) w.U(c);
    w.U(a.mem_mb);
    w.U(a.share_limit);
    w.B(a.whole_node);
  }
  w.U(static_cast<uint32_t>(j.exit_code.exit_status));
  w.U(static_cast<uint32_t>(j.exit_code.signal));
  w.U(j.restarts);
  w.U(static_cast<uint8_t>(j.end_state));
  EncodeStrings(j.completing_nodes, w);
  if (with_spec) w.Str(EncodeSpecMore(*j.spec));
  w.Str(EncodeJobArray(j));
}

Result<std::shared_ptr<Job>> DecodeJob(ByteReader& r, std::shared_ptr<const JobSpec> spec_source,
                                       bool* with_spec, JobFormat format) {
  auto j = std::make_shared<Job>();
  j->id = static_cast<JobId>(r.U());
  bool has_spec = r.B();
  if (with_spec) *with_spec = has_spec;
  // The spec is completed by the block at the end of the record before it is shared.
  std::optional<JobSpec> spec;
  if (has_spec) {
    spec = DecodeSpec(r);
  } else {
    j->spec = std::move(spec_source);
  }
  j->submit_seq = r.U();
  j->state = static_cast<JobState>(r.U());
  j->reason = static_cast<PendingReason>(r.U());
  j->hold = static_cast<HoldKind>(r.U());
  j->priority = static_cast<uint32_t>(r.U());
  j->partition = r.Str();
  j->time_limit = DecodeDuration(r);
  j->name = r.Str();
  j->min_nodes = static_cast<uint32_t>(r.U());
  j->max_nodes = static_cast<uint32_t>(r.U());
  j->nice = static_cast<int32_t>(r.S());
  j->submit_time = FromEpoch(r.S());
  j->eligible_time = FromEpoch(r.S());
  j->start_time = FromEpoch(r.S());
  j->end_time = FromEpoch(r.S());
  uint64_t n = r.U();
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    NodeAllocation a;
    a.node = r.Str();
    uint64_t c = r.U();
    for (uint64_t k = 0; k < c && r.ok(); ++k) a.cpus.push_back(static_cast<uint16_t>(r.U()));
    a.mem_mb = r.U();
    a.share_limit = static_cast<uint8_t>(r.U());
    a.whole_node = r.B();
    j->alloc.nodes.push_back(std::move(a));
  }
  j->exit_code.exit_status = static_cast<int>(r.U());
  j->exit_code.signal = static_cast<int>(r.U());
  j->restarts = static_cast<uint32_t>(r.U());
  auto more = [&] { return format == JobFormat::kIfMore && r.ok() && !r.done(); };
  if (format == JobFormat::kV2 || format == JobFormat::kV3 || format == JobFormat::kV4 ||
      more()) {
    j->end_state = static_cast<JobState>(r.U());
    j->completing_nodes = DecodeStrings(r);
  }
  const bool v3 = format == JobFormat::kV3 || format == JobFormat::kV4;
  if (spec && (v3 || more())) {
    std::string block = r.Str();
    RETURN_IF_ERROR(r.Check("job record"));
    RETURN_IF_ERROR(DecodeSpecMore(block, *spec));
  }
  if (format == JobFormat::kV4 || more()) {
    std::string block = r.Str();
    RETURN_IF_ERROR(r.Check("job record"));
    RETURN_IF_ERROR(DecodeJobArray(block, *j));
  }
  RETURN_IF_ERROR(r.Check("job record"));
  if (spec) {
    spec->environment.Intern();
    spec->script.Intern();
    j->spec = std::make_shared<const JobSpec>(std::move(*spec));
  }
  if (!j->spec && !with_spec)
    return Error(ErrorCode::kIo, "job record without a spec", "job " + std::to_string(j->id));
  return j;
}

void EncodeNode(const NodeRecord& n, ByteWriter& w) {
  w.Str(n.name);
  w.U(static_cast<uint8_t>(n.base));
  w.B(n.drain);
  w.U(static_cast<uint8_t>(n.down_cause));
  w.Str(n.reason);
  w.U(n.reason_uid);
  w.S(n.reason_time);
}

NodeRecord DecodeNode(ByteReader& r) {
  NodeRecord n;
  n.name = r.Str();
  n.base = static_cast<NodeBaseState>(r.U());
  n.drain = r.B();
  n.down_cause = static_cast<DownCause>(r.U());
  n.reason = r.Str();
  n.reason_uid = static_cast<uint32_t>(r.U());
  n.reason_time = r.S();
  return n;
}

std::string EncodeRecord(const Record& record) {
  ByteWriter w;
  if (const auto* j = std::get_if<JobRecord>(&record)) {
    w.U(static_cast<uint8_t>(RecordType::kJob));
    w.B(j->submitted);
    EncodeJob(*j->job, j->with_spec, w);
  } else if (const auto* p = std::get_if<PurgeRecord>(&record)) {
    w.U(static_cast<uint8_t>(RecordType::kPurge));
    w.U(p->id);
  } else if (const auto* c = std::get_if<StepCounterRecord>(&record)) {
    w.U(static_cast<uint8_t>(RecordType::kStepCounter));
    w.U(c->job);
    w.U(c->next_step_id);
  } else {
    w.U(static_cast<uint8_t>(RecordType::kNode));
    EncodeNode(std::get<NodeRecord>(record), w);
  }
  return w.Take();
}

Result<Record> DecodeRecord(std::string_view payload) {
  ByteReader r(payload);
  auto type = static_cast<RecordType>(r.U());
  if (type == RecordType::kJob) {
    JobRecord jr;
    jr.submitted = r.B();
    // A record without its spec gets the installed version's spec from the engine.
    ASSIGN_OR_RETURN(auto job, DecodeJob(r, nullptr, &jr.with_spec, JobFormat::kIfMore));
    jr.job = std::move(job);
    return Record(std::move(jr));
  }
  if (type == RecordType::kPurge) {
    PurgeRecord p{static_cast<JobId>(r.U())};
    RETURN_IF_ERROR(r.Check("purge record"));
    return Record(p);
  }
  if (type == RecordType::kNode) {
    NodeRecord n = DecodeNode(r);
    RETURN_IF_ERROR(r.Check("node record"));
    return Record(std::move(n));
  }
  if (type == RecordType::kStepCounter) {
    StepCounterRecord c;
    c.job = static_cast<JobId>(r.U());
    c.next_step_id = static_cast<uint32_t>(r.U());
    RETURN_IF_ERROR(r.Check("step counter record"));
    return Record(c);
  }
  return Error(ErrorCode::kIo, "unknown log record type " + std::to_string(static_cast<int>(type)));
}

}  // namespace drover::ctld
