#include "posts_common.hpp"

#include <blogen/app/post_editing.hpp>
#include <blogen/app/posts.hpp>
#include <blogen/app/store_maintenance.hpp>
#include <blogen/core/error.hpp>
#include <blogen/core/files.hpp>
#include <blogen/core/paths.hpp>
#include <blogen/core/text.hpp>
#include <blogen/core/text_position.hpp>

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <spawn.h>
#include <sys/wait.h>

extern char** environ; // NOLINT: POSIX declares it nowhere else

namespace blogen::app {
namespace {

constexpr std::string_view k_fence = "---";

std::string_view strip_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

[[noreturn]] void bad_front_matter(int line, const std::string& why) {
  throw Error(ErrorCode::bad_input, fmt::format("line {}: {}", line, why));
}

} // namespace

std::string editable_text(const store::Post& post) {
  return fmt::format("---\ntitle: {}\ncategory: {}\ntone: {}\n---\n\n{}\n", post.title, post.category, post.tone,
                     post.content);
}

EditableFields parse_editable_text(std::string_view text) {
  if (const std::size_t bad = text::invalid_text_offset(text); bad != std::string_view::npos) {
    bad_front_matter(text_position(text, bad).line, "the text " + text::text_problem(text));
  }
  EditableFields fields;
  std::size_t position = 0;
  int line_number = 0;
  const auto next_line = [&]() -> std::optional<std::string_view> {
    if (position >= text.size()) return std::nullopt;
    const std::size_t end = text.find('\n', position);
    const std::string_view line =
        text.substr(position, end == std::string_view::npos ? std::string_view::npos : end - position);
    position = end == std::string_view::npos ? text.size() : end + 1;
    ++line_number;
    return strip_cr(line);
  };
  auto first = next_line();
  if (!first || *first != k_fence) bad_front_matter(1, "the file must start with '---' (the front matter)");
  bool closed = false;
  bool saw_title = false;
  while (auto line = next_line()) {
    if (*line == k_fence) {
      closed = true;
      break;
    }
    if (text::trim(*line).empty()) continue;
    const std::size_t colon = line->find(':');
    if (colon == std::string_view::npos) bad_front_matter(line_number, "expected 'key: value'");
    const std::string key(text::trim(line->substr(0, colon)));
    const std::string value(text::trim(line->substr(colon + 1)));
    try {
      if (key == "title") {
        fields.title = detail::check_title(value, "title");
        saw_title = true;
      } else if (key == "category") {
        fields.category = detail::check_category(value, "category");
      } else if (key == "tone") {
        fields.tone = value.empty() ? std::string() : detail::check_tone(value, "tone");
      } else {
        bad_front_matter(line_number, fmt::format("unknown key '{}'; use title, category or tone", key));
      }
    } catch (const Error& e) {
      if (e.code() != ErrorCode::usage) throw;
      bad_front_matter(line_number, e.what());
    }
  }
  if (!closed) bad_front_matter(line_number, "the front matter is not closed by a '---' line");
  if (!saw_title) bad_front_matter(line_number, "the front matter has no title");
  std::string content(text::trim(text.substr(position)));
  if (content.empty()) bad_front_matter(line_number, "the post text is empty");
  fields.content = std::move(content);
  return fields;
}

std::vector<std::string> split_command(std::string_view command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      const std::size_t end = command.find('\'', i + 1);
      if (end == std::string_view::npos) throw Error(ErrorCode::usage, "the editor command has an unclosed '");
      word.append(command.substr(i + 1, end - i - 1));
      i = end;
    } else if (c == '"') {
      std::size_t j = i + 1;
      for (; j < command.size() && command[j] != '"'; ++j) {
        if (command[j] == '\\' && j + 1 < command.size() && (command[j + 1] == '"' || command[j + 1] == '\\')) ++j;
        word += command[j];
      }
      if (j >= command.size()) throw Error(ErrorCode::usage, "the editor command has an unclosed \"");
      i = j;
    } else if (c == '\\' && i + 1 < command.size()) {
      word += command[++i];
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

std::vector<std::string> editor_command() {
  for (const char* variable : {"VISUAL", "EDITOR"}) {
    if (auto value = paths::env(variable)) {
      auto words = split_command(*value);
      if (!words.empty()) return words;
    }
  }
  return {"vi"};
}

int run_program(const std::vector<std::string>& command, const std::filesystem::path& file) {
  if (command.empty()) throw Error(ErrorCode::failed, "no editor command");
  std::vector<std::string> args = command;
  args.push_back(file.string());
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (auto& arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  // Like git: while the editor owns the terminal, Ctrl-C is the editor's business, not ours.
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction old_int {};
  struct sigaction old_quit {};
  ::sigaction(SIGINT, &ignore, &old_int);
  ::sigaction(SIGQUIT, &ignore, &old_quit);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGQUIT);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);
  pid_t pid = 0;
  const int spawned = ::posix_spawnp(&pid, argv[0], nullptr, &attributes, argv.data(), environ);
  posix_spawnattr_destroy(&attributes);
  int status = 0;
  if (spawned == 0) {
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  }
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGQUIT, &old_quit, nullptr);
  if (spawned != 0) {
    throw Error(ErrorCode::failed, fmt::format("cannot start the editor '{}': {} (set VISUAL or EDITOR)", command[0],
                                               files::system_message(spawned)));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

store::Post post_for_editing(Context& context, std::int64_t post_id) { return get_post(context, post_id); }

std::filesystem::path edit_file(Context& context, std::int64_t post_id) {
  const auto folder = paths::data_dir() / "recovered";
  files::create_private_directories(folder);
  return folder / fmt::format("post-{}-{}.md", post_id, context.clock().now_ms());
}

namespace {

EditOutcome apply_edit(Context& context, std::int64_t post_id, const std::string& edited) {
  const store::Post post = get_post(context, post_id);
  const EditableFields fields = parse_editable_text(edited);
  EditOutcome outcome;
  if (fields.title == post.title && fields.category == post.category &&
      (fields.tone.empty() || fields.tone == post.tone) && fields.content == text::trim(post.content)) {
    return outcome;
  }
  UpdatePostRequest update;
  update.post_id = post_id;
  if (fields.title != post.title) update.title = fields.title;
  if (fields.category != post.category) update.category = fields.category;
  if (!fields.tone.empty() && fields.tone != post.tone) update.tone = fields.tone;
  if (fields.content != text::trim(post.content)) update.content = fields.content;
  outcome.revision = update_post(context, update).revision;
  return outcome;
}

} // namespace

EditOutcome save_edited_post(Context& context, std::int64_t post_id, const std::string& original,
                             const std::string& edited, const std::filesystem::path& file) {
  EditOutcome outcome;
  try {
    // Whatever went wrong after the editor closed (an expired session, a post trashed meanwhile, a busy store,
    // text too long or not UTF-8), the file stays and the message says where.
    if (edited == original) {
      (void)get_post(context, post_id);
    } else {
      outcome = apply_edit(context, post_id, edited);
    }
  } catch (const std::exception& e) {
    const Error why = explain_failure(e, context.store_path());
    if (edited == original) {
      std::error_code ignored;
      std::filesystem::remove(file, ignored); // nothing of the writer's is in it
      throw why;
    }
    throw Error(why.code(),
                fmt::format("the edited post was not saved: {}; your text is kept in {}", why.what(), file.string()));
  }
  std::error_code ignored;
  std::filesystem::remove(file, ignored);
  return outcome;
}

} // namespace blogen::app
