// sbatch end to end over a fake controller client: what reaches the controller (script,
// JobSpec) and what the user sees (stdout, stderr, exit code), against the reference
// output of Slurm 22.05 in shared/reference/.
#include "cli/sbatch/sbatch.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace drover::cli::sbatch {
namespace {

namespace v1 = ::drover::v1;

class FakeClient final : public client::ControllerClient {
 public:
  Result<v1::SubmitBatchJobResponse> SubmitBatchJob(
      const v1::SubmitBatchJobRequest& request) override {
    ++calls;
    last = request;
    if (error) return *error;
    return response;
  }
  Result<std::vector<v1::JobInfo>> ListJobs(const v1::ListJobsRequest&) override {
    return Error(ErrorCode::kNotSupported);
  }
  Result<std::vector<v1::NodeInfo>> ListNodes(const v1::ListNodesRequest&) override {
    return Error(ErrorCode::kNotSupported);
  }
  Result<v1::ListPartitionsResponse> ListPartitions(const v1::ListPartitionsRequest&) override {
    return Error(ErrorCode::kNotSupported);
  }
  Result<v1::JobActionResponse> CancelJobs(const v1::CancelJobsRequest&) override {
    return Error(ErrorCode::kNotSupported);
  }
  Result<v1::JobActionResponse> UpdateJobs(const v1::UpdateJobsRequest&) override {
    return Error(ErrorCode::kNotSupported);
  }
  Result<v1::JobActionResponse> HoldJobs(const v1::HoldJobsRequest&) override {
    return Error(ErrorCode::kNotSupported);
  }
  Result<v1::JobActionResponse> ReleaseJobs(const v1::ReleaseJobsRequest&) override {
    return Error(ErrorCode::kNotSupported);
  }
  Result<v1::JobActionResponse> RequeueJobs(const v1::RequeueJobsRequest&) override {
    return Error(ErrorCode::kNotSupported);
  }
  Result<v1::UpdateNodesResponse> UpdateNodes(const v1::UpdateNodesRequest&) override {
    return Error(ErrorCode::kNotSupported);
  }
  Result<v1::GetConfigResponse> GetConfig(const v1::GetConfigRequest&) override {
    return Error(ErrorCode::kNotSupported);
  }
  Result<v1::ReconfigureResponse> Reconfigure(const v1::ReconfigureRequest&) override {
    return Error(ErrorCode::kNotSupported);
  }
  Result<v1::PingResponse> Ping(const v1::PingRequest&) override {
    return Error(ErrorCode::kNotSupported);
  }

  int calls = 0;
  v1::SubmitBatchJobRequest last;
  v1::SubmitBatchJobResponse response;
  std::optional<Error> error;
};

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

class SbatchTest : public ::testing::Test {
 protected:
  SbatchTest() { client_.response.set_job_id(35494); }

  Outcome Sbatch(std::vector<std::string> args, std::string stdin_text = "",
                 Environment env = {{"HOME", "/home/u"}, {"PATH", "/usr/bin"}}) {
    std::ostringstream out, err;
    std::istringstream in(stdin_text);
    Invocation inv{"sbatch", std::move(args), std::move(env), out, err};
    int code = sbatch::Run(inv, client_, in);
    return {code, out.str(), err.str()};
  }

