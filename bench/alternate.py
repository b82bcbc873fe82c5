#!/usr/bin/env python3
"""Times short commands alternately, for a before/after of start-up work (#18).

    bench/alternate.py [--json FILE] RUNS COMMAND [ARGS...] -- COMMAND [ARGS...] [-- ...]

Runs the commands one after the other, RUNS rounds (after 3 rounds of warm-up), each with posix_spawn in the caller's
environment, stdout and stderr to /dev/null, and prints per command the median and mean wall time and the mean user
and system CPU (from wait4), in milliseconds. --json FILE also writes every run's wall time, in seconds, per command
({"commands": [...], "wall_s": [[...], ...]}): bench/run.sh times its whole-process reads this way. Alternating
matters on a shared machine: its speed drifts by 10-20% within minutes, which separates two hyperfine runs of 10 more
than the changes being compared. A command without a slash is looked up in PATH once, before the first round. Example, in the sandbox of a store made by bench_gen_store:

    env -i PATH="$PATH" HOME=/tmp/big BLOGEN_DB=/tmp/big/blogen.db LANG=C.UTF-8 TZ=UTC \\
      bench/alternate.py 300 /tmp/blogen-before blog show 50000 -- build/bench/blogen blog show 50000 \\
      -- /usr/bin/sqlite3 /tmp/big/blogen.db "SELECT * FROM posts WHERE id = 50000"
"""
import json
import os
import shutil
import statistics
import sys
import time


def main() -> int:
    args = sys.argv[1:]
    json_file = None
    if len(args) >= 2 and args[0] == "--json":
        json_file, args = args[1], args[2:]
    if len(args) < 2 or not args[0].isdigit():
        print(__doc__.strip(), file=sys.stderr)
        return 2
    rounds = int(args[0])
    commands = [[]]
    for word in args[1:]:
        if word == "--":
            commands.append([])
        else:
            commands[-1].append(word)
    if any(not command for command in commands):
        print("bench/alternate.py: an empty command (two -- in a row?)", file=sys.stderr)
        return 2
    for command in commands:
        if "/" not in command[0]:
            found = shutil.which(command[0])
            if found is None:
                print(f"bench/alternate.py: {command[0]} is not in PATH", file=sys.stderr)
                return 2
            command[0] = found
    null = os.open(os.devnull, os.O_WRONLY)
    redirect = [(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)]
    samples = [([], [], []) for _ in commands]  # wall, user, system
    for round_number in range(rounds + 3):
        for command, (wall, user, system) in zip(commands, samples):
            start = time.perf_counter()
            pid = os.posix_spawn(command[0], command, os.environ, file_actions=redirect)
            _, status, usage = os.wait4(pid, 0)
            elapsed = time.perf_counter() - start
            if os.waitstatus_to_exitcode(status) != 0:
                print(f"bench/alternate.py: {' '.join(command)} failed", file=sys.stderr)
                return 1
            if round_number >= 3:
                wall.append(elapsed * 1000)
                user.append(usage.ru_utime * 1000)
                system.append(usage.ru_stime * 1000)
    if json_file is not None:
        with open(json_file, "w", encoding="utf-8") as out:
            json.dump({"commands": commands, "wall_s": [[ms / 1000 for ms in wall] for wall, _, _ in samples]}, out)
    for command, (wall, user, system) in zip(commands, samples):
        print(f"wall median {statistics.median(wall):7.2f} mean {statistics.mean(wall):7.2f} | "
              f"user {statistics.mean(user):6.2f} system {statistics.mean(system):6.2f} | {' '.join(command)[:80]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
