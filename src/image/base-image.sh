#!/usr/bin/env bash
# The base of ringkv's container image (run by `mvn -Pimage package` before Jib).
#
# Usage: base-image.sh FROM DEBIAN_TAR [SUITE] [MIRROR]
#   FROM is Jib's base: an image reference (pulled by Jib from its registry: nothing to do here),
#   or tar://DEBIAN_TAR, the base this script assembles from Debian packages for machines that
#   reach Debian's archive but no container registry: Debian SUITE (essential packages) +
#   openjdk-17-jre-headless, built with mmdebstrap and written as a docker-archive tarball (the
#   format of `docker save`, which Jib takes through tar://). The tarball is reused while its
#   recipe (this script and its arguments) is unchanged and it is younger than MAX_AGE_DAYS (30),
#   so security updates come in with the next rebuild; delete it to rebuild now. mmdebstrap builds
#   in a chroot as root, else in a user namespace.
set -euo pipefail

from=${1:?usage: base-image.sh FROM DEBIAN_TAR [SUITE] [MIRROR]}
out=${2:?usage: base-image.sh FROM DEBIAN_TAR [SUITE] [MIRROR]}
suite=${3:-bookworm}
mirror=${4:-http://deb.debian.org/debian}
case "$from" in
  "tar://$out") ;;
  tar://*)
    [ -f "${from#tar://}" ] || { echo "ringkv base image: ${from#tar://} does not exist" >&2; exit 1; }
    echo "ringkv base image: $from"; exit 0 ;;
  *) echo "ringkv base image: $from (from its registry)"; exit 0 ;;
esac
max_age_days=${MAX_AGE_DAYS:-30}
packages=openjdk-17-jre-headless

recipe=$( { cat "$0"; echo "$suite $mirror $packages"; } | sha256sum | cut -d' ' -f1)
mkdir -p "$(dirname "$out")"
exec 9>"$out.lock"
flock 9 # one build at a time; a second waits and then reuses the first one's tarball
if [ -f "$out" ] && [ "$(cat "$out.recipe" 2>/dev/null)" = "$recipe" ] \
    && [ -z "$(find "$out" -mtime +"$max_age_days")" ]; then
  echo "ringkv base image: reusing $out"
  exit 0
fi
command -v mmdebstrap >/dev/null || {
  echo "ringkv base image: mmdebstrap is missing (apt-get install mmdebstrap); or name a base: -Dringkv.baseImage=IMAGE" >&2
  exit 1
}

work=$(mktemp -d "$(dirname "$out")/base.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "ringkv base image: building Debian $suite + $packages into $out (a few minutes, once)"
start=$(date +%s)

# Man pages and docs are left out, but update-alternatives (run by the JRE's postinst) needs the
# man1 directory to exist. The user ringkv (uid 10001, group 0) owns nothing in the image; the
# data directory and /tmp come from volumes in Kubernetes.
mmdebstrap --quiet --variant=essential --include="$packages" \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook='printf "127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n" > "$1/etc/hosts"' \
  --customize-hook='echo "ringkv:x:10001:0:ringkv:/var/lib/ringkv:/usr/sbin/nologin" >> "$1/etc/passwd"' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/var/log/*' \
  "$suite" "$work/layer.tar" "$mirror" \
  "deb $mirror $suite-updates main" "deb ${mirror%/debian}/debian-security $suite-security main"

arch=$(dpkg --print-architecture)
created=$(date -u +%Y-%m-%dT%H:%M:%SZ)
diff_id=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
cat > "$work/config.json" <<JSON
{"architecture":"$arch","os":"linux","created":"$created",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8"],
           "WorkingDir":"/"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]},
 "history":[{"created":"$created","created_by":"mmdebstrap --variant=essential --include=$packages $suite"}]}
JSON
config_id=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["ringkv-base:debian-%s"],"Layers":["layer.tar"]}]\n' \
  "$config_id" "$suite" > "$work/manifest.json"
tar -cf "$work/image.tar" -C "$work" manifest.json "$config_id.json" layer.tar
mv "$work/image.tar" "$out"
echo "$recipe" > "$out.recipe"
echo "ringkv base image: $out ($(du -h "$out" | cut -f1)) in $(( $(date +%s) - start )) s"
