// The CSV reader: any bytes are read or refused with a blogen::Error (exit 6), never anything else; a record it
// read, written out again field by field with quote_field, reads back as the same fields. (A record of one empty
// field is written as an empty line, which the reader skips, and a leading BOM is dropped: both are excluded.)
#include <blogen/core/csv.hpp>
#include <blogen/core/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto records = blogen::csv::parse(text, "fuzz.csv");
    for (const auto& record : records) {
      if (record.fields == std::vector<std::string>{""} || record.fields.front().starts_with("\xEF\xBB\xBF")) continue;
      std::string line;
      for (const auto& field : record.fields)
        line += (line.empty() && &field == &record.fields.front() ? "" : ",") + blogen::csv::quote_field(field);
      const auto again = blogen::csv::parse(line + "\r\n", "again.csv");
      if (again.size() != 1 || again.front().fields != record.fields) std::abort();
    }
  } catch (const blogen::Error&) {}
  return 0;
}
