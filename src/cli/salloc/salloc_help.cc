// salloc --help and --usage, in Slurm's layout (options this salloc accepts).
#include <ostream>

#include "cli/salloc/salloc.h"

namespace drover::cli::salloc {

void PrintUsage(std::ostream& out) {
  out << R"(Usage: salloc [-N numnodes|[min nodes]-[max nodes]] [-n num-processors]
              [[-c cpus-per-node] [-r n] [-p partition] [--hold] [-t minutes]
              [--immediate[=secs]] [--no-kill] [--overcommit] [-D path]
              [--oversubscribe] [-J jobname]
              [--verbose] [--gid=group] [--uid=user] [--contiguous]
              [--mincpus=n] [--mem=MB] [--tmp=MB] [-C list]
              [--account=name] [--dependency=type:jobid[+time]] [--comment=name]
              [--mail-type=type] [--mail-user=user] [--nice[=value]]
              [--ntasks-per-node=n] [--nodelist=hosts] [--exclude=hosts]
              [--mem-per-cpu=MB] [--qos=qos] [--gres=list] [--no-shell]
              [--cpus-per-gpu=n] [--gpus=n] [--gpus-per-node=n]
              [--gpus-per-socket=n] [--gpus-per-task=n] [--mem-per-gpu=MB]
              [executable [args...]]
)";
}

void PrintHelp(std::ostream& out) {
  out << R"(Usage: salloc [OPTIONS(0)...] [ : [OPTIONS(N)...]] [command(0) [args(0)...]]

Parallel run options:
  -A, --account=name          charge job to specified account
  -c, --cpus-per-task=ncpus   number of cpus required per task
      --comment=name          arbitrary comment
  -C, --constraint=list       specify a list of constraints
  -d, --dependency=type:jobid[:time] defer job until condition on jobid is satisfied
  -D, --chdir=path            change working directory
      --exclusive[=user|mcs]  allocate nodes in exclusive mode
      --get-user-env          used by Moab.  See srun man page.
  -H, --hold                  submit job in held state
  -I, --immediate[=secs]      exit if resources not available in "secs"
  -J, --job-name=jobname      name of job
  -k, --no-kill               do not kill job on node failure
  -N, --nodes=N               number of nodes on which to run (N = min[-max])
      --nice[=value]          decrease scheduling priority by value
      --no-shell              immediately exit after allocating resources,
                              without running a command
  -O, --overcommit            overcommit resources
  -p, --partition=partition   partition requested
  -q, --qos=qos               quality of service
  -Q, --quiet                 quiet mode (suppress informational messages)
  -s, --oversubscribe         oversubscribe resources with other jobs
  -t, --time=minutes          time limit
      --time-min=minutes      minimum time limit (if distinct)
  -v, --verbose               verbose mode (multiple -v's increase verbosity)

Constraint options:
      --mincpus=n             minimum number of logical processors per node
      --mem=MB                minimum amount of real memory
      --tmp=MB                minimum amount of temporary disk
      --contiguous            demand a contiguous range of nodes
  -w, --nodelist=hosts...     request a specific list of hosts
  -x, --exclude=hosts...      exclude a specific list of hosts

Consumable resources related options:
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

}  // namespace drover::cli::salloc
