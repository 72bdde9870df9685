#!/usr/bin/env bash
# Rewrites PublicAPI.Unshipped.txt of a shipped project from its code, after a deliberate change to its public
# surface: `eng/update-public-api.sh src/Runtime`. Review the diff: it is the API change.
set -euo pipefail
cd "$(dirname "$0")/.."
for dir in "${@:-src/Runtime}"; do
  project=$(ls "$dir"/*.csproj)
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  dotnet format analyzers "$project" --diagnostics RS0016 --severity info >/dev/null
  # Keep the file sorted, as PublicApiAnalyzers writes it, so diffs stay small.
  { head -n1 "$dir/PublicAPI.Unshipped.txt"; tail -n +2 "$dir/PublicAPI.Unshipped.txt" | LC_ALL=C sort -u; } > "$dir/PublicAPI.Unshipped.txt.tmp"
  mv "$dir/PublicAPI.Unshipped.txt.tmp" "$dir/PublicAPI.Unshipped.txt"
  echo "$dir/PublicAPI.Unshipped.txt: $(($(wc -l < "$dir/PublicAPI.Unshipped.txt") - 1)) entries"
done
