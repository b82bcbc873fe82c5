// `blogen campaign ...`: brand campaigns and their batch runs of social posts.
#include "batch_print.hpp"
#include "commands.hpp"

#include <blogen/app/batches.hpp>
#include <blogen/app/campaigns.hpp>
#include <blogen/term/sanitize.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace blogen::cli {
namespace {

struct CampaignOptions {
  std::int64_t id = 0;
  app::CampaignInput input;
};

struct RunOptions {
  app::StartBatchRequest request;
  bool images = false;
  bool detach = false;
};

std::string line(std::string_view text) { return term::sanitize_single_line(text); }

std::string tones_text() { return fmt::format("{}", fmt::join(app::campaign_tones(), ", ")); }

void add_fields(CLI::App* command, const std::shared_ptr<CampaignOptions>& options) {
  auto& input = options->input;
  command->add_option("--name", input.name, "Campaign name (1-255 characters)");
  command->add_option("--brand", input.brand, "Brand the posts speak for (1-255 characters)");
  command->add_option("--audience", input.audience, "Who the posts are written for");
  command->add_option("--tone", input.tone, "Default tone of its posts: " + tones_text());
  command->add_option("--description", input.description, "What the campaign is about (used for --count topics)");
}

void add_id(CLI::App* command, const std::shared_ptr<CampaignOptions>& options) {
  command->add_option("id", options->id, "Campaign id")->required();
}

void print_campaign(Env& env, const store::Campaign& campaign, const std::string& sentence) {
  auto& out = env.out();
  if (out.json()) {
    out.print_json(campaign_json(campaign));
  } else if (out.quiet()) {
    out.line(std::to_string(campaign.id));
  } else if (!sentence.empty()) {
    out.line(sentence);
  }
}

void print_details(Env& env, const store::Campaign& campaign) {
  auto& out = env.out();
  if (out.json() || out.quiet()) return print_campaign(env, campaign, {});
  out.line(fmt::format("id:          {}", campaign.id));
  out.line(fmt::format("name:        {}", line(campaign.name)));
  out.line(fmt::format("brand:       {}", line(campaign.brand)));
  out.line(fmt::format("audience:    {}", line(campaign.audience.empty() ? "-" : campaign.audience)));
  out.line(fmt::format("tone:        {}", campaign.tone));
  out.line(fmt::format("status:      {}", store::to_string(campaign.status)));
  out.line(fmt::format("created:     {}", format_short_time(campaign.created_at)));
  out.line(fmt::format("updated:     {}", format_short_time(campaign.updated_at)));
  if (!campaign.description.empty()) {
    out.line("description:");
    out.untrusted(campaign.description);
    out.line("");
  }
}

void add_create(CLI::App& campaign, Registry& registry) {
  auto options = make_options<CampaignOptions>();
  auto* command = campaign.add_subcommand("create", "Create a campaign: a brand, its audience and tone");
  add_fields(command, options);
  command->add_option("--status", options->input.status, "draft (default), active or archived");
  command->footer("Needs: a session. --name and --brand are required. Prints the new campaign's id with -q.");
  registry.on(command, [options](Env& env) {
    const store::Campaign created = app::create_campaign(env.app(), options->input);
    print_campaign(env, created, fmt::format("Created campaign {}: {}.", created.id, line(created.name)));
    return 0;
  });
}

void add_list(CLI::App& campaign, Registry& registry) {
  auto* command = campaign.add_subcommand("list", "List your campaigns (deleted ones are not shown)");
  command->footer("Needs: a session. With -q prints one id per line.");
  registry.on(command, [](Env& env) {
    const auto campaigns = app::list_campaigns(env.app());
    auto& out = env.out();
    if (out.json()) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& c : campaigns)
        list.push_back(campaign_json(c));
      out.print_json(list);
      return 0;
    }
    if (out.quiet()) {
      for (const auto& c : campaigns)
        out.line(std::to_string(c.id));
      return 0;
    }
    if (campaigns.empty()) {
      out.note("No campaigns yet; create one with 'blogen campaign create --name N --brand B'.");
      return 0;
    }
    term::Table table({{"ID", term::ColumnFit::fixed, term::Align::right},
                       {"NAME", term::ColumnFit::flexible},
                       {"BRAND", term::ColumnFit::flexible},
                       {"TONE"},
                       {"STATUS"},
                       {"CREATED"}});
    for (const auto& c : campaigns) {
      table.add_row({std::to_string(c.id), c.name, c.brand, c.tone, std::string(store::to_string(c.status)),
                     format_short_time(c.created_at)});
    }
    out.table(table);
    return 0;
  });
}

