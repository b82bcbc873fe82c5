// `blogen campaign ...`: brand campaigns and their batch runs of social posts.
#include "batch_views.hpp"
#include "commands.hpp"
#include "estimate_print.hpp"
#include "foreground_batch.hpp"
#include "foreground_job.hpp"
#include "present.hpp"

#include <blogen/app/batch_input.hpp>
#include <blogen/app/batches.hpp>
#include <blogen/app/campaigns.hpp>
#include <blogen/app/costs.hpp>
#include <blogen/app/providers.hpp>
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
  bool dry_run = false;
};

std::string tones_text() { return fmt::format("{}", fmt::join(app::campaign_tones(), ", ")); }

void add_campaign_fields(CLI::App* command, Registry& registry, const std::shared_ptr<CampaignOptions>& options) {
  auto& input = options->input;
  command->add_option("--name", input.name, "Campaign name (1-255 characters)");
  command->add_option("--brand", input.brand, "Brand the posts speak for (1-255 characters)");
  command->add_option("--audience", input.audience, "Who the posts are written for");
  registry.suggest(command->add_option("--tone", input.tone, "Default tone of its posts: " + tones_text()),
                   app::campaign_tones());
  command->add_option("--description", input.description, "What the campaign is about (used for --count topics)");
}

void add_campaign_id(CLI::App* command, const std::shared_ptr<CampaignOptions>& options) {
  command->add_option("id", options->id, "Campaign id")->required();
}

// A campaign after a change: its JSON, its id with -q, the sentence otherwise.
Outcome changed(const app::Campaign& campaign, std::string sentence) {
  return {app::campaign_json(campaign), std::move(sentence), {}, {std::to_string(campaign.id)}};
}

/// `campaign show`.
struct CampaignDetails {
  app::Campaign campaign;
  app::CostTotal cost; ///< what its posts' calls cost
};

nlohmann::json to_json(const CampaignDetails& details) {
  nlohmann::json json = app::campaign_json(details.campaign);
  json["cost"] = app::cost_json(details.cost);
  return json;
}

void to_quiet(term::Output& out, const CampaignDetails& details) { out.line(std::to_string(details.campaign.id)); }

void to_text(term::Output& out, const CampaignDetails& details) {
  const app::Campaign& campaign = details.campaign;
  out.line(fmt::format("id:          {}", campaign.id));
  out.line(fmt::format("name:        {}", term::sanitize_single_line(campaign.name)));
  out.line(fmt::format("brand:       {}", term::sanitize_single_line(campaign.brand)));
  out.line(
      fmt::format("audience:    {}", term::sanitize_single_line(campaign.audience.empty() ? "-" : campaign.audience)));
  out.line(fmt::format("tone:        {}", campaign.tone));
  out.line(fmt::format("status:      {}", app::to_string(campaign.status)));
  out.line(fmt::format("created:     {}", format_short_time(campaign.created_at)));
  out.line(fmt::format("updated:     {}", format_short_time(campaign.updated_at)));
  out.line(fmt::format("cost:        {}", app::describe_cost(details.cost)));
  if (!campaign.description.empty()) {
    out.line("description:");
    out.untrusted(campaign.description);
    out.line("");
  }
}

/// `campaign list`.
struct CampaignList {
  std::vector<app::Campaign> campaigns;
};

nlohmann::json to_json(const CampaignList& list) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& c : list.campaigns)
    array.push_back(app::campaign_json(c));
  return array;
}

void to_quiet(term::Output& out, const CampaignList& list) {
  print_each(out, list.campaigns, [](const app::Campaign& c) { return std::to_string(c.id); });
}

void to_text(term::Output& out, const CampaignList& list) {
  if (list.campaigns.empty()) {
    out.note("No campaigns yet; create one with 'blogen campaign create --name N --brand B'.");
    return;
  }
  term::Table table({{"ID", term::ColumnFit::fixed, term::Align::right},
                     {"NAME", term::ColumnFit::flexible},
                     {"BRAND", term::ColumnFit::flexible},
                     {"TONE"},
                     {"STATUS"},
                     {"CREATED"}});
  for (const auto& c : list.campaigns) {
    table.add_row({std::to_string(c.id), c.name, c.brand, c.tone, std::string(app::to_string(c.status)),
                   format_short_time(c.created_at)});
  }
  out.table(table);
}

