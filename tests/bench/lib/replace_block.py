#!/usr/bin/env python3
"""Puts a marked block into a report: replace_block.py REPORT BLOCK NAME.

BLOCK (a file) starts with '<!-- NAME:begin' and ends with '<!-- NAME:end -->'.
It replaces the block of the same NAME in REPORT, or is appended to REPORT
(created when missing). The scale and the clustered-detection benches write
their tables this way, apart from run.sh's numbered sections.
"""
import re
import sys


def main(report_path, block_path, name):
    block = open(block_path, encoding="utf-8").read()
    try:
        text = open(report_path, encoding="utf-8").read()
    except FileNotFoundError:
        text = ""
    pattern = re.compile(r"<!-- %s:begin.*?<!-- %s:end -->\n?" % (name, name), re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    open(report_path, "w", encoding="utf-8").write(text)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: replace_block.py REPORT BLOCK NAME")
    main(*sys.argv[1:])
