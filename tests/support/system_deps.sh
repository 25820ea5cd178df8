#!/usr/bin/env bash
# System packages the test suite needs, from Debian's archive. Installed only when missing and only
# when we are root (CI and the development machines); elsewhere the tests that need them skip.
set -u
want=()
command -v docker-compose >/dev/null 2>&1 || docker compose version >/dev/null 2>&1 || want+=(docker-compose)
# lemur (tests/corpus) installs python-ldap, built from source against OpenLDAP and SASL headers
[ -f /usr/include/lber.h ] || want+=(libldap2-dev)
[ -f /usr/include/sasl/sasl.h ] || want+=(libsasl2-dev)
# the admin dashboard's end-to-end test (tests/integration/test_dashboard_chromium.py): headless
# Chromium driven by Selenium through Debian's chromedriver (no browser download at test time)
[ -x /usr/bin/chromium ] || want+=(chromium)
[ -x /usr/bin/chromedriver ] || want+=(chromium-driver)
[ ${#want[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: not root or no apt-get; missing: ${want[*]} (tests that need them will skip)"
  exit 0
fi
echo "system-deps: installing ${want[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null 2>&1 \
  || echo "system-deps: could not install ${want[*]}"
exit 0
