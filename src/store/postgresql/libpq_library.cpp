// The PQ* functions blogen calls, defined here with the names and signatures libpq-fe.h declares (a mismatch is a
// compile error: two C functions of one name), each forwarding to libpq.so.5 opened with dlopen on the first call.
// So the executable has no DT_NEEDED on libpq and the callers read as plain libpq code. A PQ* function used
// elsewhere but not forwarded here fails to link: add it below.
#include "libpq_library.hpp"

#include <blogen/core/shared_library.hpp>

#include <libpq-fe.h>

namespace blogen::store::pg {
namespace {

struct LibpqApi {
  decltype(&PQconninfoParse) conninfo_parse = nullptr;
  decltype(&PQconninfoFree) conninfo_free = nullptr;
  decltype(&PQconnectdbParams) connectdb_params = nullptr;
  decltype(&PQstatus) status = nullptr;
  decltype(&PQerrorMessage) error_message = nullptr;
  decltype(&PQfinish) finish = nullptr;
  decltype(&PQsetNoticeProcessor) set_notice_processor = nullptr;
  decltype(&PQparameterStatus) parameter_status = nullptr;
  decltype(&PQserverVersion) server_version = nullptr;
  decltype(&PQsslInUse) ssl_in_use = nullptr;
  decltype(&PQsslAttribute) ssl_attribute = nullptr;
  decltype(&PQgssEncInUse) gss_enc_in_use = nullptr;
  decltype(&PQhost) host = nullptr;
  decltype(&PQexec) exec = nullptr;
  decltype(&PQexecParams) exec_params = nullptr;
  decltype(&PQresultStatus) result_status = nullptr;
  decltype(&PQresultErrorMessage) result_error_message = nullptr;
  decltype(&PQresultErrorField) result_error_field = nullptr;
  decltype(&PQclear) clear = nullptr;
  decltype(&PQcmdStatus) cmd_status = nullptr;
  decltype(&PQcmdTuples) cmd_tuples = nullptr;
  decltype(&PQntuples) ntuples = nullptr;
  decltype(&PQnfields) nfields = nullptr;
  decltype(&PQfname) fname = nullptr;
  decltype(&PQftype) ftype = nullptr;
  decltype(&PQgetisnull) getisnull = nullptr;
  decltype(&PQgetvalue) getvalue = nullptr;
  decltype(&PQunescapeBytea) unescape_bytea = nullptr;
  decltype(&PQfreemem) freemem = nullptr;
  std::string problem;
};

LibpqApi load() {
  return bind_library<LibpqApi>("libpq.so.5", "libpq5", [](SharedLibrary& library, LibpqApi& api) {
    library.bind(api.conninfo_parse, "PQconninfoParse");
    library.bind(api.conninfo_free, "PQconninfoFree");
    library.bind(api.connectdb_params, "PQconnectdbParams");
    library.bind(api.status, "PQstatus");
    library.bind(api.error_message, "PQerrorMessage");
    library.bind(api.finish, "PQfinish");
    library.bind(api.set_notice_processor, "PQsetNoticeProcessor");
    library.bind(api.parameter_status, "PQparameterStatus");
    library.bind(api.server_version, "PQserverVersion");
    library.bind(api.ssl_in_use, "PQsslInUse");
    library.bind(api.ssl_attribute, "PQsslAttribute");
    library.bind(api.gss_enc_in_use, "PQgssEncInUse");
    library.bind(api.host, "PQhost");
    library.bind(api.exec, "PQexec");
    library.bind(api.exec_params, "PQexecParams");
    library.bind(api.result_status, "PQresultStatus");
    library.bind(api.result_error_message, "PQresultErrorMessage");
    library.bind(api.result_error_field, "PQresultErrorField");
    library.bind(api.clear, "PQclear");
    library.bind(api.cmd_status, "PQcmdStatus");
    library.bind(api.cmd_tuples, "PQcmdTuples");
    library.bind(api.ntuples, "PQntuples");
    library.bind(api.nfields, "PQnfields");
    library.bind(api.fname, "PQfname");
    library.bind(api.ftype, "PQftype");
    library.bind(api.getisnull, "PQgetisnull");
    library.bind(api.getvalue, "PQgetvalue");
    library.bind(api.unescape_bytea, "PQunescapeBytea");
    library.bind(api.freemem, "PQfreemem");
  });
}

// A function-local static: loaded once, on first use, and thread-safe (every worker thread opens a connection). Never
// destroyed: thread-local handles are cleaned up at thread exit, which may come after the statics are gone.
const LibpqApi& api() {
  static const LibpqApi* const loaded = new LibpqApi(load());
  return *loaded;
}

} // namespace

const std::string& libpq_library_problem() { return api().problem; }

} // namespace blogen::store::pg

