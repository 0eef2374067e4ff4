#!/usr/bin/env python3
# spec-seeds.py SPECDIR OUTDIR - one seed of fuzz_mustache.c per test of
# the Mustache specification's JSON files: the template, each partial
# ("@@NAME"), then the data ("@@data"). `make fuzz` writes them into its
# work folder, so the spec's text is not copied into this repository.
import json
import os
import sys

spec, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
n = 0
for name in sorted(os.listdir(spec)):
    if not name.endswith(".json") or name.startswith("~"):
        continue
    with open(os.path.join(spec, name), encoding="utf-8") as f:
        doc = json.load(f)
    for i, test in enumerate(doc.get("tests", [])):
        parts = [test.get("template", "")]
        for pname, ptext in sorted(test.get("partials", {}).items()):
            parts.append("@@%s\n%s" % (pname, ptext))
        parts.append("@@data\n" + json.dumps(test.get("data"),
                                             ensure_ascii=False))
        seed = os.path.join(out, "%s-%03d.txt" % (name[:-5], i))
        with open(seed, "w", encoding="utf-8") as f:
            f.write("\n".join(parts))
        n += 1
print("spec-seeds: %d seeds in %s" % (n, out))
