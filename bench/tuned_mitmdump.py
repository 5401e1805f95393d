"""`PYTHONOPTIMIZE=1 mitmdump -s bench/tuned_mitmdump.py`: bare mitmdump with what `aigate run`
does to mitmproxy itself (aigate's event dispatch, Python's -O) and no aigate hooks: the baseline
that shows what aigate's own hooks cost (bench_proxy.py)."""

from aigate.proxy.dispatch import FastDispatch

addons = [FastDispatch()]
