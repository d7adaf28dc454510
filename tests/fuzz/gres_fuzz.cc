// Fuzzes the GRES parsers (--gres, --gpus, slurm.conf Gres=): any input either fails with
// kInvalidGres or gives specs whose canonical and TresPerNode forms parse back to the
// same specs, and whose TRES form parses as a Tres with the same counts.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/gres.h"
#include "core/tres.h"

namespace {

using drover::GresSpec;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

void CheckTresForm(const std::vector<GresSpec>& specs) {
  std::string text;
  for (const GresSpec& g : specs) text += (text.empty() ? "" : ",") + g.ToTresString();
  auto tres = drover::Tres::Parse(text);
  Check(tres.has_value());
  for (const GresSpec& g : specs) Check(tres->Get(g.ToTresKey()) == g.count);
}

void CheckRequest(const std::vector<GresSpec>& specs) {
  for (const GresSpec& g : specs) Check(!g.no_consume && g.sockets.empty());
  std::string canonical = drover::FormatGresList(specs);
  if (specs.empty()) return;  // "none"
  auto again = drover::ParseGresRequest(canonical);
  Check(again.has_value() && *again == specs);
  Check(drover::FormatGresList(*again) == canonical);
  auto from_tres = drover::ParseGresRequest(drover::FormatGresTresPerNode(specs));
  Check(from_tres.has_value() && *from_tres == specs);
  CheckTresForm(specs);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto request = drover::ParseGresRequest(text);
  if (request.has_value()) {
    CheckRequest(*request);
  } else {
    Check(request.error().code() == drover::ErrorCode::kInvalidGres);
  }

  auto gpus = drover::ParseGpusOption(text);
  if (gpus.has_value()) {
    for (const GresSpec& g : *gpus) Check(g.name == "gpu");
    CheckRequest(*gpus);
  } else {
    Check(gpus.error().code() == drover::ErrorCode::kInvalidGres);
  }

  auto node = drover::ParseNodeGres(text);
  if (node.has_value()) {
    std::string canonical = drover::FormatGresList(*node);
    auto again = drover::ParseNodeGres(canonical);
    Check(again.has_value() && *again == *node);
    Check(drover::FormatGresList(*again) == canonical);
    CheckTresForm(*node);
  } else {
    Check(node.error().code() == drover::ErrorCode::kInvalidGres);
  }
  return 0;
}
