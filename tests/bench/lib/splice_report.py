#!/usr/bin/env python3
"""Puts one section measured alone (run.sh --only) into an existing report.

    splice_report.py REPORT SECTION_MD TARGET_ROWS NOTE

The section (its '## N. Title' heading and body) replaces the report's section
of the same title, or goes in before '## Targets'. Each row of TARGET_ROWS
replaces the Targets row with the same first cell, or is appended to that
table. NOTE (one line saying where the section comes from) replaces the
preamble's note for the same title, or is appended to the preamble. Nothing is
written unless every part was found.
"""
import re
import sys


def split_sections(text):
    """[(heading or None, text)]: the preamble, then one entry per '## ' heading."""
    parts = re.split(r"(?m)^(?=## )", text)
    out = []
    for part in parts:
        heading = part.split("\n", 1)[0] if part.startswith("## ") else None
        out.append((heading, part))
    return out


def title(heading):
    return re.sub(r"^## (\d+\.\s*)?", "", heading).strip()


def first_cell(row):
    cells = row.strip().strip("|").split("|")
    return cells[0].strip()


def main(report_path, section_path, rows_path, note):
    report = open(report_path, encoding="utf-8").read()
    section = open(section_path, encoding="utf-8").read().rstrip("\n") + "\n\n"
    rows = [r for r in open(rows_path, encoding="utf-8").read().splitlines() if r.startswith("|")]
    new_heading = section.split("\n", 1)[0]
    if not new_heading.startswith("## "):
        sys.exit(f"splice_report: {section_path} does not start with a '## ' heading")
    want = title(new_heading)

    parts = split_sections(report)
    if not parts or parts[0][0] is not None:
        sys.exit(f"splice_report: {report_path} has no preamble")
    titles = [title(h) if h else None for h, _ in parts]
    if "Targets" not in titles:
        sys.exit(f"splice_report: {report_path} has no '## Targets' section")
    if want in titles:
        parts[titles.index(want)] = (new_heading, section)
    else:
        parts.insert(titles.index("Targets"), (new_heading, section))

    # Target rows: same first cell replaced, new ones after the table's last row.
    t = [title(h) if h else None for h, _ in parts].index("Targets")
    lines = parts[t][1].split("\n")
    table = [i for i, line in enumerate(lines) if line.startswith("|")]
    if len(table) < 2:
        sys.exit("splice_report: the Targets section has no table")
    for row in rows:
        same = [i for i in table[2:] if first_cell(lines[i]) == first_cell(row)]
        if same:
            lines[same[0]] = row
        else:
            last = table[-1]
            lines.insert(last + 1, row)
            table.append(last + 1)
    parts[t] = (parts[t][0], "\n".join(lines))

    # The preamble's note for this section.
    pre = parts[0][1].rstrip("\n").split("\n")
    marker = f"*{want}*"
    pre = [line for line in pre if not line.startswith(marker)]
    while pre and pre[-1] == "":
        pre.pop()
    parts[0] = (None, "\n".join(pre + ["", note]) + "\n\n")

    open(report_path, "w", encoding="utf-8").write("".join(p for _, p in parts))


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