void add_campaign_create(CLI::App& campaign, Registry& registry) {
  auto options = make_options<CampaignOptions>();
  auto* command = campaign.add_subcommand("create", "Create a campaign: a brand, its audience and tone");
  add_campaign_fields(command, registry, options);
  registry.suggest(command->add_option("--status", options->input.status, "draft (default), active or archived"),
                   app::campaign_status_names());
  command->footer("Needs: a session. --name and --brand are required. Prints the new campaign's id with -q.");
  registry.on(command, [options](Env& env) {
    const app::Campaign created = app::create_campaign(env.app(), options->input);
    present(env.out(), changed(created, fmt::format("Created campaign {}: {}.", created.id,
                                                    term::sanitize_single_line(created.name))));
    return 0;
  });
}

void add_campaign_list(CLI::App& campaign, Registry& registry) {
  auto* command = campaign.add_subcommand("list", "List your campaigns (deleted ones are not shown)");
  command->footer("Needs: a session. With -q prints one id per line.");
  registry.on(command, [](Env& env) {
    present(env.out(), CampaignList{app::list_campaigns(env.app())});
    return 0;
  });
}

void add_campaign_show(CLI::App& campaign, Registry& registry) {
  auto options = make_options<CampaignOptions>();
  auto* command = campaign.add_subcommand("show", "Show a campaign");
  add_campaign_id(command, options);
  command->footer("Needs: a session. Another user's or a deleted campaign is 'not found' (exit 3).");
  registry.on(command, [options](Env& env) {
    const app::Campaign shown = app::get_campaign(env.app(), options->id);
    present(env.out(), CampaignDetails{shown, app::campaign_cost(env.app(), shown.id)});
    return 0;
  });
}

void add_campaign_update(CLI::App& campaign, Registry& registry) {
  auto options = make_options<CampaignOptions>();
  auto* command =
      campaign.add_subcommand("update", "Change a campaign's name, brand, audience, tone, description or status");
  add_campaign_id(command, options);
  add_campaign_fields(command, registry, options);
  registry.suggest(command->add_option("--status", options->input.status,
                                       "draft, active or archived (archived campaigns do not run)"),
                   app::campaign_status_names());
  command->footer("Needs: a session. Only the given fields change; batches already queued keep the values they had.");
  registry.on(command, [options](Env& env) {
    const app::Campaign updated = app::update_campaign(env.app(), options->id, options->input);
    present(env.out(), changed(updated, fmt::format("Updated campaign {}.", updated.id)));
    return 0;
  });
}

void add_campaign_delete(CLI::App& campaign, Registry& registry) {
  auto options = make_options<CampaignOptions>();
  auto* command = campaign.add_subcommand("delete", "Move a campaign to the trash and cancel its queued posts");
  add_campaign_id(command, options);
  command->footer("Needs: a session. 'blogen campaign restore ID' brings it back (cancelled posts stay cancelled).");
  registry.on(command, [options](Env& env) {
    const app::DeletedCampaign deleted = app::delete_campaign(env.app(), options->id);
    const std::int64_t id = deleted.campaign.id;
    present(env.out(),
            Outcome{{{"campaign", app::campaign_json(deleted.campaign)}, {"cancelled_jobs", deleted.cancelled_jobs}},
                    fmt::format("Deleted campaign {} ({} queued posts cancelled); 'blogen campaign restore {}' undoes "
                                "it.",
                                id, deleted.cancelled_jobs, id),
                    {},
                    {std::to_string(id)}});
    return 0;
  });
}

void add_campaign_restore(CLI::App& campaign, Registry& registry) {
  auto options = make_options<CampaignOptions>();
  auto* command = campaign.add_subcommand("restore", "Take a campaign out of the trash");
  add_campaign_id(command, options);
  command->footer("Needs: a session.");
  registry.on(command, [options](Env& env) {
    const app::Campaign restored = app::restore_campaign(env.app(), options->id);
    present(env.out(), changed(restored, fmt::format("Restored campaign {}.", restored.id)));
    return 0;
  });
}

