#!/usr/bin/env bash
# Fills a deploy/ template's @NAME@ placeholders and prints the result.
#
#   deploy/render.sh TEMPLATE NAME=VALUE...
#   deploy/render.sh lighttpd/lighttpd.conf.in SITE_DIR=/srv/shop BIN=/usr/local/bin/kaitori-cgi \
#       PORT=80 LISTEN=0.0.0.0 USER=kaitori GROUP=kaitori RUN_DIR=/run/kaitori > lighttpd.conf
#
# A relative TEMPLATE is looked up next to this script. Every placeholder in the template needs a
# value and every value given must be used, so a typo never leaves "@SITE_DIR@" in a live config.
# Values are checked by kind (paths absolute, ports numeric) and may not hold quotes, spaces or
# config syntax: they are pasted into lighttpd, Apache, nginx and crontab files alike.
# Exit status: 0 rendered, 1 a problem (named on stderr), 2 usage error.
set -euo pipefail

usage() {
  echo "usage: $0 TEMPLATE NAME=VALUE..." >&2
  exit 2
}

(($# >= 1)) || usage
template=$1
shift
if [[ $template != /* && ! -e $template ]]; then
  template="$(cd "$(dirname "$0")" && pwd)/$template"
fi
[[ -f $template ]] || { echo "render: $template: no such template" >&2; exit 1; }

declare -A values=()
for pair in "$@"; do
  [[ $pair == *=* ]] || usage
  name=${pair%%=*}
  value=${pair#*=}
  [[ $name =~ ^[A-Z][A-Z_]*$ ]] || { echo "render: $name: placeholder names are upper case" >&2; exit 2; }
  [[ $value =~ ^[A-Za-z0-9._/:@+~-]+$ ]] || {
    echo "render: $name=\"$value\": only letters, digits and . _ / : @ + ~ - are allowed" >&2
    exit 1
  }
  case $name in
    PORT)
      [[ $value =~ ^[0-9]+$ ]] && ((value >= 1 && value <= 65535)) \
        || { echo "render: PORT=$value: not a port number (1-65535)" >&2; exit 1; } ;;
    *_DIR | BIN | *_BIN | KAITORI | FCGI_SOCKET | *_CONF)
      [[ $value == /* ]] || { echo "render: $name=$value: must be an absolute path" >&2; exit 1; }
      [[ $value != */ || $value == / ]] || value=${value%/} ;;
  esac
  values[$name]=$value
done

text=$(<"$template")
used=()
missing=()
while IFS= read -r name; do
  if [[ -v values[$name] ]]; then
    used+=("$name")
  else
    missing+=("$name")
  fi
done < <(grep -o '@[A-Z][A-Z_]*@' "$template" | tr -d @ | sort -u)

if ((${#missing[@]})); then
  for name in "${missing[@]}"; do
    line=$(grep -n "@$name@" "$template" | head -1 | cut -d: -f1)
    echo "render: $(basename "$template"):$line: @$name@ has no value (give $name=...)" >&2
  done
  exit 1
fi
for name in "${!values[@]}"; do
  if [[ " ${used[*]} " != *" $name "* ]]; then
    echo "render: $name: $(basename "$template") has no @$name@ placeholder" >&2
    exit 1
  fi
done

for name in "${used[@]}"; do
  text=${text//"@$name@"/"${values[$name]}"}
done
printf '%s\n' "$text"