void add_show(CLI::App& campaign, Registry& registry) {
  auto options = make_options<CampaignOptions>();
  auto* command = campaign.add_subcommand("show", "Show a campaign");
  add_id(command, options);
  command->footer("Needs: a session. Another user's or a deleted campaign is 'not found' (exit 3).");
  registry.on(command, [options](Env& env) {
    print_details(env, app::get_campaign(env.app(), options->id));
    return 0;
  });
}

void add_update(CLI::App& campaign, Registry& registry) {
  auto options = make_options<CampaignOptions>();
  auto* command =
      campaign.add_subcommand("update", "Change a campaign's name, brand, audience, tone, description or status");
  add_id(command, options);
  add_fields(command, options);
  command->add_option("--status", options->input.status, "draft, active or archived (archived campaigns do not run)");
  command->footer("Needs: a session. Only the given fields change; batches already queued keep the values they had.");
  registry.on(command, [options](Env& env) {
    const store::Campaign updated = app::update_campaign(env.app(), options->id, options->input);
    print_campaign(env, updated, fmt::format("Updated campaign {}.", updated.id));
    return 0;
  });
}

void add_delete(CLI::App& campaign, Registry& registry) {
  auto options = make_options<CampaignOptions>();
  auto* command = campaign.add_subcommand("delete", "Move a campaign to the trash and cancel its queued posts");
  add_id(command, options);
  command->footer("Needs: a session. 'blogen campaign restore ID' brings it back (cancelled posts stay cancelled).");
  registry.on(command, [options](Env& env) {
    const app::DeletedCampaign deleted = app::delete_campaign(env.app(), options->id);
    auto& out = env.out();
    if (out.json()) {
      out.print_json({{"campaign", campaign_json(deleted.campaign)}, {"cancelled_jobs", deleted.cancelled_jobs}});
    } else if (out.quiet()) {
      out.line(std::to_string(deleted.campaign.id));
    } else {
      out.line(fmt::format("Deleted campaign {} ({} queued posts cancelled); 'blogen campaign restore {}' undoes it.",
                           deleted.campaign.id, deleted.cancelled_jobs, deleted.campaign.id));
    }
    return 0;
  });
}

void add_restore(CLI::App& campaign, Registry& registry) {
  auto options = make_options<CampaignOptions>();
  auto* command = campaign.add_subcommand("restore", "Take a campaign out of the trash");
  add_id(command, options);
  command->footer("Needs: a session.");
  registry.on(command, [options](Env& env) {
    const store::Campaign restored = app::restore_campaign(env.app(), options->id);
    print_campaign(env, restored, fmt::format("Restored campaign {}.", restored.id));
    return 0;
  });
}

