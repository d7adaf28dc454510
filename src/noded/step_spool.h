// The spool of srun steps, beside the batch jobs' (spool.h): one directory per step that
// runs tasks on this node, and the framing droverd and drover-stepd speak over its socket.
//
//   SlurmdSpoolDir/job00042.3/     root 0700: step 3 of job 42
//     launch.pb      the StepIo LaunchTasks request as received (binary protobuf)
//     credential.pb  the StepCredentialPayload droverd verified (binary protobuf)
//     stepd.conf     as for batch jobs (spool.h)
//     control        FIFO, as for batch jobs: terminate [why], signal <sig> all,
//                    suspend, resume
//     stepd.pid      stepd's pid, written once it runs
//     io             Unix stream socket stepd listens on; droverd connects and relays
//     state          "RUNNING", then "<STATE> <N:S>" (TIMEOUT 0:15)
//
// Frames on `io`: a 4-byte big-endian length, then that many bytes of one serialized
// message: StepIoRequest from droverd to stepd (input, signal, window_size; the launch
// itself is launch.pb), StepIoResponse from stepd to droverd (launched, output, exit,
// message, done). stepd accepts one connection at a time; a droverd restart loses it and
// the tasks keep running (their output is then dropped until someone connects again).
//
// Thread-safety: free functions over paths and descriptors; FrameReader has one owner.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace drover::noded {

inline constexpr char kCredentialFile[] = "credential.pb";
inline constexpr char kIoSocket[] = "io";
// A frame longer than this breaks the protocol (output chunks and stdin are far smaller).
inline constexpr uint32_t kMaxFrame = 16u << 20;

// "SPOOL/job00042.3".
std::string StepDir(std::string_view spool_dir, uint32_t job_id, uint32_t step_id);

// (job id, step id) of every step directory in `spool_dir`, sorted.
std::vector<std::pair<uint32_t, uint32_t>> ListStepDirs(const std::string& spool_dir);

// The directories of every stepd of `job_id` (its batch job's and its steps'), whether
// or not a stepd still serves them.
std::vector<std::string> JobStepdDirs(const std::string& spool_dir, uint32_t job_id);

// The 4-byte length prefix and the message.
std::string EncodeFrame(std::string_view message);

// Writes all of `data` to a socket (blocking, no SIGPIPE). Errors: kUnavailable when the
// peer is gone, kIo otherwise.
Status WriteAll(int fd, std::string_view data);

// Splits a byte stream into frames.
class FrameReader {
 public:
  void Append(const char* data, size_t size) { buffer_.append(data, size); }
  // The next whole frame, nullopt when more bytes are needed. Errors: kProtocol for a
  // length over kMaxFrame.
  Result<std::optional<std::string>> Next();

 private:
  std::string buffer_;
};

}  // namespace drover::noded
