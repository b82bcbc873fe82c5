#pragma once
// argv and envp for execve(), built before fork() so the child only calls async-signal-safe functions. The object
// owns the strings its pointers point into: keep it alive until execve.

#include <map>
#include <string>
#include <vector>

namespace blogen::testing {

class ExecArgs {
public:
  ExecArgs(std::vector<std::string> argv, const std::map<std::string, std::string>& env) : m_args(std::move(argv)) {
    for (const auto& [name, value] : env)
      m_env.push_back(name + "=" + value);
    for (auto& arg : m_args)
      m_arg_ptrs.push_back(arg.data());
    m_arg_ptrs.push_back(nullptr);
    for (auto& entry : m_env)
      m_env_ptrs.push_back(entry.data());
    m_env_ptrs.push_back(nullptr);
  }
  ExecArgs(const ExecArgs&) = delete;
  ExecArgs& operator=(const ExecArgs&) = delete;

  const char* path() const { return m_arg_ptrs.front(); }
  char* const* argv() const { return m_arg_ptrs.data(); }
  char* const* envp() const { return m_env_ptrs.data(); }

private:
  std::vector<std::string> m_args;
  std::vector<std::string> m_env;
  std::vector<char*> m_arg_ptrs;
  std::vector<char*> m_env_ptrs;
};

} // namespace blogen::testing
