#include "cli/sprio/render.h"

#include <fmt/format.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "cli/common/format_spec.h"
#include "cli/common/format_table.h"

namespace drover::cli::sprio {
namespace {

// One line: a job's factors, or (job == nullptr) the configured weights.
struct Row {
  const v1::JobPriority* job = nullptr;
  const v1::PriorityWeights* weights = nullptr;
};

std::string Int(double v) { return fmt::format("{:.0f}", v); }
std::string Norm(double v) { return fmt::format("{:.7f}", v); }

std::string TresList(const google::protobuf::RepeatedPtrField<v1::TresFactor>& tres,
                     bool normalized) {
  std::string out;
  for (const v1::TresFactor& t : tres) {
    if (!out.empty()) out += ',';
    out += t.tres() + "=" + (normalized ? fmt::format("{:.2f}", t.value()) : Int(t.value()));
  }
  return out;
}

// A weighted factor: the job's weighted term, or on the weights line the weight itself.
template <double (v1::PriorityFactors::*kTerm)() const,
          uint32_t (v1::PriorityWeights::*kWeight)() const>
std::string Weighted(const Row& r) {
  if (!r.job) return std::to_string((r.weights->*kWeight)());
  return Int((r.job->weighted().*kTerm)());
}
template <double (v1::PriorityFactors::*kTerm)() const,
          uint32_t (v1::PriorityWeights::*kWeight)() const>
std::string Normalized(const Row& r) {
  if (!r.job) return std::to_string((r.weights->*kWeight)());
  return Norm((r.job->normalized().*kTerm)());
}

using PF = v1::PriorityFactors;
using PW = v1::PriorityWeights;

const FieldDef<Row> kFields[] = {
    {"JobID", 'i', "JOBID",
     [](const Row& r) { return r.job ? std::to_string(r.job->job_id()) : std::string("Weights"); }},
    {"Partition", 'r', "PARTITION",
     [](const Row& r) { return r.job ? r.job->partition() : std::string(); }},
    {"User", 'u', "USER",
     [](const Row& r) {
       if (!r.job) return std::string();
       return r.job->user().name().empty() ? std::to_string(r.job->user().uid())
                                           : r.job->user().name();
     }},
    {"Account", 'o', "ACCOUNT",
     [](const Row& r) { return r.job ? r.job->account() : std::string(); }},
    {"Priority", 'Y', "PRIORITY",
     [](const Row& r) { return r.job ? std::to_string(r.job->priority()) : std::string(); }},
    {"PriorityNorm", 'y', "PRIORITY",
     [](const Row& r) {
       if (!r.job) return std::string();
       return fmt::format(
           "{:.8f}", static_cast<double>(r.job->priority()) / std::numeric_limits<uint32_t>::max());
     }},
    {"Site", 'S', "SITE",
     [](const Row& r) { return r.job ? Int(r.job->weighted().site()) : std::string("1"); }},
    {"Age", 'A', "AGE", Weighted<&PF::age, &PW::age>},
    {"AgeNorm", 'a', "AGE", Normalized<&PF::age, &PW::age>},
    {"Assoc", 'B', "ASSOC", Weighted<&PF::assoc, &PW::assoc>},
    {"AssocNorm", 'b', "ASSOC", Normalized<&PF::assoc, &PW::assoc>},
    {"FairShare", 'F', "FAIRSHARE", Weighted<&PF::fairshare, &PW::fairshare>},
    {"FairShareNorm", 'f', "FAIRSHARE", Normalized<&PF::fairshare, &PW::fairshare>},
    {"JobSize", 'J', "JOBSIZE", Weighted<&PF::job_size, &PW::job_size>},
    {"JobSizeNorm", 'j', "JOBSIZE", Normalized<&PF::job_size, &PW::job_size>},
    {"PartitionPrio", 'P', "PARTITION", Weighted<&PF::partition, &PW::partition>},
    {"PartitionNorm", 'p', "PARTITION", Normalized<&PF::partition, &PW::partition>},
    {"QOS", 'Q', "QOS", Weighted<&PF::qos, &PW::qos>},
    {"QOSNorm", 'q', "QOS", Normalized<&PF::qos, &PW::qos>},
    {"QOSName", 'n', "QOSNAME", [](const Row& r) { return r.job ? r.job->qos() : std::string(); }},
    {"Nice", 'N', "NICE",
     [](const Row& r) { return r.job ? std::to_string(r.job->weighted().nice()) : std::string(); }},
    {"TRES", 'T', "TRES",
     [](const Row& r) {
       return r.job ? TresList(r.job->weighted().tres(), false)
                    : TresList(r.weights->tres(), false);
     }},
    {"TRESNorm", 't', "TRES",
     [](const Row& r) {
       return r.job ? TresList(r.job->normalized().tres(), true)
                    : TresList(r.weights->tres(), false);
     }},
};

}  // namespace

std::string DefaultFormat(const v1::PriorityWeights& w, bool long_listing, bool normalized) {
  auto letter = [normalized](char weighted) {
    return normalized ? static_cast<char>(weighted - 'A' + 'a') : weighted;
  };
  std::string f = long_listing ? "%.15i %9r %.8u" : "%.15i %9r";
  f += fmt::format(" %.10{} %.10S", normalized ? 'y' : 'Y');
  const std::pair<uint32_t, char> factors[] = {{w.age(), 'A'},       {w.assoc(), 'B'},
                                               {w.fairshare(), 'F'}, {w.job_size(), 'J'},
                                               {w.partition(), 'P'}, {w.qos(), 'Q'}};
  for (const auto& [weight, c] : factors) {
    if (weight != 0) f += fmt::format(" %.10{}", letter(c));
  }
  if (long_listing) f += " %.11N";
  if (w.tres_size() > 0) f += std::string(long_listing ? " %.20" : " %20") + letter('T');
  return f;
}

Result<std::string> Render(const Options& options, const v1::ListPrioritiesResponse& reply) {
  const std::string text =
      options.format.empty()
          ? DefaultFormat(reply.weights(), options.long_listing, options.normalized)
          : options.format;
  ASSIGN_OR_RETURN(FormatSpec spec, ParsePercentFormat(text));
  ASSIGN_OR_RETURN(Layout<Row> layout, ResolveFormat<Row>(spec, kFields, "job"));
  std::vector<Row> rows;
  if (options.weights) {
    rows.push_back(Row{nullptr, &reply.weights()});
  } else {
    for (const v1::JobPriority& job : reply.jobs()) rows.push_back(Row{&job, &reply.weights()});
  }
  ApplyAutoWidths<Row>(&layout, rows, 0);
  std::string out;
  if (!options.no_header) out += RenderHeader(layout);
  for (const Row& row : rows) out += RenderRow(layout, row);
  return out;
}

}  // namespace drover::cli::sprio
