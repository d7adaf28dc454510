// drover-stepd: the supervisor of one batch job, started by droverd (see
// noded/stepd_spawn.h) as `drover-stepd --job-dir SPOOL/job00042 [--ready-fd 3]`.
// It runs detached from droverd (own session, parent init), so a droverd restart or
// kill -9 leaves it and its job running. See noded/batch_stepd.h for what it does.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "noded/batch_stepd.h"

int main(int argc, char** argv) {
  std::string job_dir;
  int ready_fd = -1;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--job-dir" && i + 1 < argc) {
      job_dir = argv[++i];
    } else if (arg == "--ready-fd" && i + 1 < argc) {
      ready_fd = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "drover-stepd: error: unknown argument '%s'\n", argv[i]);
      return 2;
    }
  }
  if (job_dir.empty()) {
    std::fprintf(stderr, "Usage: drover-stepd --job-dir DIR [--ready-fd FD]\n");
    return 2;
  }
  return drover::noded::RunBatchStepd(job_dir, ready_fd);
}
