"""classify + decide cost per request over 100k mixed URLs with the shipped default policy.

Usage: .venv/bin/python bench/bench_decide.py [--requests N] [--seed S]
Prints the median and p99 in microseconds (goal: median <= 20 us, p99 <= 100 us).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from aigate.decide import RequestFacts, decide
from aigate.policy import DEFAULT_POLICY, load_policy

NON_AI_HOSTS = [
    "www.google.com", "mail.google.com", "docs.google.com", "github.com", "api.github.com",
    "www.microsoft.com", "login.microsoftonline.com", "outlook.office.com", "aws.amazon.com",
    "s3.amazonaws.com", "www.cloudflare.com", "slack.com", "app.slack.com", "zoom.us",
    "www.salesforce.com", "www.nytimes.com", "www.bbc.co.uk", "en.wikipedia.org",
    "stackoverflow.com", "pypi.org", "registry.npmjs.org", "www.x.com", "x.com", "www.bing.com",
]
PATHS = ["/", "/api/v1/items", "/search", "/chat", "/copilot", "/backend-anon/conversation",
         "/backend-api/conversation", "/v1/chat/completions", "/i/grok", "/static/app.js"]
USERS = [None, "alice", "bob", "carol", "mallory"]
IPS = [None, "10.20.1.5", "192.168.1.10", "10.99.0.3"]


def ai_hosts(policy) -> list[str]:
    hosts = []
    for service in policy.catalog.services.values():
        for pattern in service.hosts:
            hosts.append(pattern.replace("*", "eu-west-1") if "*" in pattern else pattern)
        hosts.extend(f"www.{domain}" for domain in service.domains)
    return sorted(set(hosts))


def requests(policy, count: int, rng: random.Random) -> list[RequestFacts]:
    ai = ai_hosts(policy)
    out = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.45:
            host = rng.choice(ai)
        elif roll < 0.95:
            host = rng.choice(NON_AI_HOSTS)
        else:  # long tail of never-seen hosts (cache misses)
            host = f"h{rng.randrange(10**9)}.example{rng.randrange(50)}.com"
        user, ip = rng.choice(USERS), rng.choice(IPS)
        out.append(
            RequestFacts(
                host=host,
                path=rng.choice(PATHS),
                user=user,
                groups=policy.groups_for(user, ip),
                client_ip=ip,
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    policy = load_policy(DEFAULT_POLICY)
    batch = requests(policy, args.requests, random.Random(args.seed))
    clock = time.perf_counter_ns
    costs = []
    actions: dict[str, int] = {}
    for facts in batch:
        start = clock()
        decision = decide(policy, facts)
        costs.append(clock() - start)
        actions[decision.action] = actions.get(decision.action, 0) + 1
    costs.sort()
    median = statistics.median(costs) / 1000
    p99 = costs[int(len(costs) * 0.99)] / 1000
    print(f"classify+decide over {len(costs)} requests ({len(policy.catalog)} services): "
          f"median {median:.1f} us, p99 {p99:.1f} us")
    print("actions: " + ", ".join(f"{k} {v}" for k, v in sorted(actions.items())))


if __name__ == "__main__":
    main()
