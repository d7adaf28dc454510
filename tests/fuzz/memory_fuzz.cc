// Fuzzes ParseMemoryMb: any input either fails with kInvalidMemory or gives a size in MiB
// that FormatMemoryMb prints in a form that reads back to the same size, whatever the
// default unit of the reader.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/memory.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

bool ReadsBackAs(const std::string& text, char default_unit, uint64_t want) {
  drover::Result<uint64_t> got = drover::ParseMemoryMb(text, default_unit);
  return got.has_value() && *got == want;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (char unit : {'M', 'K', 'G'}) {
    drover::Result<uint64_t> mb = drover::ParseMemoryMb(text, unit);
    if (!mb.has_value()) {
      Check(mb.error().code() == drover::ErrorCode::kInvalidMemory);
      continue;
    }
    std::string printed = drover::FormatMemoryMb(*mb);
    Check(!printed.empty() && printed.size() <= 21);
    // Everything but "0" carries its unit, so the reader's default does not matter.
    Check(ReadsBackAs(printed, 'M', *mb));
    Check(ReadsBackAs(printed, 'G', *mb));
    Check(drover::FormatMemoryMb(drover::ParseMemoryMb(printed).value()) == printed);
  }
  return 0;
}
