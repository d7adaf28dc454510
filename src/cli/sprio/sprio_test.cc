#include "cli/sprio/sprio.h"

#include <gtest/gtest.h>

#include <sstream>

#include "cli/sprio/options.h"
#include "cli/sprio/render.h"
#include "client/recording_client_for_testing.h"

namespace drover::cli::sprio {
namespace {

void AddTres(google::protobuf::RepeatedPtrField<v1::TresFactor>* list, const char* name,
             double value) {
  v1::TresFactor* t = list->Add();
  t->set_tres(name);
  t->set_value(value);
}

// Weights as a 4-CPU cluster with age, job size, partition and a CPU TRES weight sets them.
v1::ListPrioritiesResponse Reply() {
  v1::ListPrioritiesResponse r;
  r.set_priority_type("priority/multifactor");
  v1::PriorityWeights* w = r.mutable_weights();
  w->set_age(1000);
  w->set_job_size(1000);
  w->set_partition(1000);
  AddTres(w->mutable_tres(), "cpu", 2000);
  auto add = [&r](uint32_t id, uint32_t cpus, double age, int nice) {
    v1::JobPriority* j = r.add_jobs();
    j->set_job_id(id);
    j->mutable_user()->set_uid(1001);
    j->mutable_user()->set_name("alice");
    j->set_account("physics");
    j->set_partition("debug");
    j->set_qos("normal");
    double size = cpus / 4.0;
    double sum = 1000 * age + 1000 * size + 1000 + 2000 * size - nice;
    j->set_priority(static_cast<uint32_t>(sum));
    j->mutable_weighted()->set_age(1000 * age);
    j->mutable_weighted()->set_job_size(1000 * size);
    j->mutable_weighted()->set_partition(1000);
    j->mutable_weighted()->set_nice(nice);
    AddTres(j->mutable_weighted()->mutable_tres(), "cpu", 2000 * size);
    j->mutable_normalized()->set_age(age);
    j->mutable_normalized()->set_job_size(size);
    j->mutable_normalized()->set_partition(1);
    j->mutable_normalized()->set_nice(nice);
    AddTres(j->mutable_normalized()->mutable_tres(), "cpu", size);
  };
  add(41, 1, 0.5, 0);
  add(42, 2, 0.0016, 10);
  return r;
}

std::string RenderArgs(std::vector<std::string> args, const v1::ListPrioritiesResponse& reply) {
  Result<Options> o = ParseOptions(args);
  EXPECT_TRUE(o.has_value()) << o.error().message();
  if (!o) return "";
  Result<std::string> text = Render(*o, reply);
  EXPECT_TRUE(text.has_value()) << text.error().message();
  return text.value_or("");
}

TEST(SprioFormatTest, DefaultsAreTheManPagesWithEveryWeightSet) {
  v1::PriorityWeights w;
  w.set_age(1);
  w.set_assoc(1);
  w.set_fairshare(1);
  w.set_job_size(1);
  w.set_partition(1);
  w.set_qos(1);
  AddTres(w.mutable_tres(), "cpu", 1);
  EXPECT_EQ(DefaultFormat(w, false, false),
            "%.15i %9r %.10Y %.10S %.10A %.10B %.10F %.10J %.10P %.10Q %20T");
  EXPECT_EQ(DefaultFormat(w, true, false),
            "%.15i %9r %.8u %.10Y %.10S %.10A %.10B %.10F %.10J %.10P %.10Q %.11N %.20T");
  EXPECT_EQ(DefaultFormat(w, false, true),
            "%.15i %9r %.10y %.10S %.10a %.10b %.10f %.10j %.10p %.10q %20t");
}

TEST(SprioFormatTest, FactorsWithoutWeightHaveNoColumn) {
  v1::PriorityWeights w;
  w.set_fairshare(5000);
  EXPECT_EQ(DefaultFormat(w, false, false), "%.15i %9r %.10Y %.10S %.10F");
  EXPECT_EQ(DefaultFormat(v1::PriorityWeights(), false, false), "%.15i %9r %.10Y %.10S");
}

TEST(SprioRenderTest, Default) {
  EXPECT_EQ(RenderArgs({}, Reply()),
            "          JOBID PARTITION   PRIORITY       SITE        AGE    JOBSIZE  PARTITION "
            "TRES                \n"
            "             41 debug           2250          0        500        250       1000 "
            "cpu=500             \n"
            "             42 debug           2491          0          2        500       1000 "
            "cpu=1000            \n");
}

TEST(SprioRenderTest, Normalized) {
  EXPECT_EQ(RenderArgs({"-n"}, Reply()),
            "          JOBID PARTITION   PRIORITY       SITE        AGE    JOBSIZE  PARTITION "
            "TRES                \n"
            "             41 debug     0.00000052          0  0.5000000  0.2500000  1.0000000 "
            "cpu=0.25            \n"
            "             42 debug     0.00000058          0  0.0016000  0.5000000  1.0000000 "
            "cpu=0.50            \n");
}

TEST(SprioRenderTest, LongShowsUserAndNice) {
  EXPECT_EQ(RenderArgs({"-l"}, Reply()),
            "          JOBID PARTITION     USER   PRIORITY       SITE        AGE    JOBSIZE  "
            "PARTITION        NICE                 TRES\n"
            "             41 debug        alice       2250          0        500        250       "
            "1000           0              cpu=500\n"
            "             42 debug        alice       2491          0          2        500       "
            "1000          10             cpu=1000\n");
}

TEST(SprioRenderTest, WeightsLine) {
  EXPECT_EQ(RenderArgs({"-w"}, Reply()),
            "          JOBID PARTITION   PRIORITY       SITE        AGE    JOBSIZE  PARTITION "
            "TRES                \n"
            "        Weights                               1       1000       1000       1000 "
            "cpu=2000            \n");
}

TEST(SprioRenderTest, FormatAndNoHeader) {
  EXPECT_EQ(RenderArgs({"-h", "-o", "%i|%Y|%u|%o|%n|%J"}, Reply()),
            "41|2250|alice|physics|normal|250\n42|2491|alice|physics|normal|500\n");
  Result<Options> o = ParseOptions({"-o", "%i %z"});
  ASSERT_TRUE(o.has_value());
  Result<std::string> text = Render(*o, Reply());
  ASSERT_FALSE(text.has_value());
  EXPECT_EQ(text.error().message(), "Invalid job format specification: z");
}

TEST(SprioOptionsTest, FiltersGoToTheController) {
  Result<Options> o = ParseOptions({"-j41,42", "-u", "alice,1002", "-p", "debug,short", "-A", "x"});
  ASSERT_TRUE(o.has_value()) << o.error().message();
  const v1::JobFilter& f = o->request.filter();
  ASSERT_EQ(f.jobs_size(), 2);
  EXPECT_EQ(f.jobs(0).job_id(), 41u);
  EXPECT_EQ(f.jobs(1).job_id(), 42u);
  ASSERT_EQ(f.user_names_size(), 1);
  EXPECT_EQ(f.user_names(0), "alice");
  ASSERT_EQ(f.uids_size(), 1);
  EXPECT_EQ(f.uids(0), 1002u);
  EXPECT_EQ(f.partitions_size(), 2);
  EXPECT_EQ(f.accounts_size(), 1);

  Result<Options> bad = ParseOptions({"-jx1"});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "error: Invalid job id: x1");
  Result<Options> unknown = ParseOptions({"--bogus"});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().message(), "unrecognized option '--bogus'");
}

