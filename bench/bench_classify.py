"""Classification cost per request over 100k mixed URLs.

    python bench/bench_classify.py [--count N] [--seed S]

Half the URLs go to AI services (every catalog host, with per-tenant names invented for
wildcards and globs, and the services' own paths), half to popular non-AI sites, some with
random subdomains so the host cache also sees misses. Prints median and p99 in microseconds and
requests per second, for `Classifier.classify(host, path)` (what the proxy calls with the host
already normalised) and for `classify_target(url)` (parse + normalise + classify, as the CLI does).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from aigate.catalog import default_catalog
from aigate.classify import Classifier, split_target

NON_AI = Path(__file__).parents[1] / "tests" / "data" / "non_ai_hosts.txt"
PATHS = ("/", "/index.html", "/api/v1/items?id=7", "/search?q=report", "/static/app.js")


def build_urls(count: int, rng: random.Random) -> list[str]:
    ai: list[str] = []
    for service in default_catalog().services.values():
        paths = [f"{p.rstrip('/')}/conversation" for p in service.paths] or ["/v1/chat", "/"]
        for pattern in service.hosts:
            for tenant in range(3):
                host = pattern.replace("*", f"tenant{tenant}")
                ai += [f"https://{host}{path}" for path in paths]
    lines = NON_AI.read_text(encoding="utf-8").splitlines()
    plain = [line for line in lines if line and not line.startswith("#")]
    urls = []
    for i in range(count):
        if i % 2:
            urls.append(rng.choice(ai))
        else:
            host = rng.choice(plain)
            if rng.random() < 0.05:  # unseen subdomains: host-cache misses
                host = f"n{rng.randrange(10**6)}.{host}"
            urls.append(f"https://{host}{rng.choice(PATHS)}")
    rng.shuffle(urls)
    return urls


def measure(name: str, calls: list[Callable[[], object]]) -> None:
    timings = []
    clock = time.perf_counter_ns
    start = clock()
    for call in calls:
        t0 = clock()
        call()
        timings.append(clock() - t0)
    total = (clock() - start) / 1e9
    timings.sort()
    median = statistics.median(timings) / 1000
    p99 = timings[int(len(timings) * 0.99)] / 1000
    print(
        f"{name:<34} median {median:6.2f} us   p99 {p99:7.2f} us   "
        f"max {timings[-1] / 1000:8.1f} us   {len(calls) / total:>10,.0f} requests/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    t0 = time.perf_counter()
    catalog = default_catalog()
    loaded = time.perf_counter()
    classifier = Classifier(catalog)
    built = time.perf_counter()
    urls = build_urls(args.count, random.Random(args.seed))
    targets = [split_target(url) for url in urls]
    ai_share = sum(classifier.classify(h, p) is not None for h, p in targets) / len(targets)
    print(
        f"{len(catalog)} services loaded in {(loaded - t0) * 1000:.0f} ms, indexed in "
        f"{(built - loaded) * 1000:.0f} ms; "
        f"{len(urls):,} URLs, {ai_share:.0%} AI, {len({h for h, _ in targets}):,} distinct hosts"
    )

    fresh = Classifier(catalog)  # empty host cache: the first sight of each host pays
    by_host = [lambda h=h, p=p: fresh.classify(h, p) for h, p in targets]
    measure("classify(host, path), cold cache", by_host)
    measure("classify(host, path), warm cache", by_host)
    by_url = [lambda u=u: fresh.classify_target(u) for u in urls]
    measure("classify_target(url), warm cache", by_url)


if __name__ == "__main__":
    main()
