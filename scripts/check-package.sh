#!/usr/bin/env bash
# Package correctness (issue 7, "Ecosystem"), on the tarball users would install:
#   1. npm pack of the built package (dist/ must exist: run `npm run build` first);
#   2. publint --strict on the tarball;
#   3. @arethetypeswrong/cli on the tarball, profile node16 (node10 cannot resolve subpaths);
#   4. ESM and CommonJS consumer projects (test/consumers/) that install the tarball into a temp dir,
#      import/require every subpath, type-check their own use with tsc (node16 resolution, the
#      shipped .d.ts/.d.cts), run one smoke call per module and, for ESM, the installed bin;
#   5. the two consumers' outputs (export names per subpath and result bytes) must be identical;
#   6. a mixed app (ESM code, CJS copy loaded too): does isSessionSdkError recognise the other copy's
#      errors? A warning today, fatal with SESSION_SDK_STRICT_DUAL=1.
# Usage: scripts/check-package.sh   (exit 0 = all passed)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

if [[ ! -f dist/index.js || ! -f dist/index.cjs ]]; then
  echo "check-package: dist/ is missing or incomplete: run \`npm run build\` first" >&2
  exit 2
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/session-sdk-package.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
BIN="$ROOT/node_modules/.bin"

T0=$(date +%s%N)
step() { # step <name> <command...>: run, then print its wall time
  local t=$(date +%s%N)
  echo "── $1"
  shift
  "$@"
  echo "   ($(( ($(date +%s%N) - t) / 1000000 )) ms)"
}

pack() {
  local name
  name="$(npm pack --pack-destination "$WORK" --silent --ignore-scripts | tail -n 1)"
  TGZ="$WORK/$name"
  [[ -f "$TGZ" ]] || { echo "npm pack produced no tarball" >&2; return 1; }
  # Only build output and docs ship: no sources, tests, vectors or nested tarballs.
  local stray
  stray="$(tar -tzf "$TGZ" | grep -Ev '^package/(dist/|README\.md$|LICENSE|package\.json$|CHANGELOG\.md$|SECURITY\.md$)' || true)"
  [[ -z "$stray" ]] || { echo "unexpected files in the tarball:" >&2; echo "$stray" >&2; return 1; }
  echo "   $(basename "$TGZ"): $(tar -tzf "$TGZ" | wc -l) files, $(( $(stat -c %s "$TGZ") / 1024 )) KiB packed"
}

consumer() { # consumer <esm|cjs>
  local kind="$1" dir="$WORK/$1"
  mkdir -p "$dir"
  cp "test/consumers/$kind/package.json" "test/consumers/$kind/index.js" test/consumers/smoke.cjs "$dir/"
  # Dependencies come from the npm cache that `npm ci` filled (registry only if missing there).
  (cd "$dir" && npm install "$TGZ" --no-save --prefer-offline --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  (cd "$dir" && "$BIN/tsc" --noEmit --allowJs --checkJs --strict --skipLibCheck false \
    --module node16 --moduleResolution node16 --resolveJsonModule --target es2022 --lib es2022,dom \
    --typeRoots "$ROOT/node_modules/@types" --types node index.js)
  (cd "$dir" && node index.js >"$WORK/$kind.json")
  echo "   $kind consumer: $(node -e 'const r=require(process.argv[1]);console.log(Object.entries(r.exports).map(([k,v])=>`${k} ${v.length}`).join(", "))' "$WORK/$kind.json") exports"
}

same_output() {
  node -e '
    const { readFileSync } = require("node:fs");
    const { isDeepStrictEqual } = require("node:util");
    const [a, b] = process.argv.slice(1).map((f) => JSON.parse(readFileSync(f, "utf8")));
    if (!isDeepStrictEqual(a, b)) {
      for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
        if (!isDeepStrictEqual(a[k], b[k])) console.error(`ESM and CJS differ in ${k}:\n  esm ${JSON.stringify(a[k])}\n  cjs ${JSON.stringify(b[k])}`);
      process.exit(1);
    }
    console.log("   ESM and CJS consumers: identical export sets and bytes");
  ' "$WORK/esm.json" "$WORK/cjs.json"
}

dual_package() { # an app whose ESM code catches an error thrown by the CJS copy (a CJS dependency)
  local got
  got="$(cd "$WORK/esm" && node --input-type=module -e '
    import { createRequire } from "node:module";
    import * as esm from "session-sdk";
    const cjs = createRequire(import.meta.url + "/")("session-sdk");
    try { cjs.parseSessionId("05zz"); } catch (e) { console.log(esm.isSessionSdkError(e) ? "yes" : "no"); }
  ')"
  if [[ "$got" == yes ]]; then
    echo "   isSessionSdkError recognises errors from the other (CJS) copy"
  elif [[ "${SESSION_SDK_STRICT_DUAL:-0}" == 1 ]]; then
    echo "   isSessionSdkError does not recognise errors from the CJS copy (dual-package hazard)" >&2
    return 1
  else
    echo "   WARN: isSessionSdkError does not recognise errors thrown by the CJS copy (dual-package hazard;"
    echo "         instanceof across copies). Set SESSION_SDK_STRICT_DUAL=1 to make this fatal."
  fi
}

step "npm pack" pack
step "publint --strict" "$BIN/publint" run "$TGZ" --strict
step "attw --profile node16" "$BIN/attw" "$TGZ" --profile node16 --format table-flipped --no-emoji --no-color
step "ESM consumer" consumer esm
step "CJS consumer" consumer cjs
step "compare consumers" same_output
step "ESM/CJS mixed app" dual_package
echo "check-package: all passed in $(( ($(date +%s%N) - T0) / 1000000 )) ms"
