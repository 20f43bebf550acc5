#!/bin/sh
# Back up one service's schema with pg_dump, and (apart from it) its data key
# ring.
#
# Usage: deploy/backup.sh -s SERVICE -o DUMP_DIR [-d DATABASE_URL] [-k KEYS_DIR]
#
#   -s SERVICE   meldingen | beveiliging | kennisbank
#   -o DUMP_DIR  where the dump goes: <service>-<UTC time>.dump (pg_dump custom
#                format, the service's schema only, with its grants) and a
#                .sha256 beside it
#   -d URL       connection URL; default $BACKUP_DATABASE_URL. Use the
#                service's owner role (it owns every object in the schema).
#                Keep the password out of the URL: PGPASSWORD or ~/.pgpass.
#   -k KEYS_DIR  also write the key ring from $WEERBAAR_DATA_KEYS (or the file
#                $WEERBAAR_DATA_KEYS_FILE names) to
#                KEYS_DIR/<service>-data-keys-<UTC time>.txt (mode 600).
#                KEYS_DIR must not be DUMP_DIR: whoever holds both holds the
#                plain text. Store it elsewhere (a secrets vault, another
#                medium, another custodian).
#
# The encrypted columns (omschrijving, notes, addresses, ...) are useless
# without the key ring that was current when they were written, and the key
# ring is worthless to an attacker without the dump: keep them apart, keep
# both.
set -eu

usage() {
    sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'
}

service=""
dump_dir=""
keys_dir=""
url=${BACKUP_DATABASE_URL:-}
while getopts "s:o:d:k:h" option; do
    case "$option" in
        s) service=$OPTARG ;;
        o) dump_dir=$OPTARG ;;
        d) url=$OPTARG ;;
        k) keys_dir=$OPTARG ;;
        h) usage; exit 0 ;;
        *) usage >&2; exit 64 ;;
    esac
done

case "$service" in
    meldingen | beveiliging | kennisbank) ;;
    *) echo "backup.sh: -s must be meldingen, beveiliging or kennisbank" >&2; exit 64 ;;
esac
if [ -z "$dump_dir" ] || [ -z "$url" ]; then
    echo "backup.sh: -o DUMP_DIR and -d URL (or BACKUP_DATABASE_URL) are required" >&2
    exit 64
fi

stamp=$(date -u +%Y%m%dT%H%M%SZ)
umask 077
mkdir -p "$dump_dir"
# Check the key ring's destination before dumping anything.
if [ -n "$keys_dir" ]; then
    # The ring as the services read it: the variable, or the file its _FILE names.
    if [ -n "${WEERBAAR_DATA_KEYS_FILE:-}" ]; then
        if [ -n "${WEERBAAR_DATA_KEYS:-}" ]; then
            echo "backup.sh: both WEERBAAR_DATA_KEYS and WEERBAAR_DATA_KEYS_FILE are set" >&2
            exit 1
        fi
        WEERBAAR_DATA_KEYS=$(cat "$WEERBAAR_DATA_KEYS_FILE") || exit 1
    fi
    if [ -z "${WEERBAAR_DATA_KEYS:-}" ]; then
        echo "backup.sh: -k given but neither WEERBAAR_DATA_KEYS nor WEERBAAR_DATA_KEYS_FILE is set" >&2
        exit 1
    fi
    mkdir -p "$keys_dir"
    if [ "$(cd "$keys_dir" && pwd -P)" = "$(cd "$dump_dir" && pwd -P)" ]; then
        echo "backup.sh: refusing to write the key ring next to the dump (-k must differ from -o)" >&2
        exit 1
    fi
fi
dump="$dump_dir/$service-$stamp.dump"

pg_dump --dbname="$url" --format=custom --schema="$service" \
    --lock-wait-timeout=60s --file="$dump.partial"
# A dump without tables means the wrong role or database: fail loudly.
if ! pg_restore --list "$dump.partial" | grep -q " TABLE DATA $service "; then
    rm -f "$dump.partial"
    echo "backup.sh: the dump of schema $service holds no table data; wrong database or role?" >&2
    exit 1
fi
mv "$dump.partial" "$dump"
(cd "$dump_dir" && sha256sum "$(basename "$dump")" >"$(basename "$dump").sha256")
echo "dump: $dump"

if [ -n "$keys_dir" ]; then
    keys="$keys_dir/$service-data-keys-$stamp.txt"
    printf '%s\n' "$WEERBAAR_DATA_KEYS" >"$keys"
    chmod 600 "$keys"
    echo "key ring: $keys"
    echo "WARNING: store $keys apart from the dump (vault, other medium or custodian);" >&2
    echo "WARNING: anyone holding both can read every encrypted field." >&2
elif [ "$service" != kennisbank ]; then
    echo "WARNING: this dump holds encrypted fields; it restores only together with" >&2
    echo "WARNING: the $service key ring (WEERBAAR_DATA_KEYS). Back that up separately (-k)." >&2
fi
