// srun --help and --usage, in Slurm's layout (options this srun accepts).
#include <ostream>

#include "cli/srun/srun.h"

namespace drover::cli::srun {

void PrintUsage(std::ostream& out) {
  out << R"(Usage: srun [-N nnodes] [-n ntasks] [-i in] [-o out] [-e err]
            [-c ncpus] [-r n] [-p partition] [--hold] [-t minutes]
            [-D path] [--immediate[=secs]] [--overcommit] [--no-kill]
            [--oversubscribe] [--label] [--unbuffered] [-m dist] [-J jobname]
            [--verbose] [--quiet] [--kill-on-bad-exit] [--exclusive] [--overlap]
            [--exact] [--cpu-bind=...] [--mpi=type] [--export=env_vars]
            [--contiguous] [--mincpus=n] [--mem=MB] [--tmp=MB] [-C list]
            [--account=name] [--dependency=type:jobid[+time]] [--comment=name]
            [--ntasks-per-node=n] [--nodelist=hosts] [--exclude=hosts]
            [--mem-per-cpu=MB] [--qos=qos] [--gres=list] [--cpus-per-gpu=n]
            [--gpus=n] [--gpus-per-node=n] [--gpus-per-task=n] [--mem-per-gpu=MB]
            executable [args...]
)";
}

void PrintHelp(std::ostream& out) {
  out << R"(Usage: srun [OPTIONS(0)... [executable(0) [args(0)...]]] [ : [OPTIONS(N)...]] executable(N) [args(N)...]

Parallel run options:
  -A, --account=name          charge job to specified account
  -c, --cpus-per-task=ncpus   number of cpus required per task
      --comment=name          arbitrary comment
      --cpu-bind=...          bind tasks to CPUs
  -d, --dependency=type:jobid[:time] defer job until condition on jobid is satisfied
  -D, --chdir=path            change remote current working directory
  -e, --error=err             location of stderr redirection
      --exact                 use only the resources requested for the step
      --export=env_vars|NONE  environment variables passed to launcher with
                              optional values or NONE (pass no variables)
  -H, --hold                  submit job in held state
  -i, --input=in              location of stdin redirection
  -I, --immediate[=secs]      exit if resources not available in "secs"
  -J, --job-name=jobname      name of job
  -k, --no-kill               do not kill job on node failure
  -K, --kill-on-bad-exit      kill the job if any task terminates with a
                              non-zero exit code
  -l, --label                 prepend task number to lines of stdout/err
  -m, --distribution=type     distribution method for processes to nodes
      --mpi=type              type of MPI being used
  -n, --ntasks=ntasks         number of tasks to run
  -N, --nodes=N               number of nodes on which to run (N = min[-max])
  -o, --output=out            location of stdout redirection
  -O, --overcommit            overcommit resources
      --overlap               Allow other steps to overlap this step
  -p, --partition=partition   partition requested
      --pty                   task 0 runs on a pseudo-terminal (interactive)
  -q, --qos=qos               quality of service
  -Q, --quiet                 quiet mode (suppress informational messages)
  -s, --oversubscribe         over-subscribe resources with other jobs
  -t, --time=minutes          time limit
  -u, --unbuffered            do not line-buffer stdout/err
  -v, --verbose               verbose mode (multiple -v's increase verbosity)

Constraint options:
      --mincpus=n             minimum number of logical processors per node
      --mem=MB                minimum amount of real memory
      --tmp=MB                minimum amount of temporary disk
      --contiguous            demand a contiguous range of nodes
  -w, --nodelist=hosts...     request a specific list of hosts
  -x, --exclude=hosts...      exclude a specific list of hosts

Consumable resources related options:
      --exclusive[=user]      allocate nodes in exclusive mode when
                              cpu consumable resource is enabled
                              or don't share CPUs for job steps
      --mem-per-cpu=MB        maximum amount of real memory per allocated
                              cpu required by the job.
                              --mem >= --mem-per-cpu if --mem is specified.

GPU scheduling options:
      --cpus-per-gpu=n        number of CPUs required per allocated GPU
  -G, --gpus=n                count of GPUs required for the job
      --gpus-per-node=n       number of GPUs required per allocated node
      --gpus-per-task=n       number of GPUs required per spawned task
      --mem-per-gpu=n         real memory required per allocated GPU
      --gres=list             required generic resources

Help options:
  -h, --help                  show this help message
      --usage                 display brief usage message

Other options:
  -V, --version               output version information and exit

)";
}

}  // namespace drover::cli::srun
