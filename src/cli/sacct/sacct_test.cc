#include "cli/sacct/sacct.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "base/time_spec.h"
#include "cli/sacct/fields.h"
#include "cli/sacct/options.h"
#include "client/recording_client_for_testing.h"
#include "core/job_state.h"

namespace drover::cli::sacct {
namespace {

// The lines of a reference capture between its command and its "[exit=N]".
std::vector<std::string> ReferenceLines(const std::string& file) {
  std::ifstream in(std::string(DROVER_REFERENCE_DIR) + "/" + file);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("$ ") || line.starts_with("[exit=")) continue;
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

int64_t At(const char* iso) {
  TimePoint t = *ParseTimeSpec(iso, std::chrono::system_clock::now());
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

v1::JobState State(drover::JobState s) { return static_cast<v1::JobState>(static_cast<int>(s) + 1); }

v1::JobRecord Job(uint32_t id, const char* name, drover::JobState state, int status, uint32_t cpus,
                  bool batch, int64_t start, int64_t end) {
  v1::JobRecord j;
  j.set_job_id(id);
  j.set_job_name(name);
  j.set_partition("debug");
  j.set_account("root");
  j.set_state(State(state));
  j.set_num_cpus(cpus);
  j.mutable_exit_code()->set_status(status);
  j.set_start_time(start);
  j.set_end_time(end);
  if (batch) {
    v1::StepRecord* s = j.add_steps();
    s->mutable_id()->set_job_id(id);
    s->mutable_id()->set_kind(v1::STEP_KIND_BATCH);
    s->set_name("batch");
    s->set_state(State(state));
    s->set_num_cpus(cpus);
    s->mutable_exit_code()->set_status(status);
    s->set_start_time(start);
    s->set_end_time(end);
  }
  return j;
}

std::vector<v1::JobRecord> ReferenceJobs() {
  const int64_t t = At("2026-11-21T23:35:39");
  std::vector<v1::JobRecord> jobs = {
      Job(35477, "ok_job", drover::JobState::kCompleted, 0, 1, true, t, t),
      Job(35478, "fail_job", drover::JobState::kFailed, 3, 1, true, t, t),
      Job(35483, "run_sleep", drover::JobState::kRunning, 0, 1, true, t, 0),
      Job(35486, "wants_res", drover::JobState::kPending, 0, 256, false, 0, 0),
      Job(35491, "over_maxtime", drover::JobState::kPending, 0, 1, false, 0, 0),
  };
  jobs.back().set_partition("short");
  return jobs;
}

std::string RenderWith(const std::vector<std::string>& args, const std::vector<v1::JobRecord>& jobs) {
  Options o = *ParseOptions(args, std::chrono::system_clock::now(), 0, true);
  auto columns = *ResolveFields(o.fields);
  return Render(columns, Rows(jobs, 0, o.request.allocations_only()), o);
}

// The lines of `reference` for the jobs we built, in order, plus the two header lines.
std::vector<std::string> Expected(const std::string& file, std::vector<std::string> ids,
                                  size_t header_lines) {
  std::vector<std::string> ref = ReferenceLines(file), out;
  if (ref.size() < header_lines) return {"missing reference " + file};
  for (size_t i = 0; i < header_lines; ++i) out.push_back(ref[i]);
  for (size_t i = header_lines; i < ref.size(); ++i) {
    for (const std::string& id : ids) {
      if (ref[i].starts_with(id + " ") || ref[i].starts_with(id + ".batch ") ||
          ref[i].starts_with(id + "|") || ref[i].starts_with(id + ".batch|")) {
        out.push_back(ref[i]);
      }
    }
  }
  return out;
}

TEST(Sacct, DefaultColumnsMatchReference) {
  std::string text = RenderWith({"-S", "2026-11-21T23:35:38"}, ReferenceJobs());
  EXPECT_EQ(Lines(text), Expected("sacct.txt", {"35477", "35478", "35483", "35486", "35491"}, 2));
}

TEST(Sacct, AllocationsWithFieldsMatchReference) {
  std::vector<v1::JobRecord> jobs = ReferenceJobs();
  for (auto& j : jobs) j.clear_steps();
  std::string text = RenderWith({"-S", "2026-11-21T23:35:38", "-X", "-o",
                                 "JobID,JobName,Partition,State,ExitCode"},
                                jobs);
  EXPECT_EQ(Lines(text),
            Expected("sacct_X_fields.txt", {"35477", "35478", "35483", "35486", "35491"}, 2));
}

TEST(Sacct, Parsable2MatchesReference) {
  std::vector<v1::JobRecord> jobs = ReferenceJobs();
  jobs.resize(2);
  v1::JobRecord cancelled = Job(35481, "cancel_me", drover::JobState::kCancelled, 0, 1, false,
                                At("2026-11-21T23:35:38"), At("2026-11-21T23:35:38"));
  cancelled.set_cancelled_by_uid(0);
  jobs.push_back(cancelled);
  std::string text =
      RenderWith({"-P", "-o", "JobID,JobName,State,ExitCode,Elapsed,Start,End", "-j",
                  "35477,35478,35481"},
                 jobs);
  EXPECT_EQ(Lines(text), ReferenceLines("sacct_P.txt"));
}

TEST(Sacct, ParsableEndsEveryFieldAndNoHeader) {
  std::vector<v1::JobRecord> jobs = ReferenceJobs();
  jobs.resize(1);
  EXPECT_EQ(RenderWith({"-p", "-n", "-X", "-o", "jobid,state"}, {jobs[0]}), "35477|COMPLETED|\n");
}

TEST(Sacct, WidthsAndTruncation) {
  EXPECT_EQ(Cell("over_maxtime", 10, false), "over_maxt+");
  EXPECT_EQ(Cell("ok", 5, false), "   ok");
  EXPECT_EQ(Cell("ok", 5, true), "ok   ");
  std::vector<v1::JobRecord> jobs = ReferenceJobs();
  jobs.resize(1);
  EXPECT_EQ(Lines(RenderWith({"-X", "-o", "JobID%20,jobname%3"}, jobs)),
            (std::vector<std::string>{"JobID                Jo+ ", "-------------------- --- ",
                                      "35477                ok+ "}));
}

TEST(Sacct, OptionsDefaults) {
  auto now = std::chrono::system_clock::now();
  Options user = *ParseOptions({}, now, 1000, false);
  EXPECT_FALSE(user.request.all_users());
  ASSERT_EQ(user.request.uids_size(), 1);
  EXPECT_EQ(user.request.uids(0), 1000u);
  EXPECT_GT(user.request.window().start_time(), 0);  // midnight today
  EXPECT_GT(user.request.window().end_time(), user.request.window().start_time() - 1);
  EXPECT_EQ(user.fields.size(), 7u);

  Options all = *ParseOptions({"-a"}, now, 1000, false);
  EXPECT_TRUE(all.request.all_users());
  EXPECT_EQ(all.request.uids_size(), 0);

  Options jobs = *ParseOptions({"-j", "12,13.batch"}, now, 1000, false);
  EXPECT_EQ(jobs.request.jobs_size(), 2);
  EXPECT_EQ(jobs.request.jobs(1).job_id(), 13u);
  EXPECT_EQ(jobs.request.window().start_time(), 0);

  Options users = *ParseOptions({"-u", "alice,1002", "-s", "CD,F", "-X", "--name=x"}, now, 1000,
                                false);
  EXPECT_EQ(users.request.user_names(0), "alice");
  EXPECT_EQ(users.request.uids(0), 1002u);
  EXPECT_EQ(users.request.states_size(), 2);
  EXPECT_TRUE(users.request.allocations_only());
  EXPECT_EQ(users.request.names(0), "x");

  Options window = *ParseOptions({"-S", "2026-01-01", "-E", "2026-01-02T00:00:00"}, now, 0, true);
  EXPECT_EQ(window.request.window().end_time() - window.request.window().start_time(), 86400);

  EXPECT_FALSE(ParseOptions({"-S", "notatime"}, now, 0, true).has_value());
  EXPECT_FALSE(ParseOptions({"-j", "abc"}, now, 0, true).has_value());
  EXPECT_FALSE(ParseOptions({"--nosuch"}, now, 0, true).has_value());
  EXPECT_FALSE(ResolveFields(ParseOptions({"-o", "nosuchfield"}, now, 0, true)->fields));
  EXPECT_EQ(ParseOptions({"-b"}, now, 0, true)->fields.size(), 3u);
}

TEST(Sacct, RunSendsFiltersAndPrints) {
  client::RecordingControllerClient client;
  client.job_records = ReferenceJobs();
  client.job_records.resize(1);
  std::ostringstream out, err;
  Invocation inv{"sacct", {"-X", "-j", "35477", "-o", "jobid,state"}, {}, out, err};
  EXPECT_EQ(sacct::Run(inv, client), 0) << err.str();
  ASSERT_EQ(client.job_record_queries.size(), 1u);
  EXPECT_EQ(client.job_record_queries[0].jobs(0).job_id(), 35477u);
  EXPECT_TRUE(client.job_record_queries[0].allocations_only());
  EXPECT_EQ(out.str(),
            "JobID             State \n------------ ---------- \n35477         COMPLETED \n");
}

TEST(Sacct, RunReportsErrors) {
  client::RecordingControllerClient client;
  client.error = Error(ErrorCode::kUnavailable);
  std::ostringstream out, err;
  Invocation inv{"sacct", {}, {}, out, err};
  EXPECT_EQ(sacct::Run(inv, client), 1);
  EXPECT_NE(err.str().find("sacct: error: "), std::string::npos);
}

}  // namespace
}  // namespace drover::cli::sacct