  std::string WriteScript(const std::string& text) {
    auto dir = std::filesystem::temp_directory_path() / ("sbatch_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    auto path = dir / "job.sh";
    std::ofstream(path) << text;
    return path.string();
  }

  FakeClient client_;
};

// reference/sbatch_plain.txt
TEST_F(SbatchTest, PlainOutput) {
  auto r = Sbatch({"-H", "-o", "/dev/null", "--wrap=true"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "Submitted batch job 35494\n");
  EXPECT_EQ(r.err, "");
  EXPECT_TRUE(client_.last.spec().hold());
  EXPECT_EQ(client_.last.spec().std_out(), "/dev/null");
}

// reference/sbatch_parsable.txt
TEST_F(SbatchTest, ParsableOutput) {
  client_.response.set_job_id(35493);
  auto r = Sbatch({"--parsable", "-H", "-o", "/dev/null", "--wrap=true"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "35493\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(SbatchTest, ParsableWithClusterAndPlainWithCluster) {
  client_.response.set_cluster("alpha");
  auto r = Sbatch({"--parsable", "-M", "alpha", "--wrap=true"});
  EXPECT_EQ(r.out, "35494;alpha\n");
  r = Sbatch({"-M", "alpha", "--wrap=true"});
  EXPECT_EQ(r.out, "Submitted batch job 35494 on cluster alpha\n");
}

TEST_F(SbatchTest, WrapBuildsSlurmsScript) {
  auto r = Sbatch({"-J", "w", "--wrap", "echo hello; hostname"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(client_.last.script(),
            "#!/bin/sh\n# This script was created by sbatch --wrap.\n\necho hello; hostname\n");
  EXPECT_EQ(client_.last.spec().name(), "w");
  r = Sbatch({"--wrap=true"});
  EXPECT_EQ(client_.last.spec().name(), "wrap");
  EXPECT_EQ(client_.last.spec().command(), "");
  EXPECT_EQ(client_.last.spec().submit_line(), "sbatch --wrap=true");
}

TEST_F(SbatchTest, ScriptFileDirectivesAndArguments) {
  std::string path = WriteScript(
      "#!/bin/bash\n#SBATCH -N 2 # two nodes\n#SBATCH --partition=debug -t 5\n"
      "srun hostname \"$@\"\n");
  auto r = Sbatch({"-t", "10", path, "-N", "a b"}, "",
                  {{"SBATCH_PARTITION", "fromenv"}, {"HOME", "/h"}});
  ASSERT_EQ(r.code, 0) << r.err;
  const v1::JobSpec& spec = client_.last.spec();
  EXPECT_EQ(client_.last.script(),
            "#!/bin/bash\n#SBATCH -N 2 # two nodes\n#SBATCH --partition=debug -t 5\n"
            "srun hostname \"$@\"\n");
  EXPECT_EQ(spec.min_nodes(), 2u);
  ASSERT_EQ(spec.partitions_size(), 1);
  EXPECT_EQ(spec.partitions(0), "fromenv");  // env over script
  EXPECT_EQ(spec.time_limit_s(), 600);       // command line over script
  // Arguments after the script are the script's, not sbatch's.
  ASSERT_EQ(spec.argv_size(), 2);
  EXPECT_EQ(spec.argv(0), "-N");
  EXPECT_EQ(spec.argv(1), "a b");
  EXPECT_EQ(spec.name(), "job.sh");
  EXPECT_EQ(spec.command(), path);
  EXPECT_FALSE(spec.work_dir().empty());
  EXPECT_EQ(spec.alloc_sid(), static_cast<uint32_t>(getsid(0)));
}

TEST_F(SbatchTest, ScriptFromStdin) {
  auto r = Sbatch({}, "#!/bin/sh\n#SBATCH -J fromstdin\ntrue\n");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(client_.last.spec().name(), "fromstdin");
  r = Sbatch({}, "#!/bin/sh\ntrue\n");
  EXPECT_EQ(client_.last.spec().name(), "sbatch");
}

// reference/err_no_script.txt
TEST_F(SbatchTest, ScriptProblems) {
  auto r = Sbatch({});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "sbatch: error: Batch script is empty!\n");
  r = Sbatch({}, "  \n\n");
  EXPECT_EQ(r.err, "sbatch: error: Batch script contains only whitespace!\n");
  r = Sbatch({}, "echo hi\n");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "sbatch: error: This does not look like a batch script.  The first\n"
            "sbatch: error: line must start with #! followed by the path to an interpreter.\n"
            "sbatch: error: For instance: #!/bin/sh\n");
  r = Sbatch({}, "#!/bin/sh\r\ntrue\r\n");
  EXPECT_EQ(r.err,
            "sbatch: error: Batch script contains DOS line breaks (\\r\\n)\n"
            "sbatch: error: instead of expected UNIX line breaks (\\n).\n");
  r = Sbatch({"/nonexistent/job.sh"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "sbatch: error: Unable to open file /nonexistent/job.sh\n");
  r = Sbatch({"--wrap=true", "extra"});
  EXPECT_EQ(r.err, "sbatch: error: Script arguments not permitted with --wrap option\n");
  // SLURM_EXIT_ERROR replaces the exit code of these errors, as in Slurm.
  r = Sbatch({}, "", {{"SLURM_EXIT_ERROR", "7"}});
  EXPECT_EQ(r.code, 7);
  EXPECT_EQ(client_.calls, 0);
}

// reference/err_bad_time.txt and err_invalid_option.txt
TEST_F(SbatchTest, OptionErrorsMatchReference) {
  auto r = Sbatch({"-t", "notatime", "--wrap=true"});
  EXPECT_EQ(r.code, 255);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "sbatch: error: Invalid --time specification\n");
  r = Sbatch({"--nosuchoption", "--wrap=true"});
  EXPECT_EQ(r.code, 255);
  EXPECT_EQ(r.err,
            "sbatch: unrecognized option '--nosuchoption'\n"
            "Try \"sbatch --help\" for more information\n");
  r = Sbatch({"-N"});
  EXPECT_EQ(r.code, 255);
  EXPECT_EQ(r.err,
            "sbatch: option requires an argument -- 'N'\n"
            "Try \"sbatch --help\" for more information\n");
  r = Sbatch({"--wrap=true"}, "", {{"SBATCH_TIMELIMIT", "bad"}});
  EXPECT_EQ(r.code, 255);
  EXPECT_EQ(r.err,
            "sbatch: error: Invalid --time specification\n"
            "sbatch: error: in input environment variable SBATCH_TIMELIMIT=bad\n");
  EXPECT_EQ(client_.calls, 0);
}

TEST_F(SbatchTest, DirectiveErrorsNameTheLine) {
  std::string path = WriteScript("#!/bin/sh\n#SBATCH -N 2\n#SBATCH --mem=lots\nhostname\n");
  auto r = Sbatch({path});
  EXPECT_EQ(r.code, 255);
  EXPECT_EQ(r.err, "sbatch: error: Invalid --mem specification\nsbatch: error: in batch script " +
                       path + " line 3: #SBATCH --mem=lots\n");
}

// reference/err_invalid_partition.txt: the controller's own message, then the code's text.
TEST_F(SbatchTest, ControllerRefusal) {
  client_.error =
      Error(ErrorCode::kInvalidPartitionName, "invalid partition specified: nosuchpart");
  auto r = Sbatch({"-p", "nosuchpart", "--wrap=true"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "sbatch: error: invalid partition specified: nosuchpart\n"
            "sbatch: error: Batch job submission failed: Invalid partition name specified\n");
  // reference/err_over_maxtime_sbatch_enforce_all.txt: only the code's text.
  client_.error = Error(ErrorCode::kInvalidTimeLimit);
  r = Sbatch({"-p", "short", "-t", "20", "--wrap=true"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "sbatch: error: Batch job submission failed: Requested time limit is invalid "
            "(missing or exceeds some limit)\n");
  client_.error = Error(ErrorCode::kUnavailable);
  r = Sbatch({"--wrap=true"});
  EXPECT_EQ(r.err,
            "sbatch: error: Batch job submission failed: Unable to contact slurm controller "
            "(connect failure)\n");
}

TEST_F(SbatchTest, BadDependencyIsASubmissionFailure) {
  auto r = Sbatch({"-d", "afterwards:12", "--wrap=true"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "sbatch: error: Batch job submission failed: Job dependency problem\n");
  EXPECT_EQ(client_.calls, 0);
}

TEST_F(SbatchTest, WarningsGoToStderrUnlessQuiet) {
  client_.response.add_warnings("Warning: something to know");
  auto r = Sbatch({"--wrap=true"});
  EXPECT_EQ(r.out, "Submitted batch job 35494\n");
  EXPECT_EQ(r.err, "sbatch: Warning: something to know\n");
  r = Sbatch({"-Q", "--wrap=true"});
  EXPECT_EQ(r.err, "");
}

TEST_F(SbatchTest, ExportedEnvironment) {
  Environment env = {{"A", "1"}, {"B", "2"}, {"SLURM_CONF", "/etc/s.conf"}};
  auto r = Sbatch({"--wrap=true"}, "", env);
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<std::string> all(client_.last.spec().environment().begin(),
                               client_.last.spec().environment().end());
  EXPECT_EQ(all, (std::vector<std::string>{"A=1", "B=2", "SLURM_CONF=/etc/s.conf"}));

  r = Sbatch({"--export=A,C=3", "--wrap=true"}, "", env);
  std::vector<std::string> some(client_.last.spec().environment().begin(),
                                client_.last.spec().environment().end());
  EXPECT_EQ(some, (std::vector<std::string>{"A=1", "C=3", "SLURM_CONF=/etc/s.conf",
                                            "SLURM_EXPORT_ENV=A,C=3"}));

  r = Sbatch({"--export=ALL,B=9", "--wrap=true"}, "", env);
  std::vector<std::string> over(client_.last.spec().environment().begin(),
                                client_.last.spec().environment().end());
  EXPECT_EQ(over, (std::vector<std::string>{"A=1", "B=9", "SLURM_CONF=/etc/s.conf",
                                            "SLURM_EXPORT_ENV=ALL,B=9"}));

  r = Sbatch({"--export=NONE", "--wrap=true"}, "", env);
  EXPECT_TRUE(client_.last.spec().get_user_env());
  std::vector<std::string> none(client_.last.spec().environment().begin(),
                                client_.last.spec().environment().end());
  EXPECT_EQ(none, (std::vector<std::string>{"SLURM_CONF=/etc/s.conf", "SLURM_EXPORT_ENV=NONE",
                                            "SLURM_GET_USER_ENV=1"}));
}

TEST_F(SbatchTest, HelpUsageVersion) {
  auto r = Sbatch({"--help"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(r.out.starts_with("Usage: sbatch [OPTIONS(0)...]")) << r.out;
  r = Sbatch({"--usage"});
  EXPECT_EQ(r.code, 0);
  EXPECT_TRUE(r.out.starts_with("Usage: sbatch [-N nnodes]")) << r.out;
  r = Sbatch({"-V"});
  EXPECT_EQ(r.out, "slurm 22.05.8\n");
  EXPECT_EQ(client_.calls, 0);
}

TEST_F(SbatchTest, UnsupportedRpcsAreRefusedBeforeSubmitting) {
  auto r = Sbatch({"--test-only", "--wrap=true"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "sbatch: error: allocation failure: Requested operation not supported on this "
            "system\n");
  r = Sbatch({"-W", "--wrap=true"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(client_.calls, 0);
}

TEST_F(SbatchTest, UidOnlyForRoot) {
  // Runs as an ordinary user: in a child that drops to nobody when the tests run as root.
  auto check = [this] {
    auto r = Sbatch({"--uid=0", "--wrap=true"});
    return r.code == 255 && r.err == "sbatch: error: --uid only permitted by root user\n";
  };
  if (getuid() != 0) {
    EXPECT_TRUE(check());
    return;
  }
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (setgid(65534) != 0 || setuid(65534) != 0) _exit(2);
    _exit(check() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "2: could not become nobody; 1: wrong error";
}

}  // namespace
}  // namespace drover::cli::sbatch
