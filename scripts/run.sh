#!/usr/bin/env bash
# Starts the action server and the Rasa server (which also serves the website),
# waits until the bot answers, prints where to talk to it, and stops both on Ctrl-C.
# The Rasa server runs through `python -m assistant.server`, which sets the action
# timeout (ACTION_TIMEOUT, default 5 s) and CORS (CORS_ORIGINS, default none), and
# enables the Rasa HTTP API only when RASA_ENABLE_API=true, always with a token
# (RASA_AUTH_TOKEN, made here when unset) or RASA_JWT_SECRET. Nothing secret is
# written to disk or to git.
set -euo pipefail
RASA_PORT=${RASA_PORT:-5005}
ACTIONS_PORT=${ACTIONS_PORT:-5055}
LOG_DIR=${LOG_DIR:-var/log}
mkdir -p "$LOG_DIR" var
# No telemetry or crash reports: this machine reaches no analytics host anyway.
export RASA_TELEMETRY_ENABLED=${RASA_TELEMETRY_ENABLED:-false}
# The staff view of /kennisbank needs a token; without one, make one for this run.
generated_token=""
if [ -z "${STAFF_TOKEN:-}" ]; then
  STAFF_TOKEN=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(18))')
  generated_token=$STAFF_TOKEN
fi
export STAFF_TOKEN
# The Rasa HTTP API is off unless asked for, and then never without authentication.
generated_api_token=""
case "${RASA_ENABLE_API:-false}" in
  1 | true | yes | on)
    if [ -z "${RASA_AUTH_TOKEN:-}" ] && [ -z "${RASA_JWT_SECRET:-}" ]; then
      RASA_AUTH_TOKEN=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(32))')
      generated_api_token=$RASA_AUTH_TOKEN
      export RASA_AUTH_TOKEN
    fi
    ;;
esac
# endpoints.yml names the action server on 5055; another port gets its own copy.
endpoints=endpoints.yml
if [ "$ACTIONS_PORT" != 5055 ]; then
  endpoints=var/endpoints.$ACTIONS_PORT.yml
  sed "s#localhost:5055#localhost:$ACTIONS_PORT#" endpoints.yml >"$endpoints"
fi

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

.venv/bin/rasa run actions --actions actions --port "$ACTIONS_PORT" \
  >"$LOG_DIR/actions.log" 2>&1 &
pids+=($!)
.venv/bin/python -m assistant.server run --model models/assistant.tar.gz \
  --port "$RASA_PORT" --credentials credentials.yml --endpoints "$endpoints" \
  >"$LOG_DIR/rasa.log" 2>&1 &
pids+=($!)

echo "Starting the assistant (logs in $LOG_DIR/)..."
# Ready when the health report says so (503 while the de-identifier still loads).
for _ in $(seq 1 300); do
  if curl -sf "http://localhost:$RASA_PORT/webhooks/web/health" >/dev/null; then
    echo
    echo "The assistant is running:"
    echo "  chat:        http://localhost:$RASA_PORT/"
    echo "  kennisbank:  http://localhost:$RASA_PORT/kennisbank"
    if [ -n "$generated_token" ]; then
      echo "  staff token: $generated_token   (made for this run; set STAFF_TOKEN to choose one)"
    else
      echo "  staff token: the one in STAFF_TOKEN"
    fi
    echo "  REST:        http://localhost:$RASA_PORT/webhooks/rest/webhook"
    echo "  try:         curl -s localhost:$RASA_PORT/webhooks/rest/webhook \\"
    echo "                 -H 'Content-Type: application/json' \\"
    echo "                 -d '{\"sender\":\"proef-1234\",\"message\":\"wordt stamceltherapie vergoed?\"}'"
    echo "  health:      http://localhost:$RASA_PORT/webhooks/web/health"
    if [ -n "$generated_api_token" ]; then
      echo "  Rasa API:    on; token $generated_api_token   (made for this run; set RASA_AUTH_TOKEN)"
    elif [ -n "${RASA_AUTH_TOKEN:-}${RASA_JWT_SECRET:-}" ] && [[ "${RASA_ENABLE_API:-}" =~ ^(1|true|yes|on)$ ]]; then
      echo "  Rasa API:    on, with the token or JWT secret from the environment"
    fi
    echo "Stop with Ctrl-C."
    wait -n "${pids[@]}"
    echo "A server stopped; see $LOG_DIR/." >&2
    exit 1
  fi
  if ! kill -0 "${pids[@]}" 2>/dev/null; then
    echo "A server failed to start; see $LOG_DIR/." >&2
    exit 1
  fi
  sleep 1
done
echo "The Rasa server was not ready within 300 s; see $LOG_DIR/rasa.log." >&2
exit 1
