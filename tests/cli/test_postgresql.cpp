// blogen on a PostgreSQL store, beyond the CLI suite's second run on it: moving a store between the engines, two
// "hosts" sharing one queue through SIGKILLs, and what the server's URL shows. Needs the throwaway cluster of the
// pg_cluster fixture (tests/support/pg-cluster.sh).
#include <support/cli_harness.hpp>

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

using blogen::testing::Child;
using blogen::testing::RunResult;
using blogen::testing::Sandbox;

namespace {

std::string cluster_url() {
  // The cluster's URL, whatever engine the sandboxes of this run use.
  const char* file = std::getenv("BLOGEN_TEST_PG_URL_FILE");
  REQUIRE(file != nullptr);
  std::ifstream in(file);
  std::string url;
  REQUIRE(std::getline(in, url));
  return url;
}

/// A fresh database on the test cluster, dropped afterwards.
class Database {
public:
  explicit Database(const std::string& name) : m_base(cluster_url()), m_name(name) {
    blogen::testing::run_psql(m_base, "DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)");
    blogen::testing::run_psql(m_base, "CREATE DATABASE " + m_name);
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database() {
    try {
      blogen::testing::run_psql(m_base, "DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)");
    } catch (...) { // NOLINT(bugprone-empty-catch): the cluster is removed at the end anyway
    }
  }
  [[nodiscard]] std::string url() const { return m_base + m_name; }
  /// The single value `sql` yields in this database.
  [[nodiscard]] std::string value(const std::string& sql) const {
    Child psql =
        blogen::testing::spawn({"/usr/bin/psql", "-qXAt", "-d", url(), "-c", sql}, {{"PATH", "/usr/bin:/bin"}});
    const RunResult result = psql.wait(60'000);
    REQUIRE(result.exit_code == 0);
    std::string text = result.out;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
      text.pop_back();
    return text;
  }

private:
  std::string m_base;
  std::string m_name;
};

std::string json_of(const Sandbox& sandbox, const std::vector<std::string>& args) {
  const RunResult result = sandbox.run(args);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  return result.out;
}

/// The --json answers a user compares after moving a store (search ranks and snippets are each engine's own).
std::vector<std::string> listings(const Sandbox& sandbox) {
  return {json_of(sandbox, {"blog", "list", "--json", "--limit", "100"}),
          json_of(sandbox, {"blog", "show", "1", "--json"}),
          json_of(sandbox, {"log", "--json"}),
          json_of(sandbox, {"job", "list", "--json"}),
          json_of(sandbox, {"campaign", "batches", "1", "--json"}),
          json_of(sandbox, {"cost", "--by", "day", "--json"})};
}

std::vector<std::int64_t> search_ids(const Sandbox& sandbox, const std::string& words) {
  const RunResult result = sandbox.run({"blog", "search", words, "--json"});
  REQUIRE(result.exit_code == 0);
  const nlohmann::json hits = result.json();
  std::vector<std::int64_t> ids;
  for (const auto& hit : hits)
    ids.push_back(hit["id"].get<std::int64_t>());
  return ids;
}

} // namespace

TEST_CASE("store copy moves a store from SQLite to PostgreSQL and back with every listing identical") {
  Sandbox sandbox(BLOGEN_BINARY);
  sandbox.set_env("BLOGEN_DB", (sandbox.dir() / "first.db").string());
  REQUIRE(sandbox.login_as("ann") == 0);
  for (const char* topic : {"Sourdough starter basics", "Folding bikes on trains", "Sourdough in cold kitchens"})
    REQUIRE(sandbox.run({"blog", "create", "--topic", topic}).exit_code == 0);
  REQUIRE(sandbox.run({"blog", "update", "1", "--title", "Starter, fed"}).exit_code == 0);
  REQUIRE(sandbox.run({"campaign", "create", "--name", "Bikes", "--brand", "Fold"}).exit_code == 0);
  REQUIRE(sandbox.run({"campaign", "run", "1", "--count", "4"}).exit_code == 0);
  const auto before = listings(sandbox);
  const auto found_before = search_ids(sandbox, "sourdough");
  REQUIRE(found_before.size() == 2);

  Database server("copy_round_trip");
  const RunResult there =
      sandbox.run({"store", "copy", "--from", (sandbox.dir() / "first.db").string(), "--to", server.url(), "--json"});
  INFO(there.err);
  REQUIRE(there.exit_code == 0);
  CHECK(there.json()["tables"]["posts"] == 7);
  CHECK(there.json()["tables"]["users"] == 1);

  sandbox.set_env("BLOGEN_DB", server.url()); // the same session: its hash was copied with the user
  CHECK(listings(sandbox) == before);
  CHECK(search_ids(sandbox, "sourdough") == found_before);

  const auto back = sandbox.dir() / "back.db";
  REQUIRE(sandbox.run({"store", "copy", "--from", server.url(), "--to", back.string()}).exit_code == 0);
  sandbox.set_env("BLOGEN_DB", back.string());
  CHECK(listings(sandbox) == before);
  CHECK(json_of(sandbox, {"blog", "search", "sourdough", "--json"}) ==
        json_of(sandbox, {"--db", (sandbox.dir() / "first.db").string(), "blog", "search", "sourdough", "--json"}));

  // A target with rows is refused and left as it was.
  const RunResult again = sandbox.run({"store", "copy", "--from", back.string(), "--to", server.url()});
  CHECK(again.exit_code == 2);
  CHECK_THAT(again.err, Catch::Contains("not empty"));
  CHECK(server.value("SELECT count(*) FROM posts") == "7");
  // New rows on the server continue after the copied ids.
  sandbox.set_env("BLOGEN_DB", server.url());
  REQUIRE(sandbox.run({"blog", "create", "--topic", "After the move", "--detach"}).exit_code == 0);
  CHECK(server.value("SELECT max(id) FROM posts") == "8");
}

TEST_CASE("two hosts drain one 500-post batch on PostgreSQL exactly once through five SIGKILLs") {
  Database server("two_hosts");
  Sandbox sandbox(BLOGEN_BINARY);
  sandbox.set_env("BLOGEN_DB", server.url());
  sandbox.set_env("BLOGEN_LEASE_SECONDS", "2"); // a killed host's jobs come back after 2 s, not the default
  REQUIRE(sandbox.login_as("ann") == 0);
  REQUIRE(sandbox.run({"campaign", "create", "--name", "Fleet", "--brand", "Fold"}).exit_code == 0);
  REQUIRE(sandbox.run({"campaign", "run", "1", "--count", "500", "--detach"}).exit_code == 0);

  // Each "host" is a worker with its own host id over TCP to 127.0.0.1: to the other, its jobs are gone only when
  // their leases end, as on another machine.
  const auto start_worker = [&](const std::string& host) {
    sandbox.set_env("BLOGEN_HOST_ID", host);
    return sandbox.start({"worker", "--until-idle", "--concurrency", "4"});
  };
  std::vector<Child> workers;
  workers.push_back(start_worker("host-a"));
  workers.push_back(start_worker("host-b"));
  const auto completed = [&] {
    return std::stoi(server.value("SELECT count(*) FROM jobs WHERE status = 'completed'"));
  };

  int kills = 0;
  int last = completed();
  for (int poll = 0; kills < 5 && poll < 20'000; ++poll) {
    const int now = completed();
    if (now >= 500) break;
    if (now - last < 40) continue; // kill only after some progress since the last kill
    last = now;
    Child& victim = workers[static_cast<std::size_t>(kills % 2)];
    victim.signal(SIGKILL);
    (void)victim.wait(60'000);
    victim = start_worker(kills % 2 == 0 ? "host-a" : "host-b");
    ++kills;
  }
  CHECK(kills == 5);
  for (Child& worker : workers)
    (void)worker.wait(300'000);
  // A job a killed host held comes back when its lease ends; a last worker takes what is left.
  sandbox.set_env("BLOGEN_HOST_ID", "host-c");
  const RunResult rest = sandbox.run({"worker", "--until-idle"});
  INFO(rest.err);
  REQUIRE(rest.exit_code == 0);

  CHECK(completed() == 500);
  CHECK(server.value("SELECT count(*) FROM posts WHERE status = 'completed'") == "500");
  // Exactly once: one revision per post, one successful call per job, nothing left leased.
  CHECK(server.value("SELECT count(*) FROM post_revisions") == "500");
  CHECK(server.value("SELECT count(*) FROM (SELECT post_id FROM post_revisions GROUP BY post_id "
                     "HAVING count(*) > 1) twice") == "0");
  CHECK(server.value("SELECT count(*) FROM generation_log WHERE status = 'ok'") == "500");
  CHECK(server.value("SELECT count(*) FROM jobs WHERE lease_owner IS NOT NULL") == "0");
}

TEST_CASE("a PostgreSQL store's URL is shown without its password, and a newer or foreign database is refused") {
  Database server("shown_url");
  Sandbox sandbox(BLOGEN_BINARY);
  // The cluster trusts local connections, so the password is accepted and ignored: only its absence from every
  // output is under test.
  std::string url = server.url();
  url.insert(url.find("://") + 3 + std::string("blogen").size(), ":Sesame-0p3n");
  sandbox.set_env("BLOGEN_DB", url);
  const RunResult doctor = sandbox.run({"doctor", "--json"});
  INFO(doctor.out << doctor.err);
  REQUIRE(doctor.exit_code == 0);
  CHECK_THAT(doctor.out + doctor.err, !Catch::Contains("Sesame"));
  CHECK(doctor.json()["store"] == server.url());
  bool saw_engine = false;
  const nlohmann::json checks = doctor.json()["checks"];
  for (const auto& check : checks) {
    if (check["name"] == "engine") {
      saw_engine = true;
      CHECK_THAT(check["detail"].get<std::string>(), Catch::StartsWith("postgresql 15."));
    }
  }
  CHECK(saw_engine);

  REQUIRE(sandbox.login_as("ann") == 0);
  const RunResult crontab = sandbox.run({"schedule", "crontab", "--json"});
  INFO(crontab.err);
  REQUIRE(crontab.exit_code == 0);
  CHECK_THAT(crontab.out + crontab.err, !Catch::Contains("Sesame"));
  CHECK(crontab.json()["store"] == server.url());
  CHECK(crontab.json()["password_left_out"] == true);
  CHECK_THAT(crontab.json()["crontab_line"].get<std::string>(), Catch::Contains("BLOGEN_DB='" + server.url() + "'"));

  // Another session holding the writer lock past the busy timeout: a clear "busy", nothing saved, never an
  // unexpected failure.
  Child holder = blogen::testing::spawn({"/usr/bin/psql", "-qX", "-d", server.url(), "-c",
                                         "SELECT pg_advisory_lock(1651273575)", "-c", "SELECT pg_sleep(120)"},
                                        {{"PATH", "/usr/bin:/bin"}});
  for (int poll = 0; poll < 10'000 && server.value("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                                   "AND granted AND database = (SELECT oid FROM pg_database "
                                                   "WHERE datname = current_database())") != "1";
       ++poll) {}
  sandbox.set_env("BLOGEN_BUSY_TIMEOUT_MS", "300");
  const RunResult busy = sandbox.run({"blog", "create", "--topic", "Locked out", "--detach"});
  holder.signal(SIGKILL);
  (void)holder.wait(10'000);
  sandbox.set_env("BLOGEN_BUSY_TIMEOUT_MS", std::nullopt);
  CHECK(busy.exit_code == 1);
  CHECK_THAT(busy.err, Catch::Contains("stayed busy") && !Catch::Contains("unexpected"));
  CHECK(server.value("SELECT count(*) FROM posts") == "0");

  (void)server.value("UPDATE blogen_schema SET version = 99");
  const RunResult newer = sandbox.run({"blog", "list"});
  CHECK(newer.exit_code == 1);
  CHECK_THAT(newer.err, Catch::Contains("schema version 99") && !Catch::Contains("Sesame"));

  Database foreign("foreign_tables");
  (void)foreign.value("CREATE TABLE orders (id int)");
  sandbox.set_env("BLOGEN_DB", foreign.url());
  const RunResult refused = sandbox.run({"blog", "list"});
  CHECK(refused.exit_code == 6);
  CHECK_THAT(refused.err, Catch::Contains("another program"));
  CHECK(foreign.value("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "1");

  sandbox.set_env("BLOGEN_DB", "postgres://blogen:Sesame-0p3n@127.0.0.1:notaport/x");
  const RunResult typo = sandbox.run({"blog", "list"});
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Catch::Contains("--db") && !Catch::Contains("Sesame"));

  sandbox.set_env("BLOGEN_DB", "postgresql://blogen:Sesame-0p3n@127.0.0.1:1/nowhere");
  const RunResult unreachable = sandbox.run({"blog", "list"});
  CHECK(unreachable.exit_code == 1);
  CHECK_THAT(unreachable.err, Catch::Contains("127.0.0.1") && !Catch::Contains("Sesame"));
}
