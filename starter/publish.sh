#!/bin/sh
# The same as .github/workflows/drillbook.yml for any other CI: check every record, build the site
# into output/, then copy output/ to your web server (set PUBLISH_TO, e.g. user@host:/srv/www/drills).
set -eu
drillbook check --content content --strict
drillbook build --content content --output output
if [ -n "${PUBLISH_TO:-}" ]; then
    rsync -a --delete output/ "$PUBLISH_TO"/
fi
