// The curl_* functions blogen calls, defined here with the names and signatures curl.h declares (a mismatch is a
// compile error: two C functions of one name), each forwarding to libcurl.so.4 opened with dlopen on the first
// call. So the executable has no DT_NEEDED on libcurl and the callers read as plain libcurl code. A curl_* function
// used elsewhere but not forwarded here fails to link: add it below. The executable does not export these names
// (it is not linked with -rdynamic), so libcurl's calls to its own functions never land here.
#include "curl_library.hpp"

#include <blogen/core/shared_library.hpp>

#include <curl/curl.h>

#include <cstdarg>

namespace blogen::gen {
namespace {

struct CurlApi {
  decltype(&curl_global_init) global_init = nullptr;
  decltype(&curl_easy_init) easy_init = nullptr;
  decltype(&curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&curl_easy_reset) easy_reset = nullptr;
  decltype(&curl_easy_setopt) easy_setopt = nullptr;
  decltype(&curl_multi_init) multi_init = nullptr;
  decltype(&curl_multi_cleanup) multi_cleanup = nullptr;
  decltype(&curl_multi_add_handle) multi_add_handle = nullptr;
  decltype(&curl_multi_remove_handle) multi_remove_handle = nullptr;
  decltype(&curl_multi_perform) multi_perform = nullptr;
  decltype(&curl_multi_poll) multi_poll = nullptr;
  decltype(&curl_multi_wakeup) multi_wakeup = nullptr;
  decltype(&curl_multi_info_read) multi_info_read = nullptr;
  decltype(&curl_slist_append) slist_append = nullptr;
  decltype(&curl_slist_free_all) slist_free_all = nullptr;
  decltype(&curl_url) url = nullptr;
  decltype(&curl_url_cleanup) url_cleanup = nullptr;
  decltype(&curl_url_get) url_get = nullptr;
  decltype(&curl_url_set) url_set = nullptr;
  decltype(&curl_free) free = nullptr;
  std::string problem;
};

CurlApi load() {
  CurlApi loaded = bind_library<CurlApi>("libcurl.so.4", "libcurl4", [](SharedLibrary& library, CurlApi& api) {
    library.bind(api.global_init, "curl_global_init");
    library.bind(api.easy_init, "curl_easy_init");
    library.bind(api.easy_cleanup, "curl_easy_cleanup");
    library.bind(api.easy_reset, "curl_easy_reset");
    library.bind(api.easy_setopt, "curl_easy_setopt");
    library.bind(api.multi_init, "curl_multi_init");
    library.bind(api.multi_cleanup, "curl_multi_cleanup");
    library.bind(api.multi_add_handle, "curl_multi_add_handle");
    library.bind(api.multi_remove_handle, "curl_multi_remove_handle");
    library.bind(api.multi_perform, "curl_multi_perform");
    library.bind(api.multi_poll, "curl_multi_poll");
    library.bind(api.multi_wakeup, "curl_multi_wakeup");
    library.bind(api.multi_info_read, "curl_multi_info_read");
    library.bind(api.slist_append, "curl_slist_append");
    library.bind(api.slist_free_all, "curl_slist_free_all");
    library.bind(api.url, "curl_url");
    library.bind(api.url_cleanup, "curl_url_cleanup");
    library.bind(api.url_get, "curl_url_get");
    library.bind(api.url_set, "curl_url_set");
    library.bind(api.free, "curl_free");
  });
  if (!loaded.problem.empty()) return loaded;
  // Not thread-safe, and needed before the first handle: here, inside the one-time initialisation.
  if (loaded.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    CurlApi unusable;
    unusable.problem = "libcurl could not be initialised (curl_global_init failed)";
    return unusable;
  }
  return loaded;
}

// A function-local static: loaded once, on first use, and thread-safe (worker threads call curl concurrently). Never
// destroyed: thread-local handles are cleaned up at thread exit, which may come after the statics are gone.
const CurlApi& api() {
  static const CurlApi* const loaded = new CurlApi(load());
  return *loaded;
}

} // namespace

const std::string& curl_library_problem() { return api().problem; }

} // namespace blogen::gen

using blogen::call_or;
using blogen::gen::api;

