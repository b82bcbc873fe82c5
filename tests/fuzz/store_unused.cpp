// posts_common.cpp (which holds the tone list the batch reader checks against) also has a helper that looks a post
// up in the store; the reader never calls it. The fuzz build has no store layer, so that one symbol is defined here
// to stop the process if it is ever reached, instead of compiling SQLite and the store for one unused call.
#include <blogen/store/post_repository.hpp>

#include <cstdlib>

namespace blogen::store {

std::optional<Post> PostRepository::find(std::int64_t, std::int64_t) { std::abort(); }

} // namespace blogen::store
