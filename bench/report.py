"""The report of `make bench` (bench/run.py): a run's results as JSON in bench/results/
and its scale's tables in docs/performance.md."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from bench.server import ROOT


def save(results: dict, suffix: str) -> Path:
    """Write `results` to bench/results/<date>-<scale><suffix>."""
    out = ROOT / "bench" / "results" / f"{results['date']}-{results['scale']}{suffix}"
    out.write_text(json.dumps(results, indent=2) + "\n")
    return out


def publish(results: dict) -> None:
    if results.get("invalid"):
        sys.exit("an invalid run is not published: " + "; ".join(results["invalid"]))
    out = save(results, ".json")
    write_table(results)
    print(f"wrote {out.relative_to(ROOT)} and docs/performance.md")


def host_line(results: dict) -> str:
    host = results.get("host")
    if not host:
        return ""
    return (
        f" The host over the run: load average {host['load_average_start']} at the start and "
        f"{host['load_average_end']} at the end on {results['cpu_count']} cores, "
        f"{host['idle_percent']}% idle, {host['steal_percent']}% stolen by the hypervisor."
    )


def write_table(results: dict) -> None:
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text() if doc.exists() else "# Performance\n"
    t = results["traffic"]
    rows = [
        f"<!-- {results['scale']} -->",
        f"### Scale: {results['scale']} ({results['clients']:,} clients), {results['date']}, "
        f"commit {results['commit']}",
        "",
        f"Realistic traffic: {t['workers']:,} workers, each logged in with a session of their "
        f"own, asking for {t['distinct_clients']:,} distinct clients (a median of "
        f"{t['clients_per_worker_median']} each) and writing to {t['open_cases_written_to']:,} "
        f"open cases; {results['load']} for {results['seconds']} s per page, gunicorn with "
        f"{results['gunicorn_workers']} workers on {results['cpu_count']} cores; peak worker "
        f"memory {results['worker_peak_rss_kib'] / 1024:.0f} MiB. *One URL* is the secondary, "
        "hot line: one worker, one client, the same URL on every request. Queries and Python "
        "calls: one request in-process, cache warm (the one-URL case); *first visit*: one "
        "request to another client's page, not yet cached in the process." + host_line(results),
        "",
        "| page | req/s | p50 ms | p95 ms | p99 ms | one URL req/s | floor req/s "
        "| ratio to floor | audited floor req/s | ratio to audited floor | queries "
        "| Python calls | first visit: queries | calls |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, page in results["pages"].items():
        calls = f"{page['calls']:,}" if "calls" in page else "—"
        rows.append(
            f"| {name} | {page['rps']:.0f} | {page['p50_ms']:.1f} | {page['p95_ms']:.1f} | "
            f"{page['p99_ms']:.1f} | {page['hot']['rps']:.0f} | {page['floor_rps']:.0f} | "
            f"{page['ratio_to_floor']:.2f} | {page['audited_floor_rps']:.0f} | "
            f"{page['ratio_to_audited_floor']:.2f} | {page.get('queries') or '—'} | {calls} | "
            f"{page.get('cold_queries') or '—'} | "
            + (f"{page['cold_calls']:,}" if "cold_calls" in page else "—")
            + " |"
        )
    mixed = results.get("mixed")
    if mixed:
        weights = ", ".join(f"{k} {v}" for k, v in mixed["weights"].items())
        m = mixed["median"]
        rows += [
            "",
            f"Mixed workload: every worker's requests, each picking a kind by weight "
            f"({weights}; percent), at {mixed['connections']} connections, "
            f"{len(mixed['rounds'])} rounds of {mixed['seconds']} s; the median round by "
            f"throughput. **{m['rps']:.0f} req/s, p95 {m['p95_ms']:.0f} ms: about "
            f"{mixed['workers_served']:,} social workers served by one 2-core server**, at "
            f"{mixed['peak_requests_per_worker_minute']} requests per worker per minute at the "
            "busiest hour.",
            "",
            "| round | req/s | p50 ms | p95 ms | p99 ms | requests |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for n, r in enumerate(mixed["rounds"], 1):
            rows.append(
                f"| {n} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | "
                f"{r['p99_ms']:.1f} | {r['requests']:,} |"
            )
    if results.get("peer"):
        peer = results["peer"]
        rows += [
            "",
            f"Peer: django-helpdesk 2.6.1, {peer['tickets']:,} tickets with "
            f"{peer['followups']:,} follow-ups, same server set-up; {peer['users']} users "
            f"(one for each worker) in {peer['queues']} queues, asking for "
            f"{peer['distinct_tickets']:,} distinct tickets and following up "
            f"{peer['tickets_followed_up']:,}. Each pair in {peer['rounds']} rounds, Tillit then "
            f"the peer, realistic ({peer['round_seconds']} s) then one URL "
            f"({peer['hot_round_seconds']} s); medians. The ceiling is the audited floor over "
            "the peer: the ratio if Tillit's page cost only the session and its audit row.",
            "",
            "| pair | Tillit req/s | peer req/s | Tillit / peer | rounds | p95 ms Tillit / peer "
            "| one URL: Tillit / peer | ceiling |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for pair, done in peer["pairs"].items():
            r, h = done["realistic"], done["hot"]
            rows.append(
                f"| {pair} | {r['tillit_rps']:.0f} | {r['peer_rps']:.1f} | "
                f"**{r['ratio']:.2f}** | {r['ratio_min']:.2f} to {r['ratio_max']:.2f} | "
                f"{r['p95_ms']['tillit']:.0f} / {r['p95_ms']['peer']:.0f} | "
                f"{h['ratio']:.2f} | {done['ceiling']:.2f} |"
            )
    rows.append(f"<!-- /{results['scale']} -->")
    block = "\n".join(rows)
    pattern = re.compile(rf"<!-- {results['scale']} -->.*?<!-- /{results['scale']} -->", re.DOTALL)
    text = pattern.sub(block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block
    doc.write_text(text + ("\n" if not text.endswith("\n") else ""))
