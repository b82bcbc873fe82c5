#include <blogen/core/error.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <new>

namespace blogen {
namespace {

// nlohmann's id for "invalid UTF-8 byte" while writing a document.
constexpr int k_json_invalid_utf8 = 316;

} // namespace

std::string describe_failure(const std::exception& failure) {
  if (const auto* error = dynamic_cast<const Error*>(&failure)) return error->what();
  if (const auto* json = dynamic_cast<const nlohmann::json::type_error*>(&failure);
      json != nullptr && json->id == k_json_invalid_utf8) {
    return "a stored text is not valid UTF-8 (it was probably written by an older blogen), so it cannot be sent "
           "or saved as JSON; correct the text (blog edit, blog update --content-file) and run the command again";
  }
  if (dynamic_cast<const nlohmann::json::exception*>(&failure) != nullptr) {
    return "a JSON document blogen read or wrote has an unexpected shape; nothing of it was used. Run "
           "'blogen store check', and report this as a bug if the store is ok";
  }
  if (const auto* fs = dynamic_cast<const std::filesystem::filesystem_error*>(&failure)) {
    const std::string file = fs->path1().empty() ? std::string("a file") : fs->path1().string();
    return fmt::format("cannot use {} ({}); check that its folder exists, that you may write there and that the "
                       "disk is not full",
                       file, fs->code().message());
  }
  if (dynamic_cast<const std::bad_alloc*>(&failure) != nullptr) {
    return "blogen ran out of memory; close other programs or process less at once (a smaller batch)";
  }
  return fmt::format("unexpected failure: {}", failure.what());
}

} // namespace blogen
