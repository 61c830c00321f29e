#!/usr/bin/env bash
# Installs the tools of the Node package (@napi-rs/cli, typescript) from
# package-lock.json into bindings/node/node_modules. Idempotent: it does
# nothing when node_modules is already newer than the lockfile. Building the
# addon is test.sh's job, so npm's lifecycle scripts are not run here.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] \
  && [ -x node_modules/.bin/napi ] && [ -x node_modules/.bin/tsc ]; then
  exit 0
fi
npm ci --ignore-scripts --no-audit --no-fund
