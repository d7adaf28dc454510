// The write-ahead log's record format.
//
// Records are *state*, not commands: each is the new version of one object (a job, a
// node's persisted state). The engine validates a command against its state, decides the
// outcome (including the scheduler's choice of nodes and CPUs), and logs the resulting
// versions; replay just installs them. So recovery never re-runs validation or
// scheduling, and a newer controller replays an older log to exactly the state that was
// acknowledged.
//
// Encoding (codec.h): varint record type, then the fields in the order below. A job
// record carries its JobSpec only when the spec is new (submission); later versions
// reuse the spec already installed. Snapshots are: magic "DRVS4", next job id, next
// submit sequence, the job records (each with its spec), the node records.
//
// Compatibility: a job's completion fields (end state, nodes still to confirm) follow its
// first fields; a log record written before they existed simply ends earlier, and a
// "DRVS1" snapshot's jobs have none. A job that carries its spec ends with a
// length-prefixed block of the spec fields added later (submit host and session, the
// script's path, whether -c was given); records and "DRVS2" snapshots written before it
// have none, and a shorter block leaves the fields it lacks at their defaults. A purge
// record (MinJobAge) names a job to forget. A step counter record (job, next step id)
// follows each step's creation; snapshots end with the jobs' step counters (older ones
// end after the nodes).
//
// Arrays: the spec block ends with the array's task ranges and throttle; every job then
// ends with a length-prefixed array block (array job id, task id, the master's pending
// task ranges). Log records and "DRVS3" snapshots written before arrays have no such
// block and decode as jobs that are not arrays. A task split off from its array is logged
// as a new job (`submitted`) without its spec: replay takes the spec of the array's
// master record, which is always installed by then (it only ends as the last task).
//
// Thread-safety: pure functions.
#pragma once

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "base/result.h"
#include "core/job.h"
#include "core/node.h"
#include "ctld/codec.h"

namespace drover::ctld {

enum class RecordType : uint8_t { kJob = 1, kNode = 2, kPurge = 3, kStepCounter = 4 };

// Whether encoded jobs carry the completion fields (see Compatibility above).
enum class JobFormat : uint8_t {
  kV1,      // never ("DRVS1" snapshots)
  kV2,      // always, without the spec block ("DRVS2" snapshots)
  kV3,      // always, with the spec block when the job carries its spec ("DRVS3")
  kV4,      // as kV3, then always the array block ("DRVS4")
  kIfMore,  // each when bytes remain (a log record holds one job)
};

// A job version. `submitted` marks the record that created the job (advances the id
// and sequence counters on replay).
struct JobRecord {
  bool submitted = false;
  bool with_spec = false;
  std::shared_ptr<const Job> job;
};

// The parts of a node that outlive a restart: admin and failure state, reason.
struct NodeRecord {
  std::string name;
  NodeBaseState base = NodeBaseState::kUnknown;
  bool drain = false;
  DownCause down_cause = DownCause::kNone;
  std::string reason;
  uint32_t reason_uid = 0;
  int64_t reason_time = 0;  // seconds since the epoch
};

// A finished job aged past MinJobAge: the controller forgets it (its id stays used).
struct PurgeRecord {
  JobId id = 0;
};

// A step was created: the job's next step id, so ids never repeat after a restart.
struct StepCounterRecord {
  JobId job = 0;
  uint32_t next_step_id = 0;
};

using Record = std::variant<JobRecord, NodeRecord, PurgeRecord, StepCounterRecord>;

std::string EncodeRecord(const Record& record);
// Errors: kIo for a malformed payload or an unknown type.
Result<Record> DecodeRecord(std::string_view payload);

// Pieces shared with the snapshot format.
void EncodeJob(const Job& job, bool with_spec, ByteWriter& w);
// `spec_source`: the spec to reuse when the record has none. With `with_spec` given, it
// is told whether the record had one, and a missing spec is left null (not an error).
Result<std::shared_ptr<Job>> DecodeJob(ByteReader& r, std::shared_ptr<const JobSpec> spec_source,
                                       bool* with_spec = nullptr,
                                       JobFormat format = JobFormat::kV3);
void EncodeNode(const NodeRecord& node, ByteWriter& w);
NodeRecord DecodeNode(ByteReader& r);

int64_t ToEpoch(TimePoint t);
TimePoint FromEpoch(int64_t s);

}  // namespace drover::ctld