using blogen::call_or;
using blogen::store::pg::api;

extern "C" {

PQconninfoOption* PQconninfoParse(const char* conninfo, char** errmsg) {
  return call_or(api().conninfo_parse, nullptr, conninfo, errmsg);
}

void PQconninfoFree(PQconninfoOption* options) {
  if (api().conninfo_free != nullptr) api().conninfo_free(options);
}

PGconn* PQconnectdbParams(const char* const* keywords, const char* const* values, int expand_dbname) {
  return call_or(api().connectdb_params, nullptr, keywords, values, expand_dbname);
}

ConnStatusType PQstatus(const PGconn* conn) { return call_or(api().status, CONNECTION_BAD, conn); }

char* PQerrorMessage(const PGconn* conn) { return call_or(api().error_message, nullptr, conn); }

void PQfinish(PGconn* conn) {
  if (api().finish != nullptr) api().finish(conn);
}

PQnoticeProcessor PQsetNoticeProcessor(PGconn* conn, PQnoticeProcessor proc, void* arg) {
  return call_or(api().set_notice_processor, nullptr, conn, proc, arg);
}

const char* PQparameterStatus(const PGconn* conn, const char* param_name) {
  return call_or(api().parameter_status, nullptr, conn, param_name);
}

int PQserverVersion(const PGconn* conn) { return call_or(api().server_version, 0, conn); }

int PQsslInUse(PGconn* conn) { return call_or(api().ssl_in_use, 0, conn); }

const char* PQsslAttribute(PGconn* conn, const char* attribute_name) {
  return call_or(api().ssl_attribute, nullptr, conn, attribute_name);
}

int PQgssEncInUse(PGconn* conn) { return call_or(api().gss_enc_in_use, 0, conn); }

char* PQhost(const PGconn* conn) { return call_or(api().host, nullptr, conn); }

PGresult* PQexec(PGconn* conn, const char* query) { return call_or(api().exec, nullptr, conn, query); }

PGresult* PQexecParams(PGconn* conn, const char* command, int n_params, const Oid* param_types,
                       const char* const* param_values, const int* param_lengths, const int* param_formats,
                       int result_format) {
  return call_or(api().exec_params, nullptr, conn, command, n_params, param_types, param_values, param_lengths,
                 param_formats, result_format);
}

ExecStatusType PQresultStatus(const PGresult* res) { return call_or(api().result_status, PGRES_FATAL_ERROR, res); }

char* PQresultErrorMessage(const PGresult* res) { return call_or(api().result_error_message, nullptr, res); }

char* PQresultErrorField(const PGresult* res, int fieldcode) {
  return call_or(api().result_error_field, nullptr, res, fieldcode);
}

void PQclear(PGresult* res) {
  if (api().clear != nullptr) api().clear(res);
}

char* PQcmdStatus(PGresult* res) { return call_or(api().cmd_status, nullptr, res); }

char* PQcmdTuples(PGresult* res) { return call_or(api().cmd_tuples, nullptr, res); }

int PQntuples(const PGresult* res) { return call_or(api().ntuples, 0, res); }

int PQnfields(const PGresult* res) { return call_or(api().nfields, 0, res); }

char* PQfname(const PGresult* res, int field_num) { return call_or(api().fname, nullptr, res, field_num); }

Oid PQftype(const PGresult* res, int field_num) { return call_or(api().ftype, Oid{0}, res, field_num); }

int PQgetisnull(const PGresult* res, int tup_num, int field_num) {
  return call_or(api().getisnull, 1, res, tup_num, field_num);
}

char* PQgetvalue(const PGresult* res, int tup_num, int field_num) {
  return call_or(api().getvalue, nullptr, res, tup_num, field_num);
}

unsigned char* PQunescapeBytea(const unsigned char* strtext, size_t* retbuflen) {
  return call_or(api().unescape_bytea, nullptr, strtext, retbuflen);
}

void PQfreemem(void* ptr) {
  if (api().freemem != nullptr) api().freemem(ptr);
}

} // extern "C"
