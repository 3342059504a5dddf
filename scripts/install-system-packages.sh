#!/usr/bin/env bash
# Debian packages the test suite runs for real: Dovecot (IMAP server), isync (mbsync, the IMAP
# benchmark's yardstick), openssl, and Chromium (the web app's browser tests drive it headless).
# Quick when they are already there; safe to run again.
#
# The tests start their own Dovecot instances from a private config on free loopback ports, so the
# Debian package's system-wide service must not run: it would hold ports 143/993 for nothing.
set -euo pipefail

PACKAGES=(dovecot-imapd isync openssl chromium)
COMMANDS=(dovecot doveadm mbsync openssl chromium)

installed() {
    local command package
    for command in "${COMMANDS[@]}"; do
        command -v "$command" >/dev/null 2>&1 || return 1
    done
    for package in "${PACKAGES[@]}"; do
        [[ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" == "install ok installed" ]] || return 1
    done
}

as_root() {
    if [[ $EUID -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -n "$@" || sudo "$@"
    else
        return 1
    fi
}

no_system_dovecot() {
    # Disable and stop the packaged service (only when it is enabled or running, so that this stays
    # quiet and needs no sudo in the usual case), and stop any master started from /etc/dovecot.
    local unit pid
    if command -v systemctl >/dev/null 2>&1; then
        for unit in dovecot.service dovecot.socket; do
            if systemctl is-enabled --quiet "$unit" 2>/dev/null; then
                as_root systemctl disable --quiet "$unit" >/dev/null 2>&1 || true
            fi
            if [[ -d /run/systemd/system ]] && systemctl is-active --quiet "$unit" 2>/dev/null; then
                as_root systemctl stop "$unit" >/dev/null 2>&1 || true
            fi
        done
    fi
    pid="$(cat /run/dovecot/master.pid 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        as_root doveadm -c /etc/dovecot/dovecot.conf stop >/dev/null 2>&1 || true
    fi
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        echo "install-system-packages: a system-wide Dovecot (pid $pid) is still running; stop it." >&2
        return 1
    fi
}

if installed; then
    no_system_dovecot
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-packages: apt-get not found; install ${PACKAGES[*]} with your package manager." >&2
    exit 1
fi
if [[ $EUID -ne 0 ]] && ! command -v sudo >/dev/null 2>&1; then
    echo "install-system-packages: need root or sudo to install ${PACKAGES[*]}." >&2
    exit 1
fi

echo "install-system-packages: installing ${PACKAGES[*]}" >&2
if ! as_root apt-get update -qq ||
    ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null; then
    echo "install-system-packages: could not install ${PACKAGES[*]} (apt-get failed, see above)." >&2
    exit 1
fi
if ! installed; then
    echo "install-system-packages: ${PACKAGES[*]} installed, but one of ${COMMANDS[*]} is still missing." >&2
    exit 1
fi
no_system_dovecot
