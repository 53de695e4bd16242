"""`make bench`: every benchmark in one run, a table on the console, bench/results.json.

Benchmarks never decide whether the tests pass; they report figures measured side by side
in one run, so ratios between them mean something on a noisy machine.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
BENCHMARKS = [
    ("allocation", ["bench_allocation.py", "--json"]),
    ("workshops", ["bench_workshops.py", "--json"]),
    ("admissions_run", ["bench_admissions_run.py", "--applicants", "10000", "--json"]),
    ("functions", ["bench_functions.py", "--samples", "15", "--submissions", "500", "--json"]),
    ("mail", ["bench_mail.py", "--messages", "10000", "--json"]),
]


def _last_json(stdout: str) -> Any:
    """The benchmark's JSON document: the last one printed (functions may log to stdout)."""
    start = stdout.rfind("\n{\n")
    return json.loads(stdout[start + 1 :] if start >= 0 else stdout)


def table(results: dict[str, Any]) -> str:
    """The headline figures, one line each, next to their targets."""
    rows: list[tuple[str, str, str]] = []
    functions = results.get("functions", {})
    cold = functions.get("cold_start", {})
    for name in ("ApiFunction", "AdmissionsFunction", "MailerFunction", "ReceiptsFunction"):
        if name in cold:
            c = cold[name]
            target = "" if name == "ApiFunction" else "<= 1.5x"
            rows.append(
                (
                    f"cold start {name}",
                    f"{c['in_process_s']:.3f} s = {c['ratio_to_reference']}x reference ({cold['reference']['in_process_s']:.3f} s); process {c['process_ratio_to_reference']}x",
                    target,
                )
            )
    if "floor" in cold and "ratio_to_floor" in cold.get("ApiFunction", {}):
        f, api = cold["floor"], cold["ApiFunction"]
        low, high = api.get("ratio_to_floor_range", ["?", "?"])
        rows.append(
            (
                "  floor: the stack's least api",
                f"{f['in_process_s']:.3f} s = {f['ratio_to_reference']}x reference; "
                f"the api = {api['ratio_to_floor']}x the floor (rounds {low}-{high}x; process {api['process_ratio_to_floor']}x)",
                "api <= 1.0x",
            )
        )
    if "floor_mailer" in cold and "ratio_to_floor" in cold.get("MailerFunction", {}):
        f, mailer = cold["floor_mailer"], cold["MailerFunction"]
        low, high = mailer["ratio_to_floor_range"]
        rows.append(
            (
                "  floor: the stack's least mailer",
                f"{f['in_process_s']:.3f} s = {f['ratio_to_reference']}x reference; "
                f"the mailer = {mailer['ratio_to_floor']}x its floor (rounds {low}-{high}x)",
                "reported",
            )
        )
    if "ApiFunctionFormPage" in cold:
        form = cold["ApiFunctionFormPage"]
        low, high = form["ratio_to_floor_range"]
        rows.append(
            (
                "  the form page (GET /) cold",
                f"{form['in_process_s']:.3f} s = {form['ratio_to_floor']}x the floor's cold submission (rounds {low}-{high}x)",
                "<= 1.2x",
            )
        )
    if "ApiFunction" in cold:
        top = ", ".join(
            f"{t['module']} {t['cumulative_ms']} ms"
            for t in cold["ApiFunction"].get("top_imports", [])[:5]
        )
        rows.append(("api imports (top)", top, ""))
        if "without_bytecode_s" in cold["ApiFunction"]:
            c = cold["ApiFunction"]
            rows.append(
                (
                    "  api with no .pyc to use",
                    f"{c['without_bytecode_s']:.3f} s = {c['without_bytecode_ratio']}x the compiled start (what the layer cost before make build compiled it)",
                    "",
                )
            )
    warm = functions.get("warm_submission")
    if warm:
        rows.append(
            (
                "warm submission",
                f"{warm['api_ms_per_submission']} ms = {warm['ratio_to_reference']}x reference put ({warm['reference_ms_per_put']} ms); "
                f"without moto's own time {warm['api_own_ms_per_submission']} ms = {warm['own_ratio_to_reference']}x ({warm['reference_own_ms_per_put']} ms)",
                "",
            )
        )
        if "floor_ms_per_submission" in warm:
            rows.append(
                (
                    "  floor: the stack's least api",
                    f"{warm['floor_ms_per_submission']} ms = {warm['floor_ratio_to_reference']}x reference; "
                    f"the api = {warm['ratio_to_floor']}x the floor (own {warm['own_ratio_to_floor']}x)",
                    "api <= 1.1x",
                )
            )
        if "same_item_put_ms" in warm:
            rows.append(
                (
                    "  vs the same item put raw",
                    f"that put alone {warm['same_item_put_ms']} ms = {warm['same_item_put_ratio_to_reference']}x reference; "
                    f"the api = {warm['ratio_to_same_item_put']}x it (own {warm['own_ratio_to_same_item_put']}x)",
                    "",
                )
            )
        rows.append(
            (
                "DynamoDB requests/submission",
                f"{warm['dynamodb_requests_per_submission']} ({warm['requests_per_submission']})",
                "1 write + queued mail",
            )
        )
        receipts = warm.get("receipts_after_the_request")
        if receipts:
            rows.append(
                (
                    "receipts (from the stream)",
                    f"{receipts['ms_per_record']} ms per new item, after the answer; requests per item {receipts['requests_per_record']}",
                    "",
                )
            )
    mail = results.get("mail")
    if mail:
        rows.append(
            (
                "mail rate",
                f"{mail['achieved_rate_per_s']}/s of {mail['configured_rate_per_s']}/s = {mail['achieved_share_of_configured']}",
                ">= 0.9",
            )
        )
        rows.append(("SES calls/message", str(mail["ses_calls_per_message"]), "exactly 1"))
    for size in results.get("allocation", {}).get("allocation", []):
        rows.append(
            (
                f"allocation {size['applicants']:,}",
                f"{size['seconds']} s, {size['peak_mib']} MiB peak; first choice "
                f"{size['first_choice_optimum']:.1%} vs {size['first_choice_greedy']:.1%} greedy first-come",
                "",
            )
        )
    workshops = results.get("workshops", {})
    for row in workshops.get("instances", []):
        rows.append(
            (
                f"workshops {row['people']:,} x {row['workshops']} ({row['rankings']})",
                f"{row['seconds']} s vs OR-tools {row['reference_solve_s']} s solve "
                f"(+ {row['reference_build_s']} s model) = {row['ratio_to_reference_solve']}x "
                f"its solve; rank sums equal: {row['objective_equal']}",
                "<= 5 s, <= 1x" if row["workshops"] == 12 and row["rankings"] == "full" else "",
            )
        )
    run = results.get("admissions_run", {})
    latency = run.get("latency_injected")
    if latency:
        rows.append(
            (
                f"admissions {latency['applicants']:,}, +{latency['latency_ms_per_dynamodb_request']} ms per DynamoDB request",
                f"one decision per request, one at a time {latency['sequential_s']} s; "
                f"{latency['decisions_per_write']} per transaction, {latency['writes_in_flight']} in flight {latency['concurrent_s']} s = {latency['speedup']}x faster",
                ">= 8x",
            )
        )
        for label, way in latency.get("ways", {}).items():
            if label not in ("sequential", "concurrent"):
                rows.append(
                    (
                        f"  {label.replace('_', ' ')}",
                        f"{way['decisions_per_write']} per request, {way['writes_in_flight']} in flight: {way['seconds']} s = {way['speedup']}x",
                        "",
                    )
                )
        cpu = latency.get("cpu_ms_per_application", {}).get("concurrent")
        if cpu and "moto" in cpu:
            rows.append(
                (
                    "  CPU per application, in flight",
                    f"the function {cpu['function']} ms, moto (its own process) {cpu['moto']} ms",
                    "",
                )
            )
    for label in ("deadline_run", "rerun_nothing_changed"):
        if label in run:
            r = run[label]
            rows.append(
                (
                    f"admissions {label}",
                    f"{r['seconds']} s, {r['dynamodb_requests_per_application']} DynamoDB req/app, writes {r['dynamodb_writes']}, emails {r['emails_queued']}",
                    "rerun: 0 writes, 0 emails" if label != "deadline_run" else "",
                )
            )
    width = max((len(r[0]) for r in rows), default=10)
    return "\n".join(
        f"{a:<{width}}  {b}  {('[target ' + c + ']') if c else ''}" for a, b, c in rows
    )


def main() -> dict[str, Any]:
    results: dict[str, Any] = {}
    timings: dict[str, float] = {}
    for name, argv in BENCHMARKS:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, str(HERE / argv[0]), *argv[1:]],
            capture_output=True,
            text=True,
            check=True,
        )
        results[name] = _last_json(completed.stdout)
        timings[name] = round(time.perf_counter() - started, 1)
        print(json.dumps(results[name], indent=1)[:4000], flush=True)
    results["seconds"] = dict(timings)
    print(table(results))
    (HERE / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"written {HERE / 'results.json'}")
    return results


if __name__ == "__main__":
    main()
