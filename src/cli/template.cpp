// `blogen template ...` and `blogen config ...`: prompt templates and store-wide settings.
#include "commands.hpp"
#include "present.hpp"

#include <blogen/app/configuration.hpp>
#include <blogen/app/costs.hpp>
#include <blogen/core/error.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

namespace blogen::cli {
namespace {

/// `template list` (-q prints the same table).
struct TemplateList {
  std::vector<app::Template> templates;
};

nlohmann::json to_json(const TemplateList& list) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& t : list.templates)
    array.push_back({{"name", t.name}, {"builtin", t.builtin}});
  return array;
}

void to_text(term::Output& out, const TemplateList& list) {
  term::Table table({{"NAME"}, {"SOURCE"}});
  for (const auto& t : list.templates)
    table.add_row({t.name, t.builtin ? "built-in" : "user"});
  out.table(table);
}

void to_quiet(term::Output& out, const TemplateList& list) { to_text(out, list); }

/// `template show`: its system and user prompts (-q prints the same).
struct TemplateShown {
  app::Template shown;
};

nlohmann::json to_json(const TemplateShown& t) {
  return {{"name", t.shown.name},
          {"builtin", t.shown.builtin},
          {"system", t.shown.system_prompt},
          {"user", t.shown.user_prompt}};
}

void to_text(term::Output& out, const TemplateShown& t) {
  out.line(out.styled("# system", term::Style::bold));
  out.untrusted(t.shown.system_prompt + "\n");
  out.line(out.styled("# user", term::Style::bold));
  out.untrusted(t.shown.user_prompt + "\n");
}

void to_quiet(term::Output& out, const TemplateShown& t) { to_text(out, t); }

/// `config list`: every setting, its value or default, and what it does (-q prints the same table).
struct SettingList {
  std::vector<app::SettingInfo> settings;
};

nlohmann::json to_json(const SettingList& list) {
  nlohmann::json object = nlohmann::json::object();
  for (const auto& s : list.settings)
    object[s.key] = s.value;
  return object;
}

void to_text(term::Output& out, const SettingList& list) {
  term::Table table({{"KEY"}, {"VALUE"}, {"DESCRIPTION", term::ColumnFit::flexible}});
  for (const auto& s : list.settings) {
    const std::string shown = s.is_set ? s.value : (s.value.empty() ? "(not set)" : s.value + " (default)");
    table.add_row({s.key, shown, s.description});
  }
  out.table(table);
}

void to_quiet(term::Output& out, const SettingList& list) { to_text(out, list); }

// What `template add/remove` and `config set` print: JSON, or a note on stderr.
} // namespace

void add_template_commands(CLI::App& root, Registry& registry) {
  auto* group = root.add_subcommand("template", "Prompt templates: built-in ones and your own");

  auto* list = group->add_subcommand("list", "List templates");
  registry.on(list, [](Env& env) {
    present(env.out(), TemplateList{app::list_templates(env.app())});
    return 0;
  });

  auto show_name = std::make_shared<std::string>();
  auto* show = group->add_subcommand("show", "Print a template's system and user prompts");
  show->add_option("NAME", *show_name, "Template name")->required();
  registry.on(show, [show_name](Env& env) {
    present(env.out(), TemplateShown{app::find_template(env.app(), *show_name)});
    return 0;
  });

  struct AddOptions {
    std::string name;
    std::string file;
  };
  auto add_options = make_options<AddOptions>();
  auto* add = group->add_subcommand("add", "Add a template from a file (system prompt, a line '---', user prompt)");
  add->add_option("NAME", add_options->name, "Template name (lowercase letters, digits, - and _)")->required();
  add->add_option("--file", add_options->file, "The template file, or - for stdin")->required();
  registry.on(add, [add_options](Env& env) {
    const auto t = app::add_template(env.app(), add_options->name, add_options->file);
    present(env.out(), noted({{"name", t.name}, {"saved", true}},
                             fmt::format("template {} saved", term::sanitize_single_line(t.name))));
    return 0;
  });

  auto remove_name = std::make_shared<std::string>();
  auto* remove = group->add_subcommand("remove", "Remove a template you added");
  remove->add_option("NAME", *remove_name, "Template name")->required();
  registry.on(remove, [remove_name](Env& env) {
    app::remove_template(env.app(), *remove_name);
    present(env.out(), noted({{"removed", *remove_name}},
                             fmt::format("template {} removed", term::sanitize_single_line(*remove_name))));
    return 0;
  });
}

void add_config_commands(CLI::App& root, Registry& registry) {
  auto* group = root.add_subcommand("config", "Store-wide settings (defaults for new posts, workers)");

  auto* list = group->add_subcommand("list", "List settings with their values");
  registry.on(list, [](Env& env) {
    present(env.out(), SettingList{app::list_settings(env.app())});
    return 0;
  });

  auto get_key = std::make_shared<std::string>();
  auto* get = group->add_subcommand("get", "Print one setting");
  get->add_option("KEY", *get_key, "Setting name")->required();
  registry.on(get, [get_key](Env& env) {
    // A monthly budget is the user's own, not the store's: it has its own home (costs.hpp).
    const std::string value = *get_key == app::k_monthly_budget_key ? app::describe_monthly_budget(env.app())
                                                                    : app::get_setting(env.app(), *get_key);
    // The value alone, with or without -q, so scripts can read it.
    const std::string shown = term::sanitize_single_line(value);
    present(env.out(), Outcome{{{*get_key, value}}, shown, {}, {shown}});
    return 0;
  });

  struct SetOptions {
    std::string key;
    std::string value;
    std::optional<std::string> user;
  };
  auto set_options = make_options<SetOptions>();
  auto* set = group->add_subcommand("set", "Change a setting (admin)");
  set->add_option("KEY", set_options->key, "Setting name")->required();
  set->add_option("VALUE", set_options->value, "New value")->required();
  set->add_option("--user", set_options->user,
                  "For budget.monthly: whose budget (default yours; another user's: admin)");
  registry.on(set, [set_options](Env& env) {
    if (set_options->key == app::k_monthly_budget_key) {
      const std::string user = app::set_monthly_budget(env.app(), set_options->value, set_options->user);
      present(env.out(), noted({{"budget.monthly", set_options->value}, {"user", user}},
                               fmt::format("monthly budget of {}: {}", term::sanitize_single_line(user),
                                           term::sanitize_single_line(set_options->value))));
      return 0;
    }
    if (set_options->user) throw Error(ErrorCode::usage, "--user: only budget.monthly is set per user");
    app::set_setting(env.app(), set_options->key, set_options->value);
    present(env.out(), noted({{set_options->key, set_options->value}},
                             fmt::format("{} = {}", set_options->key, term::sanitize_single_line(set_options->value))));
    return 0;
  });
}

} // namespace blogen::cli
