#pragma once
// libcurl is opened on first use (src/gen/curl_library.cpp), not linked: only commands that call a provider over
// HTTP, or check a provider's base URL, pay for loading it and its thirty-odd dependencies.

#include <string>

namespace blogen::gen {

/// "" once libcurl is loaded and globally initialised (the first call, from any thread, does both); else why it
/// could not be, as a sentence for the user naming the package to install. Call it before the first curl_* call:
/// without the library those calls fail (null handles, error codes) instead of crashing, but say nothing of why.
const std::string& curl_library_problem();

} // namespace blogen::gen