struct Outcome {
  int code;
  std::string out, err;
};

Outcome RunWith(client::RecordingControllerClient& client, std::vector<std::string> args) {
  std::ostringstream out, err;
  Invocation inv{"sprio", std::move(args), {}, out, err};
  int code = Run(inv, client);
  return {code, out.str(), err.str()};
}

TEST(SprioRunTest, SendsTheRequestAndPrints) {
  client::RecordingControllerClient client;
  client.priorities = Reply();
  Outcome r = RunWith(client, {"-j", "41", "-o", "%i %Y", "-h"});
  EXPECT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(client.priority_queries.size(), 1u);
  EXPECT_EQ(client.priority_queries[0].filter().jobs(0).job_id(), 41u);
  // The fake does not filter; the command prints what the controller answered.
  EXPECT_EQ(r.out, "41 2250\n42 2491\n");
}

TEST(SprioRunTest, OtherPriorityPluginsAreExplained) {
  client::RecordingControllerClient client;
  client.priorities.set_priority_type("priority/basic");
  Outcome r = RunWith(client, {});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "You are not running a supported priority plugin\n(priority/basic).\n"
            "Only 'priority/multifactor' is supported.\n");
}

TEST(SprioRunTest, NoMatchingJobs) {
  client::RecordingControllerClient client;
  client.priorities.set_priority_type("priority/multifactor");
  Outcome r = RunWith(client, {"-u", "bob"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "Unable to find jobs matching user/id(s) specified\n");
  // Without a job or user filter an empty queue is just the header.
  r = RunWith(client, {});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "          JOBID PARTITION   PRIORITY       SITE\n");
}

TEST(SprioRunTest, ControllerErrors) {
  client::RecordingControllerClient client;
  client.error =
      Error(ErrorCode::kUnavailable, "Unable to contact slurm controller (connect failure)");
  Outcome r = RunWith(client, {});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "sprio: error: Unable to contact slurm controller (connect failure)\n");
}

}  // namespace
}  // namespace drover::cli::sprio
