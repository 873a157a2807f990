#!/usr/bin/env bash
# Regenerates src/build/advisories.enforcer.xml, the list of known advisories that the build
# checks every dependency against (maven-enforcer-plugin, phase validate; docs/security.md,
# "Dependencies and advisories").
#
# Run it on a machine that reaches the advisory source; the build itself never does. It
#   1. lists the project's dependencies of every scope (mvn dependency:list);
#   2. reads OSV's advisories for the Maven ecosystem (a zip of OSV JSON records: by default
#      downloaded from OSV's bucket; or a zip or directory given with --source, e.g. a checkout
#      of GitHub's advisory database, whose records are OSV JSON too);
#   3. keeps the advisories that name one of those dependencies, and writes one
#      bannedDependencies rule per advisory: the affected version ranges of each named
#      dependency, and a message with the advisory's ids, summary and fixed releases;
#   4. runs mvn validate to show what the new list says of the current versions, and which of
#      the advisories apply to the Tomcat distribution deploy/run.sh starts (compare those with
#      docs/decisions.md, 55).
# Review the diff (git diff src/build/advisories.enforcer.xml) and commit it.
#
# Rules: one per advisory while there are at most 60 of them, else one per dependency (each of
# its advisories an <exclude> with the id in a comment, all of them in the message): every rule
# costs the validate phase about 0.15 s, and OSV lists a hundred or more for a busy library.
# --group advisory|package forces either.
#
# Usage: deploy/advisories/refresh.sh [--source ZIP|DIR|URL] [--output FILE] [--group G] [--no-check]
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib.sh"
LOG_PREFIX=refresh LOG_TIMESTAMP=0 DIE_PREFIX="refresh.sh:"
handle_help "$@"

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
SOURCE="https://osv-vulnerabilities.storage.googleapis.com/Maven/all.zip"
OUTPUT="$REPO/src/build/advisories.enforcer.xml"
CHECK=1
GROUP=auto
MVN="${MVN:-mvn}"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --source) SOURCE="${2:?--source needs a zip, a directory or a URL}"; shift 2 ;;
    --output) OUTPUT="${2:?--output needs a file}"; shift 2 ;;
    --group) GROUP="${2:?--group needs advisory, package or auto}"; shift 2 ;;
    --no-check) CHECK=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done
command -v python3 >/dev/null || die "python3 is needed"
command -v "$MVN" >/dev/null || die "Maven ('$MVN') is not on the PATH"

WORK="$REPO/target/advisories"
mkdir -p "$WORK"

# 1. The project's dependencies, every scope (test includes compile, provided and runtime).
"$MVN" -B -q -f "$REPO/pom.xml" dependency:list -DincludeScope=test \
  -DoutputFile="$WORK/dependencies.txt" -DappendOutput=false >/dev/null \
  || die "mvn dependency:list failed"

# 2. The advisories.
case "$SOURCE" in
  http://*|https://*)
    command -v curl >/dev/null || die "curl is needed to download $SOURCE"
    echo "downloading $SOURCE"
    curl -fsSL --retry 3 -o "$WORK/osv.zip" "$SOURCE" || die "cannot download $SOURCE"
    SOURCE="$WORK/osv.zip" ;;
  *) [[ -e "$SOURCE" ]] || die "$SOURCE does not exist" ;;
esac

# 3. The list.
[[ "$GROUP" =~ ^(auto|advisory|package)$ ]] || die "--group must be advisory, package or auto"
python3 - "$WORK/dependencies.txt" "$SOURCE" "$OUTPUT" "$GROUP" <<'PY'
import datetime, json, os, re, sys, zipfile
from xml.sax.saxutils import escape

deps_file, source, output, group = sys.argv[1:5]

# "   group:artifact:type[:classifier]:version:scope" lines
deps = set()
for line in open(deps_file, encoding="utf-8"):
    parts = line.strip().split(":")
    if len(parts) >= 5 and re.match(r"^[A-Za-z0-9_.-]+$", parts[0]):
        deps.add(parts[0] + ":" + parts[1])
if not deps:
    sys.exit("refresh.sh: no dependency found in " + deps_file)

def records():
    if os.path.isdir(source):
        for root, _, files in os.walk(source):
            for name in files:
                if name.endswith(".json"):
                    with open(os.path.join(root, name), encoding="utf-8") as f:
                        yield name, f.read()
    else:
        with zipfile.ZipFile(source) as z:
            for name in z.namelist():
                if name.endswith(".json"):
                    yield name, z.read(name).decode("utf-8")

def maven_ranges(affected):
    """OSV ECOSYSTEM events -> Maven version ranges."""
    out = []
    for r in affected.get("ranges", []):
        if r.get("type") != "ECOSYSTEM":
            continue
        start = None
        for event in r.get("events", []):
            if "introduced" in event:
                start = event["introduced"]
            elif "fixed" in event or "limit" in event:
                end = event.get("fixed", event.get("limit"))
                if start != end:  # [x,x) would be an invalid Maven range
                    out.append(("(," if start in (None, "0") else "[" + start + ",") + end + ")")
                start = None
            elif "last_affected" in event:
                end = event["last_affected"]
                out.append(("(," if start in (None, "0") else "[" + start + ",") + end + "]")
                start = None
        if start is not None:
            out.append("[0,)" if start == "0" else "[" + start + ",)")
    if not out:
        out = ["[" + v + "]" for v in affected.get("versions", [])]
    return out

def fixed_versions(affected):
    return [e["fixed"] for r in affected.get("ranges", []) for e in r.get("events", []) if "fixed" in e]

