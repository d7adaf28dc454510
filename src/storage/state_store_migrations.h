// The state store's schema: one migration per file in migrations/state/, numbered from
// 0001, embedded as text at configure time by CMakeLists.txt (see
// state_store_migrations.cc.in). Migration i (0-based) takes a store from schema version i
// to i+1; the version is the file's PRAGMA user_version. Never edit a released migration:
// add the next number.
//
// Thread-safety: constants only.
#pragma once

#include <span>
#include <string_view>

namespace drover::storage {

std::span<const std::string_view> StateStoreMigrations();

}  // namespace drover::storage
