#pragma once
// Where blogen keeps things, following the XDG base directory specification.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace blogen::paths {

/// The value of an environment variable, or nothing when unset or empty.
std::optional<std::string> env(const char* name);
/// `$XDG_DATA_HOME/blogen` (default `~/.local/share/blogen`).
std::filesystem::path data_dir();
/// `$XDG_CONFIG_HOME/blogen` (default `~/.config/blogen`).
std::filesystem::path config_dir();
/// The store: `--db` value if given, else `$BLOGEN_DB`, else `data_dir()/blogen.db`.
std::filesystem::path store_path(const std::optional<std::string>& flag_value);
/// The session token file: `config_dir()/session`.
std::filesystem::path session_file();
/// Whether a --db or BLOGEN_DB value names a PostgreSQL server (`postgresql://...` or `postgres://...`), not a file.
bool is_server_url(std::string_view location);
/// The folder for generated images: `images/` beside a store file; `data_dir()/images` for a store on a server.
std::filesystem::path images_dir(const std::filesystem::path& store);

} // namespace blogen::paths
