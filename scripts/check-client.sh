#!/usr/bin/env bash
# Type-checks a TypeScript client against the API's OpenAPI document, as a front-end developer would use it: writes
# the document (manage.py spectacular), generates its types with openapi-typescript into clients/typescript/generated/
# (not committed), and runs tsc, strict, over clients/typescript/check.ts, which calls the API through openapi-fetch.
# The three come from the npm registry at the versions package-lock.json pins (npm ci). Needs Node.js 20 or later
# with npm, and .venv (scripts/test.sh makes it).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "check-client: $tool is missing: install Node.js 20 or later." >&2; exit 1; }
done
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  { echo "check-client: Node.js $(node --version) is too old: 20 or later is needed." >&2; exit 1; }
[ -x .venv/bin/python ] || { echo "check-client: .venv is missing: run scripts/test.sh first." >&2; exit 1; }

npm ci --no-audit --no-fund --loglevel=error
out=clients/typescript/generated
mkdir -p "$out"
# Built from the code and the settings alone, as every deployment serves it; a throwaway key if none is given.
DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(50))")} \
  .venv/bin/python manage.py spectacular --format openapi-json --validate --fail-on-warn --file "$out/openapi.json"
node_modules/.bin/openapi-typescript "$out/openapi.json" --output "$out/api.d.ts"
node_modules/.bin/tsc --project clients/typescript/tsconfig.json
echo "check-client: clients/typescript/check.ts type-checks against the schema."
