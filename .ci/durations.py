"""Where a test run's time went, from its JUnit XML (``pytest --junitxml=run.xml``):
seconds per directory, and the slowest tests (docs/testing.md).

    python .ci/durations.py run.xml [--top 10]

A test's time in the XML is its setup, call and teardown together. With xdist the figures
are worker-seconds: their sum is about twice the wall-clock time of a 2-worker run.
"""

from __future__ import annotations

import argparse
import collections
import xml.etree.ElementTree as ET


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("xml")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    cases = []
    for case in ET.parse(args.xml).iter("testcase"):
        module = case.get("classname", "")
        path = module.replace(".", "/")
        outcome = "failed" if case.find("failure") is not None or case.find("error") is not None else (
            "skipped" if case.find("skipped") is not None else "passed")
        cases.append((float(case.get("time", 0)), path, case.get("name", ""), outcome))
    by_dir: dict[str, list[float]] = collections.defaultdict(list)
    for seconds, path, _, _ in cases:
        parts = path.split("/")
        by_dir["/".join(parts[:2]) if len(parts) > 2 else "tests (top level)"].append(seconds)
    total = sum(c[0] for c in cases)
    outcomes = collections.Counter(c[3] for c in cases)
    print(f"{len(cases)} tests ({', '.join(f'{n} {k}' for k, n in sorted(outcomes.items()))}), "
          f"{total:.0f} test-seconds in all\n")
    print("| directory | tests | seconds | share |\n|---|---:|---:|---:|")
    for directory, times in sorted(by_dir.items(), key=lambda kv: -sum(kv[1])):
        print(f"| {directory} | {len(times)} | {sum(times):.0f} | {100 * sum(times) / total:.0f} % |")
    print(f"\n| the {args.top} slowest | seconds |\n|---|---:|")
    for seconds, path, name, _ in sorted(cases, reverse=True)[: args.top]:
        print(f"| {path.removeprefix('tests/')}.py::{name} | {seconds:.1f} |")


if __name__ == "__main__":
    main()
