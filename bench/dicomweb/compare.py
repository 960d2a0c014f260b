#!/usr/bin/env python3
"""Joins the kit's TSVs of Renkei and Orthanc (bench/dicomweb/run.sh) into one table."""
import sys

COLS = "name conc requests req_s p50_ms p99_ms mb_s items_s errors bytes seconds read_eof srv_cpu_pct".split()
# The figure each row is judged by, and its goal as a multiple of Orthanc (architecture §8).
METRIC = {"stow": ("items_s", "instances/s", 2.0), "qido": ("req_s", "q/s", 10.0),
          "wado_instance": ("mb_s", "MB/s", 1.3), "wado_frame": ("mb_s", "MB/s", 1.3),
          "wado_series": ("mb_s", "MB/s", 1.3), "wado_study_metadata": ("req_s", "q/s", 10.0),
          "wado_series_metadata": ("req_s", "q/s", 10.0)}


def load(path):
    rows, mem = {}, {}
    try:
        lines = open(path).read().splitlines()
    except OSError:
        return rows, mem
    for line in lines[1:]:
        f = line.split("\t")
        if f[0] == "mem":
            mem[f[1]] = (int(f[2]), int(f[3]))
        elif f[0] != "verify" and len(f) >= 12:
            rows[(f[0], f[1])] = dict(zip(COLS, f))
    return rows, mem


def metric(name):
    # The longest prefix wins: wado_series_metadata is a metadata row, not a series retrieve.
    best = max((p for p in METRIC if name == p or name.startswith(p + "_")), key=len, default=None)
    return METRIC[best] if best else ("req_s", "q/s", 1.0)


def main(out):
    ours, our_mem = load(f"{out}/renkei.tsv")
    theirs, their_mem = load(f"{out}/orthanc.tsv")
    try:
        f = open(f"{out}/nginx.tsv").read().split("\t")
        nginx_mb = float(f[6])
    except (OSError, IndexError, ValueError):
        nginx_mb = None
    print("| measurement | conc | Renkei | p99 ms | Orthanc | p99 ms | Renkei / Orthanc | goal |")
    print("|---|---|---|---|---|---|---|---|")
    for key, r in ours.items():
        col, unit, goal = metric(key[0])
        o = theirs.get(key)
        mine = float(r[col])
        ratio = f"{mine / float(o[col]):.1f}×" if o and float(o[col]) > 0 else "—"
        other = f"{float(o[col]):,.1f} {unit}" if o else "—"
        errs = f" ({r['errors']} errors)" if r["errors"] != "0" else ""
        print(f"| {key[0]} | {key[1]} | {mine:,.1f} {unit}{errs} | {r['p99_ms']} | {other} | "
              f"{o['p99_ms'] if o else '—'} | {ratio} | ≥ {goal}× |")
    if our_mem or their_mem:
        peak = lambda m: max((v[1] for v in m.values()), default=0) // 1024
        print(f"| peak RSS | | {peak(our_mem)} MB | | {peak(their_mem)} MB | | | |")
    w = ours.get(("wado_instance", "8"))
    if nginx_mb and w:
        print(f"\nWADO-RS instance at 8 connections: {float(w['mb_s']):,.1f} MB/s; nginx serving the "
              f"same files: {nginx_mb:,.1f} MB/s ({100 * float(w['mb_s']) / nginx_mb:.0f} % of the "
              "ceiling; goal ≥ 80 %).")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "var/bench-dicomweb")
