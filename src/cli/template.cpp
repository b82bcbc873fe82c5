#include "commands.hpp"

#include <blogen/app/configuration.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>

namespace blogen::cli {

void add_template_commands(CLI::App& root, Registry& registry) {
  auto* group = root.add_subcommand("template", "Prompt templates: built-in ones and your own");

  auto* list = group->add_subcommand("list", "List templates");
  registry.on(list, [](Env& env) {
    const auto templates = app::list_templates(env.app());
    auto& out = env.out();
    if (out.json()) {
      nlohmann::json array = nlohmann::json::array();
      for (const auto& t : templates)
        array.push_back({{"name", t.name}, {"builtin", t.builtin}});
      out.print_json(array);
      return 0;
    }
    term::Table table({{"NAME"}, {"SOURCE"}});
    for (const auto& t : templates)
      table.add_row({t.name, t.builtin ? "built-in" : "user"});
    out.table(table);
    return 0;
  });

  auto show_name = std::make_shared<std::string>();
  auto* show = group->add_subcommand("show", "Print a template's system and user prompts");
  show->add_option("NAME", *show_name, "Template name")->required();
  registry.on(show, [show_name](Env& env) {
    const auto t = app::find_template(env.app(), *show_name);
    auto& out = env.out();
    if (out.json()) {
      out.print_json({{"name", t.name}, {"builtin", t.builtin}, {"system", t.system_prompt}, {"user", t.user_prompt}});
      return 0;
    }
    out.line(out.styled("# system", term::Style::bold));
    out.untrusted(t.system_prompt + "\n");
    out.line(out.styled("# user", term::Style::bold));
    out.untrusted(t.user_prompt + "\n");
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
    if (env.out().json())
      env.out().print_json({{"name", t.name}, {"saved", true}});
    else
      env.out().note(fmt::format("template {} saved", term::sanitize_single_line(t.name)));
    return 0;
  });

  auto remove_name = std::make_shared<std::string>();
  auto* remove = group->add_subcommand("remove", "Remove a template you added");
  remove->add_option("NAME", *remove_name, "Template name")->required();
  registry.on(remove, [remove_name](Env& env) {
    app::remove_template(env.app(), *remove_name);
    if (env.out().json())
      env.out().print_json({{"removed", *remove_name}});
    else
      env.out().note(fmt::format("template {} removed", term::sanitize_single_line(*remove_name)));
    return 0;
  });
}

void add_config_commands(CLI::App& root, Registry& registry) {
  auto* group = root.add_subcommand("config", "Store-wide settings (defaults for new posts, workers)");

  auto* list = group->add_subcommand("list", "List settings with their values");
  registry.on(list, [](Env& env) {
    const auto settings = app::list_settings(env.app());
    auto& out = env.out();
    if (out.json()) {
      nlohmann::json object = nlohmann::json::object();
      for (const auto& s : settings)
        object[s.key] = s.value;
      out.print_json(object);
      return 0;
    }
    term::Table table({{"KEY"}, {"VALUE"}, {"DESCRIPTION", term::ColumnFit::flexible}});
    for (const auto& s : settings) {
      const std::string shown = s.is_set ? s.value : (s.value.empty() ? "(not set)" : s.value + " (default)");
      table.add_row({s.key, shown, s.description});
    }
    out.table(table);
    return 0;
  });

  auto get_key = std::make_shared<std::string>();
  auto* get = group->add_subcommand("get", "Print one setting");
  get->add_option("KEY", *get_key, "Setting name")->required();
  registry.on(get, [get_key](Env& env) {
    const std::string value = app::get_setting(env.app(), *get_key);
    if (env.out().json())
      env.out().print_json({{*get_key, value}});
    else
      env.out().line(term::sanitize_single_line(value));
    return 0;
  });

  struct SetOptions {
    std::string key;
    std::string value;
  };
  auto set_options = make_options<SetOptions>();
  auto* set = group->add_subcommand("set", "Change a setting (admin)");
  set->add_option("KEY", set_options->key, "Setting name")->required();
  set->add_option("VALUE", set_options->value, "New value")->required();
  registry.on(set, [set_options](Env& env) {
    app::set_setting(env.app(), set_options->key, set_options->value);
    if (env.out().json())
      env.out().print_json({{set_options->key, set_options->value}});
    else
      env.out().note(fmt::format("{} = {}", set_options->key, term::sanitize_single_line(set_options->value)));
    return 0;
  });
}

} // namespace blogen::cli