extern "C" {

CURL* curl_easy_init() { return call_or(api().easy_init, nullptr); }

void curl_easy_cleanup(CURL* curl) {
  if (api().easy_cleanup != nullptr) api().easy_cleanup(curl);
}

void curl_easy_reset(CURL* curl) {
  if (api().easy_reset != nullptr) api().easy_reset(curl);
}

// The one variadic function: its single argument is read by the option's type range, exactly as libcurl's own
// curl_easy_setopt reads it (lib/setopt.c), and passed on as that type. The name is in parentheses because curl.h
// defines a function-like macro of it.
CURLcode(curl_easy_setopt)(CURL* curl, CURLoption option, ...) {
  if (api().easy_setopt == nullptr) return CURLE_FAILED_INIT;
  va_list arguments;
  va_start(arguments, option);
  CURLcode result = CURLE_OK;
  // The branches differ in the type va_arg reads, which the clone check does not see.
  // NOLINTNEXTLINE(bugprone-branch-clone)
  if (option < CURLOPTTYPE_OBJECTPOINT) {
    result = api().easy_setopt(curl, option, va_arg(arguments, long));
  } else if (option < CURLOPTTYPE_FUNCTIONPOINT) {
    result = api().easy_setopt(curl, option, va_arg(arguments, void*));
  } else if (option < CURLOPTTYPE_OFF_T) {
    using AnyFunction = void (*)();
    result = api().easy_setopt(curl, option, va_arg(arguments, AnyFunction));
  } else if (option < CURLOPTTYPE_BLOB) {
    result = api().easy_setopt(curl, option, va_arg(arguments, curl_off_t));
  } else {
    result = api().easy_setopt(curl, option, va_arg(arguments, curl_blob*));
  }
  va_end(arguments);
  return result;
}

CURLM* curl_multi_init() { return call_or(api().multi_init, nullptr); }

CURLMcode curl_multi_cleanup(CURLM* multi) { return call_or(api().multi_cleanup, CURLM_INTERNAL_ERROR, multi); }

CURLMcode curl_multi_add_handle(CURLM* multi, CURL* easy) {
  return call_or(api().multi_add_handle, CURLM_INTERNAL_ERROR, multi, easy);
}

CURLMcode curl_multi_remove_handle(CURLM* multi, CURL* easy) {
  return call_or(api().multi_remove_handle, CURLM_INTERNAL_ERROR, multi, easy);
}

CURLMcode curl_multi_perform(CURLM* multi, int* running) {
  return call_or(api().multi_perform, CURLM_INTERNAL_ERROR, multi, running);
}

CURLMcode curl_multi_poll(CURLM* multi, curl_waitfd extra_fds[], unsigned int extra_nfds, int timeout_ms, int* ret) {
  return call_or(api().multi_poll, CURLM_INTERNAL_ERROR, multi, extra_fds, extra_nfds, timeout_ms, ret);
}

CURLMcode curl_multi_wakeup(CURLM* multi) { return call_or(api().multi_wakeup, CURLM_INTERNAL_ERROR, multi); }

CURLMsg* curl_multi_info_read(CURLM* multi, int* queued) {
  return call_or(api().multi_info_read, nullptr, multi, queued);
}

curl_slist* curl_slist_append(curl_slist* list, const char* line) {
  return call_or(api().slist_append, nullptr, list, line);
}

void curl_slist_free_all(curl_slist* list) {
  if (api().slist_free_all != nullptr) api().slist_free_all(list);
}

CURLU* curl_url() { return call_or(api().url, nullptr); }

void curl_url_cleanup(CURLU* url) {
  if (api().url_cleanup != nullptr) api().url_cleanup(url);
}

CURLUcode curl_url_get(CURLU* url, CURLUPart part, char** value, unsigned int flags) {
  return call_or(api().url_get, CURLUE_OUT_OF_MEMORY, url, part, value, flags);
}

CURLUcode curl_url_set(CURLU* url, CURLUPart part, const char* value, unsigned int flags) {
  return call_or(api().url_set, CURLUE_OUT_OF_MEMORY, url, part, value, flags);
}

void curl_free(void* pointer) {
  if (api().free != nullptr) api().free(pointer);
}

} // extern "C"
