#include "core/shared_text.h"

#include <functional>
#include <mutex>
#include <unordered_map>

namespace drover {
namespace {

// Equal values by hash; an entry whose value died, or another value with the same hash,
// is simply replaced (interning is an optimisation, never a requirement).
template <typename T>
class Pool {
 public:
  std::shared_ptr<const T> Intern(std::shared_ptr<const T> value, size_t hash) {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(hash);
    if (it != entries_.end()) {
      if (std::shared_ptr<const T> live = it->second.lock(); live && *live == *value) return live;
    }
    entries_[hash] = value;
    if (++since_sweep_ >= 4096) {  // drop the entries of values no job holds any more
      std::erase_if(entries_, [](const auto& e) { return e.second.expired(); });
      since_sweep_ = 0;
    }
    return value;
  }

 private:
  std::mutex mu_;
  std::unordered_map<size_t, std::weak_ptr<const T>> entries_;  // guarded by mu_
  size_t since_sweep_ = 0;                                      // guarded by mu_
};

template <typename T>
Pool<T>& PoolOf() {
  static Pool<T>* pool = new Pool<T>();  // never destroyed: jobs may outlive statics
  return *pool;
}

}  // namespace

const std::string& SharedString::get() const {
  static const std::string* const kEmpty = new std::string();
  return p_ ? *p_ : *kEmpty;
}

void SharedString::Intern() {
  if (!p_) return;
  p_ = PoolOf<std::string>().Intern(p_, std::hash<std::string>{}(*p_));
}

const SharedStrings::List& SharedStrings::get() const {
  static const List* const kEmpty = new List();
  return p_ ? *p_ : *kEmpty;
}

void SharedStrings::Intern() {
  if (!p_) return;
  size_t hash = p_->size();
  for (const std::string& s : *p_) hash = hash * 1000003u ^ std::hash<std::string>{}(s);
  p_ = PoolOf<List>().Intern(p_, hash);
}

}  // namespace drover
