#include <blogen/app/configuration.hpp>
#include <blogen/app/current_user.hpp>
#include <blogen/core/error.hpp>
#include <blogen/store/config_repository.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <functional>

namespace blogen::app {
namespace {

struct KnownSetting {
  const char* key;
  const char* fallback;
  const char* description;
  std::function<bool(const std::string&)> valid;
  const char* expectation;
};

bool is_integer_in(const std::string& value, long low, long high) {
  if (value.empty() || value.size() > 9 ||
      !std::all_of(value.begin(), value.end(), [](unsigned char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const long number = std::stol(value);
  return number >= low && number <= high;
}

const std::vector<KnownSetting>& known_settings() {
  static const std::vector<KnownSetting> settings{
      {"provider.default", "", "provider used when --provider is not given (see 'provider use')",
       [](const std::string& v) { return !v.empty(); }, "a provider name"},
      {"defaults.tone", "friendly", "tone of new posts when --tone is not given",
       [](const std::string& v) { return !v.empty() && v.size() <= 50; }, "a tone such as friendly or professional"},
      {"defaults.words", "800", "target length of new blog posts in words",
       [](const std::string& v) { return is_integer_in(v, 50, 10'000); }, "a number from 50 to 10000"},
      {"defaults.template", "blog-post", "template of new blog posts when --template is not given",
       [](const std::string& v) { return !v.empty(); }, "a template name"},
      {"worker.concurrency", "0", "worker threads (0: the provider's concurrency)",
       [](const std::string& v) { return is_integer_in(v, 0, 256); }, "a number from 0 to 256"},
  };
  return settings;
}

const KnownSetting& known(const std::string& key) {
  for (const auto& setting : known_settings()) {
    if (key == setting.key) return setting;
  }
  std::string keys;
  for (const auto& setting : known_settings())
    keys += std::string(keys.empty() ? "" : ", ") + setting.key;
  throw Error(ErrorCode::usage, fmt::format("KEY: unknown setting '{}' (known: {})", key, keys));
}

} // namespace

std::vector<SettingInfo> list_settings(Context& context) {
  require_user(context);
  store::SettingsRepository repository(context.db());
  std::vector<SettingInfo> infos;
  for (const auto& setting : known_settings()) {
    auto value = repository.get(setting.key);
    infos.push_back({setting.key, value.value_or(setting.fallback), value.has_value(), setting.description});
  }
  return infos;
}

std::string get_setting(Context& context, const std::string& key) {
  require_user(context);
  const KnownSetting& setting = known(key);
  return store::SettingsRepository(context.db()).get(key).value_or(setting.fallback);
}

void set_setting(Context& context, const std::string& key, const std::string& value) {
  const KnownSetting& setting = known(key);
  require_admin(context);
  if (!setting.valid(value)) {
    throw Error(ErrorCode::usage,
                fmt::format("VALUE: '{}' is not valid for {}: expected {}", value, key, setting.expectation));
  }
  if (key == "provider.default") {
    use_provider(context, value);
    return;
  }
  store::SettingsRepository(context.db()).set(key, value);
}

std::optional<std::string> setting_value(Context& context, const std::string& key) {
  return store::SettingsRepository(context.db()).get(key);
}

} // namespace blogen::app
