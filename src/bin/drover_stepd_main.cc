// drover-stepd: the supervisor of one batch job or one srun step on one node, started by
// droverd (see noded/stepd_spawn.h) as
//   drover-stepd --job-dir SPOOL/job00042 [--ready-fd 3]     (noded/batch_stepd.h)
//   drover-stepd --step-dir SPOOL/job00042.3 [--ready-fd 3]  (noded/tasks_stepd.h)
// It runs detached from droverd (own session, parent init), so a droverd restart or
// kill -9 leaves it and its tasks running.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "noded/batch_stepd.h"
#include "noded/tasks_stepd.h"

int main(int argc, char** argv) {
  std::string job_dir, step_dir;
  int ready_fd = -1;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--job-dir" && i + 1 < argc) {
      job_dir = argv[++i];
    } else if (arg == "--step-dir" && i + 1 < argc) {
      step_dir = argv[++i];
    } else if (arg == "--ready-fd" && i + 1 < argc) {
      ready_fd = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "drover-stepd: error: unknown argument '%s'\n", argv[i]);
      return 2;
    }
  }
  if (job_dir.empty() == step_dir.empty()) {
    std::fprintf(stderr, "Usage: drover-stepd {--job-dir DIR | --step-dir DIR} [--ready-fd FD]\n");
    return 2;
  }
  if (!step_dir.empty()) return drover::noded::RunTasksStepd(step_dir, ready_fd);
  return drover::noded::RunBatchStepd(job_dir, ready_fd);
}
