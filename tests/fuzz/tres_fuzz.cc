// Fuzzes Tres::Parse and ParseTresKeyList: any input either fails with kInvalidTres or
// gives a Tres whose printed forms (with and without units, in Slurm's order and sorted
// by name) all parse back to the same Tres, and the canonical form prints identically.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/tres.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto keys = drover::ParseTresKeyList(text);
  if (!keys.has_value()) {
    Check(keys.error().code() == drover::ErrorCode::kInvalidTres);
  } else {
    for (const drover::TresKey& key : *keys) {
      auto again = drover::ParseTresKey(key.ToString());
      Check(again.has_value() && *again == key);
    }
  }

  auto tres = drover::Tres::Parse(text);
  if (!tres.has_value()) {
    Check(tres.error().code() == drover::ErrorCode::kInvalidTres);
    Check(!tres.error().message().empty());
    return 0;
  }
  for (bool convert : {true, false}) {
    for (bool by_name : {false, true}) {
      drover::TresFormat format{.convert_units = convert, .sort_by_name = by_name};
      std::string printed = tres->ToString(format);
      auto again = drover::Tres::Parse(printed);
      Check(again.has_value());
      Check(*again == *tres);
      Check(again->ToString(format) == printed);
    }
  }
  for (size_t i = 0; i + 1 < tres->entries().size(); ++i) {
    Check(tres->entries()[i].key < tres->entries()[i + 1].key);
  }
  return 0;
}
