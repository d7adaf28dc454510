// The node daemon's spool: one directory per batch job under SlurmdSpoolDir, shared by
// droverd (which writes it and starts drover-stepd) and drover-stepd (which runs the job
// from it and removes it once the controller acknowledged JobComplete).
//
//   SlurmdSpoolDir/job00042/       root 0711: the user may reach the script, not list
//     script        the batch script, owned by the job's user, 0500
//     launch.pb     the LaunchBatchRequest as received (binary protobuf), root 0600
//     stepd.conf    what stepd needs from droverd's configuration, "key=value" lines
//     control       FIFO: droverd -> stepd requests, one line each (below), root 0600
//     stepd.pid     stepd's pid, written once it runs
//     state         "RUNNING" while the script runs, then "<STATE> <N:S>" (COMPLETED 3:0)
//
// The control channel is the FIFO. stepd holds it open for reading and writing for its
// whole life, so a writer's open(O_WRONLY|O_NONBLOCK) succeeds exactly while stepd
// lives (ENXIO otherwise): liveness needs no pid (no pid reuse trap) and no lock. A
// request is one line shorter than PIPE_BUF, so concurrent writers never interleave:
//   terminate\n              SIGCONT, SIGTERM, KillWait, SIGKILL (TerminateJob)
//   terminate <why>\n        the same, why = timeout | node_fail | preempted: the banner
//                            written to the job's stderr says "DUE TO TIME LIMIT" etc.
//   signal <sig> batch\n     the batch shell only (SignalJob batch_only)
//   signal <sig> all\n       every process of the job (SignalJob)
//   suspend\n, resume\n      SIGSTOP / SIGCONT to every process of the job (SuspendJob)
// srun steps have directories of their own beside these (step_spool.h).
//
// Thread-safety: free functions over paths; callers serialise writers of one directory.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drover::noded {

inline constexpr char kScriptFile[] = "script";
inline constexpr char kLaunchFile[] = "launch.pb";
inline constexpr char kStepdConfFile[] = "stepd.conf";
inline constexpr char kControlFifo[] = "control";
inline constexpr char kPidFile[] = "stepd.pid";
inline constexpr char kStateFile[] = "state";

// "SPOOL/job00042" (Slurm's job%05u).
std::string JobDir(std::string_view spool_dir, uint32_t job_id);

// The job ids of every job directory in `spool_dir` (none when it does not exist).
std::vector<uint32_t> ListJobDirs(const std::string& spool_dir);

// True while a drover-stepd serves the job directory's control FIFO.
bool StepdAlive(const std::string& job_dir);

// Writes one request line to the job's stepd. Errors: kNotFound when no stepd serves it.
Status SendControl(const std::string& job_dir, std::string_view line);

// Writes `content` to `path` atomically (temp file + rename) with `mode`.
Status WriteFileAtomic(const std::string& path, std::string_view content, mode_t mode);
Result<std::string> ReadFile(const std::string& path);

// "key=value" lines (no escaping: values hold no newline).
std::string FormatKeyValues(const std::map<std::string, std::string>& values);
std::map<std::string, std::string> ParseKeyValues(std::string_view text);

// Removes the job directory and what it holds (one level; no subdirectories). Idempotent.
Status RemoveJobDir(const std::string& job_dir);

// SlurmdSpoolDir / SlurmdPidFile / SlurmdLogFile with %n (node name) and %h (host name)
// replaced, as slurmd expands them.
std::string ExpandNodePath(std::string_view pattern, std::string_view node_name,
                           std::string_view host_name);

}  // namespace drover::noded
