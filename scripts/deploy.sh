#!/usr/bin/env bash
# `make deploy`: the stack (sam build && sam deploy), the data migrations the new code needs
# (scripts/migrate.py), then the web app (scripts/publish_web.py:
# web/dist and config.json in the web bucket, a CloudFront invalidation). Needs AWS credentials
# and a region (AWS_PROFILE / AWS_REGION as for the AWS CLI), and the app built (make web).
#
#   STACK_NAME   the stack (default inbox, as samconfig.toml)
#   WEB_ORIGIN   the app's origin the API's CORS allows (default: the stack's own CloudFront URL)
#   PARAMETERS   more parameter overrides, e.g. "AlarmTopicArn=arn:aws:sns:... LogLevel=DEBUG"
#   extra arguments go to sam deploy (e.g. --no-confirm-changeset)
set -euo pipefail
cd "$(dirname "$0")/.."

STACK=${STACK_NAME:-inbox}
SAM=${SAM:-.venv-tools/bin/sam}
PYTHON=${PYTHON:-.venv/bin/python}

deploy() {  # deploy <WebOrigin or empty> [sam deploy arguments...]
  local origin=$1
  shift
  local overrides=(${PARAMETERS:-})
  [ -n "$origin" ] && overrides+=("WebOrigin=$origin")
  "$SAM" deploy --stack-name "$STACK" --no-fail-on-empty-changeset \
    ${overrides[@]+--parameter-overrides "${overrides[@]}"} "$@"
}

# The distribution's URL is an output of the stack that the API's CORS must allow: it can only be
# passed back as a parameter (the CSP names the API, so the API cannot name the distribution).
origin=${WEB_ORIGIN:-$("$PYTHON" scripts/publish_web.py origin --stack "$STACK")}
"$SAM" build
deploy "$origin" "$@"
if [ -z "${WEB_ORIGIN:-}" ]; then
  deployed=$("$PYTHON" scripts/publish_web.py origin --stack "$STACK")
  if [ "$deployed" != "$origin" ]; then
    echo "First deploy: allowing $deployed in the API's CORS" >&2
    deploy "$deployed" "$@"
  fi
fi
"$PYTHON" scripts/migrate.py --stack "$STACK"
"$PYTHON" scripts/publish_web.py publish --stack "$STACK" --dist web/dist
