#!/usr/bin/env bash
# Installs a Java 11 runtime for the Java 11 tests (java11-tests) into a directory of its own, and prints
# the path of its java. Debian 12 has no Java 11; Debian 11's security archive has OpenJDK 11's headless
# runtime, which runs on Debian 12: the package is downloaded from a pinned address, checked against its
# SHA-256 and unpacked (nothing is installed into the system), and the links it has into /etc are
# pointed at its own copy of /etc.
#
#   tools/install-java11.sh [directory]     (default: ~/.cache/request-timing/java11)
#
# JAVA11_DEB_URL and JAVA11_DEB_SHA256 choose another package, e.g. once the archive has a newer one.
set -euo pipefail

url="${JAVA11_DEB_URL:-http://security.debian.org/debian-security/pool/updates/main/o/openjdk-11/openjdk-11-jre-headless_11.0.32.1+1-1~deb11u1_amd64.deb}"
sha256="${JAVA11_DEB_SHA256:-c9978301296dcc969d76b703134c155e41efdf37c71d6b407d27640514c3ca0a}"
root="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/request-timing/java11}"
jvm="$root/usr/lib/jvm/java-11-openjdk-amd64"

if [ -x "$jvm/bin/java" ] && "$jvm/bin/java" -version >/dev/null 2>&1; then
  echo "$jvm/bin/java"
  exit 0
fi

mkdir -p "$root"
deb="$root/openjdk-11-jre-headless.deb"
curl -fsSL --retry 3 -o "$deb" "$url"
echo "$sha256  $deb" | sha256sum -c --quiet -
dpkg-deb -x "$deb" "$root"
rm -f "$deb"

# the package's configuration lives in /etc (conffiles): its links into /etc/java-11-openjdk now lead
# into the unpacked copy
find "$jvm" -type l | while read -r link; do
  target="$(readlink "$link")"
  case "$target" in
    /etc/java-11-openjdk/*) ln -sfn "$root$target" "$link" ;;
  esac
done

"$jvm/bin/java" -version >/dev/null 2>&1 || { echo "the Java 11 runtime in $root does not start" >&2; exit 1; }
echo "$jvm/bin/java"
