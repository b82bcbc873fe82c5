// Where blogen keeps its files: beside a store file, or in the data folder for a store on a server.
#include <blogen/core/paths.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>

using blogen::paths::images_dir;
using blogen::paths::is_server_url;

TEST_CASE("a PostgreSQL URL is a server store, a path is a file") {
  CHECK(is_server_url("postgresql://ann@db.example/blogen"));
  CHECK(is_server_url("postgres://db.example/blogen"));
  CHECK_FALSE(is_server_url("/home/ann/.local/share/blogen/blogen.db"));
  CHECK_FALSE(is_server_url("postgresql.db"));
  CHECK_FALSE(is_server_url("./postgresql://x"));
}

TEST_CASE("images go beside a store file, and into a folder of each server store's own") {
  ::setenv("XDG_DATA_HOME", "/data", 1); // NOLINT(concurrency-mt-unsafe): single-threaded test
  CHECK(images_dir("/srv/site/blogen.db") == "/srv/site/images");
  const auto one = images_dir("postgresql://ann:Sesame@db.example:5432/blogen?sslmode=require");
  CHECK(one == "/data/blogen/images/db.example_5432_blogen");
  CHECK(images_dir("postgres://db.example:5432/other") == "/data/blogen/images/db.example_5432_other");
  CHECK(images_dir("postgresql://bob@db.example:5432/blogen") == one);       // the same store, whoever connects
  CHECK(images_dir("postgresql://ann:pa?ss@db.example:5432/blogen") == one); // no part of a password
  CHECK(images_dir("postgresql://../..") == "/data/blogen/images/.._..");
  CHECK(images_dir("postgresql://") == "/data/blogen/images/default");
}
