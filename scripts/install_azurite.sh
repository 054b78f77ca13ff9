#!/usr/bin/env bash
# Install the Azurite pinned in tools/azurite/package-lock.json into .tools/azurite (gitignored).
# Idempotent: a no-op when .tools/azurite already holds exactly that lock file and its binary.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/tools/azurite"
dest="$root/.tools/azurite"

if [[ -x "$dest/node_modules/.bin/azurite" ]] && cmp -s "$src/package-lock.json" "$dest/package-lock.json"; then
    exit 0
fi
command -v npm >/dev/null || { echo "install_azurite: npm not found (apt-get install nodejs npm)" >&2; exit 1; }
mkdir -p "$dest"
cp "$src/package.json" "$src/package-lock.json" "$dest/"
# npm ci installs exactly the lock file; --omit=dev keeps it to Azurite's runtime.
(cd "$dest" && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
echo "install_azurite: $("$dest/node_modules/.bin/azurite" --version) in $dest"
