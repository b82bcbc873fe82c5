#pragma once
// The PostgreSQL engine's StatementBackend: values are bound in memory and sent with the statement when it first
// runs (PQexecParams); the rows come back all at once, in text form, and step() walks them.

#include "../statement.hpp"
#include "result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace blogen::store::pg {

class PgStatement final : public StatementBackend {
public:
  /// A statement on `conn` (which must outlive it); `sql` uses SQLite's placeholders.
  PgStatement(PGconn* conn, std::string_view sql);

  void bind_null(int index) override;
  void bind_int64(int index, std::int64_t value) override;
  void bind_double(int index, double value) override;
  void bind_text(int index, std::string_view value) override;
  void bind_blob(int index, const void* data, std::size_t size) override;

  bool step() override;
  int exec() override;
  void reset() override;

  [[nodiscard]] int column_count() const override;
  [[nodiscard]] std::string column_name(int column) const override;
  [[nodiscard]] ValueKind column_kind(int column) const override;
  [[nodiscard]] bool is_null(int column) const override;
  [[nodiscard]] std::int64_t get_int64(int column) const override;
  [[nodiscard]] double get_double(int column) const override;
  [[nodiscard]] std::string get_text(int column) const override;
  [[nodiscard]] std::string get_blob(int column) const override;

private:
  /// One bound value as PQexecParams takes it; an empty value is NULL.
  struct Parameter {
    Oid type = 0; // 0: the server infers the type from where the parameter is used
    std::optional<std::string> value;
    int format = 0; // 0 text, 1 binary
  };

  Parameter& parameter(int index);
  void run();
  /// Throws unless there is a current row and it has `column`.
  void check_cell(int column) const;
  /// The current row's `column` as text ("" when NULL), after check_cell.
  [[nodiscard]] const char* value(int column) const;
  [[nodiscard]] Oid type(int column) const { return PQftype(m_result.get(), column); }

  PGconn* m_conn;
  std::string m_sql;
  std::vector<Parameter> m_parameters;
  Result m_result;
  int m_row = -1;
};

} // namespace blogen::store::pg