rules = {}
for name, text in records():
    try:
        rec = json.loads(text)
    except ValueError:
        continue
    if rec.get("withdrawn"):
        continue
    for affected in rec.get("affected", []):
        pkg = affected.get("package", {})
        if pkg.get("ecosystem") != "Maven" or pkg.get("name") not in deps:
            continue
        ranges = maven_ranges(affected)
        if not ranges:
            continue
        rule = rules.setdefault(rec["id"], {
            "ids": [rec["id"]] + sorted(a for a in rec.get("aliases", []) if a != rec["id"]),
            "summary": (rec.get("summary") or rec.get("details", "").split("\n")[0] or "no summary")[:240],
            "excludes": [], "fixed": set()})
        for rng in ranges:
            exclude = pkg["name"] + ":" + rng
            if exclude not in rule["excludes"]:
                rule["excludes"].append(exclude)
        rule["fixed"].update(fixed_versions(affected))

# An advisory published under several ids (a GHSA and its CVE) is kept once, preferring the GHSA.
seen, unique = set(), []
for key in sorted(rules, key=lambda k: (not k.startswith("GHSA-"), k)):
    rule = rules[key]
    if seen & set(rule["ids"]):
        continue
    seen.update(rule["ids"])
    unique.append(rule)
unique.sort(key=lambda r: (r["excludes"][0].split(":")[0:2], r["ids"][0]))

today = datetime.date.today().isoformat()
lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<!--",
  "  Known advisories against the project's dependencies, checked by maven-enforcer-plugin's",
  "  externalRules (pom.xml, execution \"advisories\", phase validate): a dependency of any scope",
  "  whose version lies in one of the ranges below fails the build.",
  "",
  "  GENERATED on %s by deploy/advisories/refresh.sh from %s:" % (today, os.path.basename(source)),
  "  %d advisories naming %d of the project's %d dependencies. Do not edit by hand: rerun the" % (
      len(unique), len({e.split(":")[0] + ":" + e.split(":")[1] for r in unique for e in r["excludes"]}), len(deps)),
  "  script (docs/security.md, \"Dependencies and advisories\").",
  "",
  "  Not covered here: the Tomcat distribution deploy/run.sh starts (org.apache.tomcat:tomcat, not a",
  "  dependency: pom.xml's requireProperty rule and docs/decisions.md 55) and Keycloak's",
  "  distribution (test fixture, unpacked, not on a class path).",
  "-->", "<enforcer>", "  <rules>"]
def comment(text):
    return "<!-- %s -->" % escape(text).replace("--", "- -")

if group == "auto":
    group = "advisory" if len(unique) <= 60 else "package"
if group == "advisory":
    for r in unique:
        ids = " / ".join(r["ids"])
        fixed = ", ".join(sorted(r["fixed"])) or "no fixed release listed"
        lines.append("    " + comment(ids))
        lines.append("    <bannedDependencies>")
        lines.append("      <message>%s: %s. Fixed in: %s.</message>" % (escape(ids), escape(r["summary"].strip().rstrip(".")), escape(fixed)))
        lines.append("      <excludes>")
        for e in r["excludes"]:
            lines.append("        <exclude>%s</exclude>" % escape(e))
        lines.append("      </excludes>")
        lines.append("    </bannedDependencies>")
else:
    by_package = {}
    for r in unique:
        for e in r["excludes"]:
            ga = ":".join(e.split(":")[:2])
            by_package.setdefault(ga, []).append((r, e))
    for ga in sorted(by_package):
        entries = by_package[ga]
        listed = "; ".join("%s %s" % (r["ids"][0], e.split(":", 2)[2]) for r, e in entries)
        lines.append("    " + comment(ga + ": %d advisories" % len({r["ids"][0] for r, _ in entries})))
        lines.append("    <bannedDependencies>")
        lines.append("      <message>Known advisories for %s (id and affected range; details under that id at osv.dev): %s</message>" % (escape(ga), escape(listed)))
        lines.append("      <excludes>")
        for r, e in entries:
            lines.append("        " + comment(" / ".join(r["ids"]) + ": " + r["summary"].strip()[:120]))
            lines.append("        <exclude>%s</exclude>" % escape(e))
        lines.append("      </excludes>")
        lines.append("    </bannedDependencies>")
lines += ["  </rules>", "</enforcer>", ""]
with open(output, "w", encoding="utf-8") as f:
    f.write("\n".join(lines))
print("wrote %s: %d advisories, one rule per %s" % (output, len(unique), group))
PY

[[ "$CHECK" == 1 ]] || exit 0

# 4. What the new list says.
rules_arg=()
[[ "$OUTPUT" == "$REPO/src/build/advisories.enforcer.xml" ]] || rules_arg=(-Dadvisories.file="$OUTPUT")
echo
echo "== the project's dependencies against the new list (mvn validate):"
if "$MVN" -B -q -f "$REPO/pom.xml" "${rules_arg[@]}" -Dspotless.check.skip=true validate; then
  echo "no dependency in an advised range"
else
  echo "some dependency is in an advised range (above): bump it, then commit the list with the bump"
fi
dist="$(sed -n 's:.*<tomcat\.version>[[:space:]]*\([^<[:space:]]*\)[[:space:]]*</tomcat\.version>.*:\1:p' "$REPO/pom.xml" | head -n 1)"
echo
echo "== advisories that apply to the Tomcat distribution $dist (the embedded artifacts at its version);"
echo "   each must be in docs/decisions.md 55 with its mitigation, or the distribution must move:"
"$MVN" -B -f "$REPO/pom.xml" "${rules_arg[@]}" -Dspotless.check.skip=true \
  -Dtomcat.embed.version="$dist" validate 2>&1 \
  | grep -A1 "BannedDependencies failed with message" | grep -v "BannedDependencies failed\|^--" \
  | sed 's/^\[ERROR\] */   /' || true
