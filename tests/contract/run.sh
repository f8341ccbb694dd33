#!/usr/bin/env bash
# Contract check: schemathesis (PyPI) generates requests from spec/destiny.yaml, sends them to
# the destiny-mock server, and checks every answer against the spec: status codes, content
# types, response headers and bodies, no server errors, acceptance of valid and rejection of
# invalid input, and that authentication is enforced. Exits non-zero on any failure.
#
# It installs schemathesis into a virtual environment under target/, builds and starts the
# mock binary on a free loopback port, logs in as the seeded user `demo` for a bearer token,
# and stops the server on exit. Tunables (environment): SCHEMATHESIS_MAX_EXAMPLES (default
# 25 per operation), SCHEMATHESIS_SEED (default 1, for reproducible CI runs; set it to
# `random` to explore), SCHEMATHESIS_MAX_TIME (hard limit per run in seconds, default 150).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

schemathesis_version=4.32.5
max_examples=${SCHEMATHESIS_MAX_EXAMPLES:-25}
seed=${SCHEMATHESIS_SEED:-1}
max_time=${SCHEMATHESIS_MAX_TIME:-150}
target_dir=${CARGO_TARGET_DIR:-$root/target}
venv=$target_dir/contract-venv

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -qF "$schemathesis_version"; then
  echo "installing schemathesis $schemathesis_version into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

cargo build --quiet -p destiny-mock --bin destiny-mock
mock="$target_dir/debug/destiny-mock"

workdir=$(mktemp -d)
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  stop_server
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts the mock on a free port and sets base_url from the first line it prints.
start_server() {
  "$mock" --port 0 >"$workdir/server.out" 2>"$workdir/server.err" &
  server_pid=$!
  base_url=""
  for _ in $(seq 1 100); do
    base_url=$(head -n 1 "$workdir/server.out" 2>/dev/null || true)
    [ -n "$base_url" ] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
      cat "$workdir/server.err" >&2
      echo "the mock server exited before printing its URL" >&2
      exit 1
    fi
    sleep 0.1
  done
  if [ -z "$base_url" ]; then
    echo "the mock server printed no URL within 10 s" >&2
    exit 1
  fi
  echo "mock server: $base_url"
}

# Prints the Authorization header ("bearer <token>") of a login as the seeded user demo.
login_header() {
  "$venv/bin/python" - "$base_url/auth/login" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(
    sys.argv[1],
    data=json.dumps({"username": "demo", "password": "secret"}).encode(),
    headers={"Content-Type": "application/json"},
    method="POST",
)
with urllib.request.urlopen(request, timeout=10) as response:
    print(response.headers["Authorization"])
PY
}

# Runs schemathesis against the running server with the given extra arguments.
run_schemathesis() {
  local authorization
  authorization=$(login_header)
  local seed_args=()
  [ "$seed" != "random" ] && seed_args=(--seed "$seed")
  # From the scratch directory, so schemathesis leaves no files in the checkout.
  (
    cd "$workdir"
    timeout "$max_time" "$venv/bin/schemathesis" \
      --config-file "$root/tests/contract/schemathesis.toml" \
      run "$root/spec/destiny.yaml" \
      --url "$base_url" \
      --header "Authorization: $authorization" \
      --checks all \
      --max-examples "$max_examples" \
      "${seed_args[@]}" \
      --no-color \
      "$@"
  )
}

status=0

echo "==> every operation but logout, authenticated as demo"
start_server
run_schemathesis --exclude-operation-id logout || status=1
stop_server

# Logout revokes the token it is sent with, so it gets a server and a token of its own.
echo "==> logout, with a session of its own"
start_server
run_schemathesis --include-operation-id logout || status=1
stop_server

if [ "$status" -ne 0 ]; then
  echo "contract check FAILED: schemathesis found responses that do not conform to spec/destiny.yaml" >&2
else
  echo "contract check passed: 0 failures"
fi
exit "$status"
