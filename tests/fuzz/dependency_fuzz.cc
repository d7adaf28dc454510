// Fuzzes ParseDependency (the --dependency text sbatch reads and the controller reads
// again): any input either fails with kDependency or gives a dependency whose text form
// reads back to the same dependency.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/dependency.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  drover::Result<drover::Dependency> d = drover::ParseDependency(text);
  if (!d.has_value()) {
    Check(d.error().code() == drover::ErrorCode::kDependency);
    return 0;
  }
  Check(!d->empty());
  std::string again = drover::DependencyText(*d);
  drover::Result<drover::Dependency> back = drover::ParseDependency(again);
  Check(back.has_value() && *back == *d);
  Check(drover::DependencyText(*back) == again);
  return 0;
}
