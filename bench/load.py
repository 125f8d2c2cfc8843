"""Load benchmark: 50 concurrent clients x 20 questions against `coding-assistant serve`, once
over the embedded index and once in server mode, against a `chroma run` this script starts.

- Embedded: `serve` over a copy of a built index folder (--index, default ./index).
- Server mode: the same corpus ingested into the Chroma server by one node (`coding-assistant
  ingest` with the server settings, its vectors from the vector cache --cache), then `serve`
  on a second node whose index folder starts empty: it downloads the published snapshot.
  The server's data is kept in --work, so a second run skips the ingest.

Each `serve` first answers every question once (warm), then the 50 x 20 load runs (the client
code is bench/perf.py's). Writes bench/results/load.md with the date, the core count, the load
average, errors, answers/s, p50/p99, the server's peak RSS and which index.
Run: make bench-load (the first run's ingest takes 6-10 minutes on two cores).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from perf import (BIN, CLI, CLIENTS, PER_CLIENT, ROOT, Server, ask, clean_env,  # noqa: E402
                  concurrent_load, load, questions, timed)

RESULTS = ROOT / "bench" / "results" / "load.md"
COLLECTION = "coding_assistant_load"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ChromaServer:
    """`chroma run` on a free loopback port over a data folder."""

    def __init__(self, data: Path) -> None:
        self.port = free_port()
        self.log = open(data.parent / "chroma.log", "ab")
        self.process = subprocess.Popen(
            [str(BIN / "chroma"), "run", "--path", str(data), "--host", "127.0.0.1",
             "--port", str(self.port)], stdout=self.log, stderr=subprocess.STDOUT)

    def __enter__(self) -> ChromaServer:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/heartbeat",
                                       timeout=1).close()
                return self
            except OSError:
                time.sleep(0.3)
        raise SystemExit("chroma run did not start")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()

    def settings(self) -> dict[str, str]:
        return {"chroma_host": "127.0.0.1", "chroma_port": str(self.port),
                "collection": COLLECTION}


def peak_rss(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(x for x in status.splitlines() if x.startswith("VmHWM:")).split()[1]) * 1024


def published(chroma: ChromaServer) -> dict | None:
    """The server's published snapshot record (None: nothing ingested yet)."""
    code = ("import json; from assistant.config import Settings; "
            "from assistant.index.server_state import published; "
            "p = published(Settings()); print(json.dumps(p.__dict__ if p else None))")
    env = clean_env(**chroma.settings())
    output = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout
    return json.loads(output)


def measure(index: Path, cache: Path, **settings: str) -> dict:
    import httpx

    asked = questions()
    started = time.perf_counter()
    with Server(index, cache, port=free_port(), **settings) as server, httpx.Client() as client:
        ask(client, server.base, asked[0])
        # the first answer: in server mode it waits for the snapshot's download and unpacking
        first = time.perf_counter() - started
        for question in asked:  # warm: every code path run once
            ask(client, server.base, question)
        result = concurrent_load(server.base, asked)
        result["rss"] = server.peak_rss()
        result["first"] = first
    result["questions"] = len(asked)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=ROOT / "index",
                        help="a built embedded index (read only: it is copied)")
    parser.add_argument("--cache", type=Path, default=ROOT / "cache",
                        help="a vector cache and exported query model (read only: copied)")
    parser.add_argument("--work", type=Path, default=None,
                        help="where the copies and the Chroma server's data live (default: "
                             "a temporary folder)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-load-"))
    work.mkdir(parents=True, exist_ok=True)
    cache = work / "cache"
    if not cache.exists():
        shutil.copytree(args.cache, cache)
    embedded = work / "embedded-index"
    if not embedded.exists():
        shutil.copytree(args.index, embedded, ignore=shutil.ignore_patterns(".ingest.lock"))
    results: dict = {"date": date.today().isoformat(), "cores": os.cpu_count()}

    print(f"embedded: serve over {embedded} ({load()})", flush=True)
    results["embedded"] = measure(embedded, cache)
    print(json.dumps(results["embedded"]), flush=True)

    (work / "chroma-data").mkdir(exist_ok=True)
    with ChromaServer(work / "chroma-data") as chroma:
        if published(chroma) is None:
            print(f"server mode: ingesting the default corpus into the server ({load()})",
                  flush=True)
            wall, rss = timed(CLI + ["ingest"], clean_env(
                index_dir=str(work / "writer-node"), cache_dir=str(cache), **chroma.settings()),
                quiet=False)
            results["ingest"] = {"wall": wall, "rss": rss}
        results["snapshot"] = published(chroma)
        reader = work / "reader-node"
        shutil.rmtree(reader, ignore_errors=True)   # a second node: its folder starts empty
        print(f"server mode: serve on a node with an empty folder ({load()})", flush=True)
        results["server"] = measure(reader, cache, **chroma.settings())
        results["server"]["chroma_rss"] = peak_rss(chroma.process.pid)
        print(json.dumps(results["server"]), flush=True)
    RESULTS.write_text(report(results, args.index))
    print(f"wrote {RESULTS}")


def report(r: dict, index: Path) -> str:
    snapshot = r["snapshot"] or {}
    lines = [
        "# Load: 50 concurrent clients against `serve`, embedded and in server mode",
        "",
        f"Measured {r['date']} by `make bench-load` (bench/load.py) on {r['cores']} cores, "
        "shared with other work (the load average is beside each row). Each `serve` first "
        "answered every question of the question sets once, then "
        f"{CLIENTS} clients asked {PER_CLIENT} questions each over HTTP, all at once.",
        "",
        "| mode | index | errors | answers | answers/s | p50 | p99 | peak RSS | "
        "first answer after start | load before, after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for mode, where in (("embedded", f"a copy of `{index}` (the full default index: "
                                     "sample page + all of ICD-10-CM, minilm)"),
                        ("server", "the same corpus ingested into `chroma run` by a writer "
                                   "node; `serve` on a second node whose index folder started "
                                   f"empty (snapshot {snapshot.get('snapshot', '?')}, "
                                   f"{snapshot.get('size', 0) / 2**20:.0f} MB in "
                                   f"{snapshot.get('parts', '?')} parts)")):
        m = r[mode]
        rss = f"serve {m['rss'] / 2**30:.2f} GB"
        if "chroma_rss" in m:
            rss += f", chroma run {m['chroma_rss'] / 2**30:.2f} GB"
        lines.append(
            f"| {mode} | {where} | {m['errors']} | {m['answers']} | {m['rate']:.1f} | "
            f"{m['p50']:.2f} s | {m['p99']:.2f} s | {rss} | {m['first']:.0f} s | "
            f"{m['load']} |")
    lines += ["", "p50/p99 are of the 1,000 answers under load (each client waits its turn "
              "behind the others: on two cores a single client's answer takes tens of ms, see "
              "perf.md). In server mode `serve` holds no vectors (the Chroma server does), "
              "and its first answer includes downloading and unpacking the snapshot."]
    if "ingest" in r:
        lines += ["", f"The server-mode ingest (writer node, vectors from the vector cache) "
                      f"took {r['ingest']['wall'] / 60:.1f} min, peak RSS "
                      f"{r['ingest']['rss'] / 2**30:.2f} GB."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
