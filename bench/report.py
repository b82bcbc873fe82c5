#!/usr/bin/env python3
"""Turns the samples bench/run.sh recorded into the report: per figure the target, median, min-max, ratio and
pass/fail, as a Markdown table or JSON.

    report.py SAMPLES.jsonl markdown|json MACHINE VERSION RUNS
"""
import json
import statistics
import sys


def load(path):
    data = {}
    with open(path) as lines:
        for line in lines:
            sample = json.loads(line)
            data.setdefault(sample["figure"], {})[sample["key"]] = sample["values"]
    return data


def spread(values, scale=1.0):
    return {"median": statistics.median(values) * scale, "min": min(values) * scale, "max": max(values) * scale}


def rows(data):
    """One row per figure of issue #18: (figure, unit, spread, ratio text, ratio value, target text, passed)."""
    out = []

    def add(name, unit, values, ratio, ratio_text, target_text, passed):
        out.append({"figure": name, "unit": unit, **values, "ratio": ratio, "ratio_of": ratio_text,
                    "target": target_text, "pass": passed})

    def batch(key, label, target):
        shape = data.get(key)
        if not shape:
            return
        wall = spread(shape["wall_s"])
        ideal = shape["ideal_s"][0]
        ratio = wall["median"] / ideal
        add(f"{label}: wall", "s", wall, ratio, f"ideal {ideal:.2f} s", f"<= {target} x ideal", ratio <= target)
        cpu = spread(shape["cpu_ms_per_post"])
        add(f"{label}: blogen CPU per post", "ms", cpu, None, "", "", None)
        add(f"{label}: fake server CPU per run", "s", spread(shape["fake_cpu_s_per_run"]), None, "", "", None)
        if "xargs_wall_s" in shape:
            base = spread(shape["xargs_wall_s"])
            add(f"{label}: `xargs -P` + `curl`", "s", base, base["median"] / ideal, f"ideal {ideal:.2f} s", "", None)
            ratio = wall["median"] / base["median"]
            add(f"{label}: blogen / `xargs` + `curl`", "x", {"median": ratio, "min": ratio, "max": ratio}, ratio,
                "xargs median", "<= 0.6", ratio <= 0.6)

    batch("batch_1000_l100_c50", "1 000 posts, latency 100 ms, concurrency 50", 1.05)
    batch("batch_10000_l20_c64", "10 000 posts, latency 20 ms, concurrency 64", 1.10)
    batch("pg_batch_1000_l100_c50", "PostgreSQL store: 1 000 posts, latency 100 ms, concurrency 50", 1.05)
    if "batch_10000_l20_c64" in data:
        rss = spread(data["batch_10000_l20_c64"]["peak_rss_mb"])
        add("peak RSS, 10 000-post batch", "MB", rss, None, "", "<= 64", rss["median"] <= 64)

    scale = {}
    for count in (100, 1000, 10000):
        shape = data.get(f"scale_{count}_l0_c8")
        if not shape:
            continue
        rate = spread([count / wall for wall in shape["wall_s"]])
        scale[count] = rate["median"]
        durable = count == 1000
        add(f"durable posts/s, N = {count}, latency 0, concurrency 8", "posts/s", rate, None, "",
            ">= 1500" if durable else "", rate["median"] >= 1500 if durable else None)
        add(f"store bytes per post, N = {count}", "B", spread(shape["store_bytes_per_post"]), None, "", "", None)
    if 1000 in scale and 10000 in scale:
        slope = scale[10000] / scale[1000]
        add("scaling: posts/s at N = 10 000 / at N = 1 000", "x", {"median": slope, "min": slope, "max": slope}, slope,
            "1.0 = linear total time", ">= 0.8 (flat)", slope >= 0.8)

    def pair(key, label, target):
        shape = data.get(key)
        if not shape:
            return
        ours = spread(shape["blogen_s"], 1000)
        floor = spread(shape["floor_s"], 1000)
        ratio = ours["median"] / floor["median"]
        floor_name = "`curl --version`" if key == "version" else "`sqlite3`"
        add(label, "ms", ours, ratio, f"{floor_name} {floor['median']:.1f} ms",
            f"<= {target} x" if target else "", ratio <= target if target else None)

    pair("blog_list", "`blog list --limit 20`, 100 000 posts", 1.3)
    pair("blog_search", "`blog search \"two words\"`, 100 000 posts", 1.2)
    pair("blog_show", "`blog show ID`, 100 000 posts", 1.3)
    pair("job_list", "`job list`, 100 000 jobs", 1.3)
    pair("empty_process", "a process that only loads blogen's libraries (the floor under `blog show`)", None)
    pair("version", "`blogen --version`", None)
    if "blog_list" in data and "peak_rss_mb" in data["blog_list"]:
        rss = spread(data["blog_list"]["peak_rss_mb"])
        add("peak RSS, `blog list` on 100 000 posts", "MB", rss, None, "", "<= 20", rss["median"] <= 20)
    return out


def number(value):
    if value is None:
        return ""
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def markdown(table, data, machine, version, runs):
    lines = [f"Machine: {machine}. {version}, Release build; {runs} runs per figure (reads: {4 * runs} runs of "
             "each command, alternated with its floor by bench/alternate.py).", "",
             "| figure | median | min-max | ratio | target | pass |", "|---|---|---|---|---|---|"]
    for row in table:
        ratio = f"{number(row['ratio'])} ({row['ratio_of']})" if row["ratio"] is not None else ""
        verdict = "" if row["pass"] is None else ("pass" if row["pass"] else "**fail**")
        lines.append(f"| {row['figure']} | {number(row['median'])} {row['unit']} | "
                     f"{number(row['min'])}-{number(row['max'])} | {ratio} | {row['target']} | {verdict} |")
    extra = []
    if "store_100k" in data:
        store = data["store_100k"]
        extra.append(f"The 100 000-post store: {store['store_mb'][0]:.0f} MB, generated in "
                     f"{store['generate_s'][0]:.0f} s.")
    if "bench" in data:
        extra.append(f"The whole bench took {data['bench']['total_s'][0]:.0f} s.")
    if extra:
        lines += ["", " ".join(extra)]
    return "\n".join(lines)


def main():
    path, form, machine, version, runs = sys.argv[1:6]
    data = load(path)
    table = rows(data)
    if form == "json":
        print(json.dumps({"machine": machine, "version": version, "runs": int(runs), "figures": table,
                          "samples": data}, indent=2))
    else:
        print(markdown(table, data, machine, version, int(runs)))


if __name__ == "__main__":
    main()
