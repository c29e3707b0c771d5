#!/usr/bin/env bash
# Container health check without curl or wget: GET http://127.0.0.1:PORT/PATH over bash's /dev/tcp
# and succeed only on an HTTP 2xx status line. Usage: http-check.sh PORT PATH
set -u
port="${1:?port}"
path="${2:?path}"
exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
read -r -t 3 status_line <&3 || exit 1
exec 3<&-
case "$status_line" in
  HTTP/1.[01]\ 2[0-9][0-9]*) exit 0 ;;
  *) exit 1 ;;
esac
