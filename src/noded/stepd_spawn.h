// SpawnStepd: starts drover-stepd for one job directory, detached from the caller.
//
// The caller forks a short-lived child that calls setsid() and forks drover-stepd, then
// exits; drover-stepd is therefore re-parented to init (or the nearest subreaper), in its
// own session and process group, with /dev/null for stdio: a droverd restart, its death
// by kill -9, or a terminal hang-up leaves it alone, and droverd never has to reap it.
// Between fork and exec only async-signal-safe calls are made (droverd is threaded).
//
// Readiness: stepd gets the write end of a pipe as fd 3 ("--ready-fd 3") and writes one
// line, "ok <pid>" once the script is started (or its launch failure is recorded for
// JobComplete), "error: <why>" when it cannot run the job at all. SpawnStepd returns the
// pid after "ok", the error otherwise, and kTimeout after `timeout`.
//
// Thread-safety: may be called from several threads at once.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

#include "base/result.h"

namespace drover::noded {

// `dir_flag`: "--job-dir" for a batch job's directory, "--step-dir" for an srun step's.
Result<pid_t> SpawnStepd(const std::string& stepd_path, const std::string& job_dir,
                         std::chrono::milliseconds timeout,
                         const std::string& dir_flag = "--job-dir");

}  // namespace drover::noded