void add_campaign_run(CLI::App& campaign, Registry& registry) {
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
  registry.suggest(command->add_option("--platform", request.platform,
                                       "Platform for rows that name none: twitter, linkedin, instagram or generic "
                                       "(default)"),
                   app::social_platforms());
  command->add_option("--concurrency", request.concurrency,
                      "Posts written at once (default: the provider's concurrency)");
  command->add_flag("--images", options->images,
                    "Also generate an image per post, saved as images/<post-id>.<ext> beside the store");
  command->add_option("--provider", request.provider, "Provider to write with (default: the configured one)");
  command->add_option("--model", request.model, "Model to ask for (default: the provider's)");
  command->add_flag("--detach", options->detach,
                    "Only queue the posts and print the batch; a 'blogen worker' writes them");
  command->add_option("--max-cost", request.max_cost,
                      "USD this run may spend at most; then its posts fail 'budget reached' (raise it with 'batch "
                      "retry --max-cost')");
  command->add_flag("--dry-run", options->dry_run,
                    "Print the calls, tokens, cost and time the whole input would take; write nothing, call nothing");
  command->footer(
      "Needs: a session. Give one of --file, --topic or --count.\n"
      "File columns (CSV header) or keys (JSON): topic, brief, tone, target_audience, brand_name, platform;\n"
      "all but topic are optional and default to the campaign's values (platform: --platform).\n"
      "The whole input is checked first: one bad row rejects it (exit 6) naming file, line and field, and\n"
      "nothing is written. At most 50000 rows.\n"
      "Exit: 0 when every post completed, 1 when any failed, 130 on Ctrl-C (unfinished posts stay queued).");
  registry.on(command, [options](Env& env) {
    options->request.images = options->images ? app::Images::yes : app::Images::no;
    if (options->dry_run) { // no call is made: an estimate needs no credentials
      present_estimate(env.out(), app::estimate_batch(env.app(), options->request));
      return 0;
    }
    if (!options->detach) app::require_credentials(env.app(), options->request.provider); // before any write
    const app::StartedBatch started = app::start_batch(env.app(), options->request);
    auto& out = env.out();
    const std::int64_t id = started.view.batch.id;
    if (options->detach) {
      warn_if_no_credentials(env, options->request.provider);
      present(out, Outcome{app::batch_json(started.view),
                           fmt::format("Queued batch {} with {} posts; a 'blogen worker' writes them ('blogen batch "
                                       "show {}' shows progress).",
                                       id, started.view.counts.total, id),
                           {},
                           {std::to_string(id)}});
      return 0;
    }
    out.note(
        fmt::format("Batch {}: writing {} posts with {} workers.", id, started.view.counts.total, started.concurrency));
    return run_batch_in_foreground(env, id, started.concurrency, started.view.counts.total);
  });
}

void add_campaign_batches(CLI::App& campaign, Registry& registry) {
  auto options = make_options<CampaignOptions>();
  auto* command = campaign.add_subcommand("batches", "List a campaign's batches with their progress");
  add_campaign_id(command, options);
  command->footer("Needs: a session. With -q prints one batch id per line.");
  registry.on(command, [options](Env& env) {
    present(env.out(), CampaignBatches{options->id, app::campaign_batches(env.app(), options->id)});
    return 0;
  });
}

} // namespace

void add_campaign_commands(CLI::App& root, Registry& registry) {
  auto* campaign = root.add_subcommand("campaign", "Brand campaigns and their batches of social posts");
  campaign->footer("Tones: " + tones_text() + ".\nStatuses: draft, active, archived.");
  add_campaign_create(*campaign, registry);
  add_campaign_list(*campaign, registry);
  add_campaign_show(*campaign, registry);
  add_campaign_update(*campaign, registry);
  add_campaign_delete(*campaign, registry);
  add_campaign_restore(*campaign, registry);
  add_campaign_run(*campaign, registry);
  add_campaign_batches(*campaign, registry);
}

} // namespace blogen::cli
