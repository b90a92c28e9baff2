#!/bin/sh
# The relay command mailbench runs for each run (smtpRelay({ prepare: relayCommand(...) })).
# The contract, for your own MTA:
#   - $MAILBENCH_ENVIRONMENT is a JSON file: routes (recipient domain -> loopback address and
#     port of the receiver), egress (the source addresses and HELO names you may send from),
#     returnPath (where your DSNs to the envelope sender go) and clockScale;
#     $MAILBENCH_TRANSPORT is the same routes as a Postfix-style transport table;
#     $MAILBENCH_RELAY_DIR is a folder that is yours for the run.
#   - Start your MTA routed by them, then print one line: READY <address>:<port> [version],
#     the loopback address where it takes mail by SMTP.
#   - Send a DSN (RFC 3464) to the envelope sender for every recipient you bounce or give up
#     on, and, to be scored on deliveries too, for every one you deliver (NOTIFY=SUCCESS is asked).
#   - Stop when sent SIGTERM.
# This one starts the private Postfix relay that mailbench ships as a template.
set -eu
mailbench_dir=$(node -p "require('node:path').dirname(require.resolve('mailbench/package.json'))")
exec npx tsx "$mailbench_dir/mta-under-test/adapters/smtp-relay/examples/postfix-relay.ts"
