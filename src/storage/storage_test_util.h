// Test support for the storage tests: a temporary directory removed with its contents.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

#include "base/result.h"

namespace drover::storage {

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "drover-storage-test-XXXXXX").string();
    DROVER_CHECK(mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace drover::storage
