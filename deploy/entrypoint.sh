#!/bin/sh
# Entrypoint of the Weerbaar Bestuur image: the first argument selects the
# process. Extra arguments go to the Python command.
#
#   gateway                      python -m gateway serve
#   meldingen|beveiliging|kennisbank|notificaties
#                                python -m services.<svc> serve
#   migrate <svc>                Alembic upgrade head (owner role:
#                                WEERBAAR_MIGRATION_DATABASE_URL)
#   seed <svc>                   idempotent reference data
#   prestart <svc>               migrate, then seed (the one-shot container
#                                and Kubernetes Job run this)
#   retention                    anonymise closed meldingen past retention
#   rotate-keys                  re-encrypt meldingen with the newest data key
#   escalate                     one run: events for missed meldingen deadlines
set -eu

services="meldingen beveiliging kennisbank notificaties"

usage() {
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
}

require_service() {
    for known in $services; do
        if [ "$1" = "$known" ]; then
            return 0
        fi
    done
    echo "weerbaar: unknown service '$1' (one of: $services)" >&2
    exit 64
}

command=${1:-help}
[ "$#" -gt 0 ] && shift

case "$command" in
    gateway)
        exec python -m gateway serve "$@"
        ;;
    meldingen | beveiliging | kennisbank | notificaties)
        exec python -m "services.$command" serve "$@"
        ;;
    migrate | seed)
        service=${1:-}
        require_service "$service"
        shift
        exec python -m "services.$service" "$command" "$@"
        ;;
    prestart)
        service=${1:-}
        require_service "$service"
        python -m "services.$service" migrate
        exec python -m "services.$service" seed
        ;;
    retention | rotate-keys | escalate)
        exec python -m services.meldingen "$command" "$@"
        ;;
    help | -h | --help)
        usage
        ;;
    *)
        echo "weerbaar: unknown command '$command'" >&2
        usage >&2
        exit 64
        ;;
esac
