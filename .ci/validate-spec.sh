#!/usr/bin/env bash
# Validates spec/destiny.yaml with an independent validator (openapi-spec-validator, PyPI),
# installed into a virtual environment under target/ so the system Python stays untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/ci-venv
if [ ! -x "$venv/bin/openapi-spec-validator" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'openapi-spec-validator==0.7.*'
fi
"$venv/bin/openapi-spec-validator" spec/destiny.yaml
