#pragma once
// A tiny, stable pseudo-random generator for the builtin writer. std::hash and the <random> distributions differ
// between library versions, and a draft must read the same for the same seed on every machine.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace blogen::gen::builtin {

/// FNV-1a 64-bit hash: stable across platforms, used to fold text (topic, tone) into the seed.
constexpr std::uint64_t stable_hash(std::string_view text) noexcept {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

/// splitmix64: fast, well-distributed, and fully specified, so sequences never change between builds.
class Rng {
public:
  explicit Rng(std::uint64_t seed) noexcept : m_state(seed) {}

  /// The next 64 random bits.
  std::uint64_t next() noexcept {
    m_state += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = m_state;
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
  }

  /// A value in [0, bound); 0 when bound is 0. The modulo bias is irrelevant for picking phrases.
  std::size_t below(std::size_t bound) noexcept { return bound == 0 ? 0 : static_cast<std::size_t>(next() % bound); }

  /// A value in [low, high] (inclusive).
  int between(int low, int high) noexcept {
    if (high <= low) return low;
    return low + static_cast<int>(below(static_cast<std::size_t>(high - low) + 1));
  }

  /// True with the given probability in percent.
  bool chance(int percent) noexcept { return static_cast<int>(below(100)) < percent; }

  /// One element of a non-empty container.
  template <typename Container> const auto& pick(const Container& items) noexcept { return items[below(items.size())]; }

  /// Fisher-Yates shuffle with this generator (std::shuffle's algorithm is unspecified).
  template <typename T> void shuffle(std::vector<T>& items) noexcept {
    for (std::size_t i = items.size(); i > 1; --i) {
      const std::size_t j = below(i);
      std::swap(items[i - 1], items[j]);
    }
  }

private:
  std::uint64_t m_state;
};

} // namespace blogen::gen::builtin
