#!/usr/bin/env bash
# EMR bootstrap action (runs on every node before YARN starts): installs one Touchpoint release
# into a local folder so that every step runs exactly the jars and rules of that release.
#   install-touchpoint.sh s3://<artifacts>/releases/<version> /opt/touchpoint
# The release folder holds batch-spark-submit.jar, streaming-spark-submit.jar and SHA256SUMS;
# a jar whose checksum differs fails the bootstrap (and so the cluster) instead of running.
set -euo pipefail
release_uri="${1:?usage: install-touchpoint.sh RELEASE_URI TARGET_DIR}"
target="${2:?usage: install-touchpoint.sh RELEASE_URI TARGET_DIR}"

echo "touchpoint bootstrap: ${release_uri} -> ${target} on $(hostname)"
sudo mkdir -p "${target}"
sudo chown "$(id -u):$(id -g)" "${target}"
for f in SHA256SUMS batch-spark-submit.jar streaming-spark-submit.jar; do
  aws s3 cp --only-show-errors "${release_uri%/}/${f}" "${target}/${f}"
done
(cd "${target}" && sha256sum --check --strict SHA256SUMS)
chmod 0444 "${target}"/*.jar
echo "touchpoint bootstrap: release installed"
