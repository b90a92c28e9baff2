#!/usr/bin/env bash
# Installs Debian's postfix package for the `postfix` MTA adapter (and its smtp-source and
# smtp-sink test programs), idempotently and without questions. The adapter runs Postfix only
# as a private instance with its own config_directory and queue (instance.ts); the system
# instance this package brings must never run or relay, so the script stops it, keeps it from
# starting at boot, and leaves it with no main.cf (debconf "No configuration").
#
# Usage: bash mta-under-test/adapters/postfix/install-postfix.sh   (as root, or with sudo)
set -euo pipefail

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then exec sudo -n -- "$0" "$@"; fi
    echo "install-postfix.sh: must run as root (apt-get install postfix)" >&2
    exit 1
  fi
}
need_root "$@"

export DEBIAN_FRONTEND=noninteractive

if ! dpkg-query -W -f='${Status}' postfix 2>/dev/null | grep -q 'install ok installed'; then
  # Preseed before install so postinst writes no main.cf and asks nothing.
  echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
  # Refresh the package lists only when they are missing or do not know postfix, or when
  # they are stale (the install cannot fetch the version they name).
  if ! apt-cache show postfix >/dev/null 2>&1; then
    apt-get update -qq
  fi
  if ! apt-get install -y -qq --no-install-recommends postfix >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postfix >/dev/null
  fi
fi

# The system instance: stopped, not started at boot (no-ops where it never ran).
if postfix status >/dev/null 2>&1; then
  postfix stop >/dev/null 2>&1 || true
fi
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
  systemctl disable --now postfix.service >/dev/null 2>&1 || true
fi
if command -v update-rc.d >/dev/null 2>&1 && [ -e /etc/init.d/postfix ]; then
  update-rc.d postfix disable >/dev/null 2>&1 || true
fi
# "No configuration" leaves no /etc/postfix/main.cf; a machine that had one configured by
# someone else keeps it (we do not own it), but it is stopped and disabled above.
if [ -e /etc/postfix/main.cf ]; then
  echo "install-postfix.sh: note: /etc/postfix/main.cf exists (system instance stopped and disabled, config left alone)" >&2
fi

# The test programs the measurements use: Debian puts them in /usr/sbin.
for program in postfix postconf smtp-source smtp-sink; do
  if ! command -v "$program" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$program" ]; then
    echo "install-postfix.sh: $program missing after installing postfix" >&2
    exit 1
  fi
done
echo "install-postfix.sh: postfix $(postconf -d -h mail_version) ready ($(command -v smtp-source || echo /usr/sbin/smtp-source), system instance stopped)"
