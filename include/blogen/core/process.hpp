#pragma once
// Who a process is, in a form other processes can check: host, pid and the kernel's start time of that pid, so a
// recycled pid is never mistaken for the process that held a resource before it.

#include <string>
#include <string_view>

namespace blogen::process {

/// This process as "host:pid:start" (start: clock ticks after boot, from /proc/<pid>/stat).
std::string self_tag();

/// This machine's name in lease owners: BLOGEN_HOST_ID when set (containers sharing a host name, or tests playing two
/// machines on one), else the host name. A process of another host is never judged gone by its pid, only by its lease.
std::string host_id();
/// Whether the process `tag` names has certainly ended: the tag names this host and no process with that pid and
/// start time runs. A tag of another host, or one that cannot be read, is never called gone.
bool is_gone(std::string_view tag);

} // namespace blogen::process