void add_run(CLI::App& campaign, Registry& registry) {
  auto options = make_options<RunOptions>();
  auto& request = options->request;
  auto* command =
      campaign.add_subcommand("run", "Write a batch of social posts (captions with hashtags, optional images)");
  command->add_option("id", request.campaign_id, "Campaign id")->required();
  auto* file = command->add_option(
      "--file", request.file, "Rows from a CSV (with a header row) or JSON (array of objects) file, or - for stdin");
  auto* topic = command->add_option("--topic", request.topics, "A post's topic (repeatable)");
  auto* count = command->add_option("--count", request.count,
                                    "Derive N topics from the campaign's brand, description and audience");
  file->excludes(topic)->excludes(count);
  topic->excludes(count);
  command->add_option("--name", request.name, "Batch name (default 'Batch YYYY-MM-DD HH:MM')");
  command->add_option("--platform", request.platform,
                      "Platform for rows that name none: twitter, linkedin, instagram or generic (default)");
  command->add_option("--concurrency", request.concurrency,
                      "Posts written at once (default: the provider's concurrency)");
  command->add_flag("--images", options->images,
                    "Also generate an image per post, saved as images/<post-id>.<ext> beside the store");
  command->add_option("--provider", request.provider, "Provider to write with (default: the configured one)");
  command->add_option("--model", request.model, "Model to ask for (default: the provider's)");
  command->add_flag("--detach", options->detach,
                    "Only queue the posts and print the batch; a 'blogen worker' writes them");
  command->footer(
      "Needs: a session. Give one of --file, --topic or --count.\n"
      "File columns (CSV header) or keys (JSON): topic, brief, tone, target_audience, brand_name, platform;\n"
      "all but topic are optional and default to the campaign's values (platform: --platform).\n"
      "The whole input is checked first: one bad row rejects it (exit 6) naming file, line and field, and\n"
      "nothing is written. At most 50000 rows.\n"
      "Exit: 0 when every post completed, 1 when any failed, 130 on Ctrl-C (unfinished posts stay queued).");
  registry.on(command, [options](Env& env) {
    options->request.images = options->images ? app::Images::yes : app::Images::no;
    const app::StartedBatch started = app::start_batch(env.app(), options->request);
    auto& out = env.out();
    if (options->detach) {
      if (out.json()) {
        out.print_json(batch_json(started.view));
      } else if (out.quiet()) {
        out.line(std::to_string(started.view.batch.id));
      } else {
        out.line(fmt::format("Queued batch {} with {} posts; a 'blogen worker' writes them ('blogen batch show {}' "
                             "shows progress).",
                             started.view.batch.id, started.view.counts.total, started.view.batch.id));
      }
      return 0;
    }
    out.note(fmt::format("Batch {}: writing {} posts with {} workers.", started.view.batch.id,
                         started.view.counts.total, started.concurrency));
    return run_batch_in_foreground(env, started.view.batch.id, started.concurrency, started.view.counts.total);
  });
}

void add_batches(CLI::App& campaign, Registry& registry) {
  auto options = make_options<CampaignOptions>();
  auto* command = campaign.add_subcommand("batches", "List a campaign's batches with their progress");
  add_id(command, options);
  command->footer("Needs: a session. With -q prints one batch id per line.");
  registry.on(command, [options](Env& env) {
    const auto batches = app::campaign_batches(env.app(), options->id);
    auto& out = env.out();
    if (out.json()) {
      nlohmann::json list = nlohmann::json::array();
      for (const auto& view : batches)
        list.push_back(batch_json(view));
      out.print_json(list);
      return 0;
    }
    if (out.quiet()) {
      for (const auto& view : batches)
        out.line(std::to_string(view.batch.id));
      return 0;
    }
    if (batches.empty()) {
      out.note(fmt::format("Campaign {} has no batches yet; start one with 'blogen campaign run {} --count 5'.",
                           options->id, options->id));
      return 0;
    }
    term::Table table({{"ID", term::ColumnFit::fixed, term::Align::right},
                       {"NAME", term::ColumnFit::flexible},
                       {"STATUS"},
                       {"TOTAL", term::ColumnFit::fixed, term::Align::right},
                       {"DONE", term::ColumnFit::fixed, term::Align::right},
                       {"FAILED", term::ColumnFit::fixed, term::Align::right},
                       {"PENDING", term::ColumnFit::fixed, term::Align::right},
                       {"CREATED"}});
    for (const auto& view : batches) {
      const auto& c = view.counts;
      table.add_row({std::to_string(view.batch.id), view.batch.name, std::string(app::to_string(view.status)),
                     std::to_string(c.total), std::to_string(c.completed), std::to_string(c.failed),
                     std::to_string(c.pending + c.running), format_short_time(view.batch.created_at)});
    }
    out.table(table);
    return 0;
  });
}

} // namespace

void add_campaign_commands(CLI::App& root, Registry& registry) {
  auto* campaign = root.add_subcommand("campaign", "Brand campaigns and their batches of social posts");
  campaign->footer("Tones: " + tones_text() + ".\nStatuses: draft, active, archived.");
  add_create(*campaign, registry);
  add_list(*campaign, registry);
  add_show(*campaign, registry);
  add_update(*campaign, registry);
  add_delete(*campaign, registry);
  add_restore(*campaign, registry);
  add_run(*campaign, registry);
  add_batches(*campaign, registry);
}

} // namespace blogen::cli
