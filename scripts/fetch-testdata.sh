#!/usr/bin/env bash
# Downloads the public test data the suite reads from ../shared/testdata (or $BULWARK_TESTDATA), for clones that do not
# have the shared folder. Everything comes from its upstream publisher; see the licences it brings along.
#   scripts/fetch-testdata.sh [TARGET_DIR]      (default: ../shared/testdata beside the repository)
# Some files of the shared folder were derived by its curators (the expected_pdq_*.csv reference-hash tables, the UN
# name-variant CSV, the two dated UN publications). They cannot be re-derived from upstream exactly; tests that need a
# missing file skip with a message naming it.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:-${BULWARK_TESTDATA:-../shared/testdata}}
mkdir -p "$target"
target=$(cd "$target" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() { echo "fetching $1"; curl -fsSL --retry 3 -o "$2" "$1"; }

# Meta's ThreatExchange (BSD): PDQ images, vPDQ sample hashes, TMK sample videos.
echo "cloning facebook/ThreatExchange (shallow)"
git clone -q --depth 1 https://github.com/facebook/ThreatExchange.git "$tmp/te"
te="$target/pdq/threatexchange"
mkdir -p "$te/pdq" "$te/vpdq" "$te/tmk"
cp "$tmp/te/LICENSE" "$te/"
cp -r "$tmp/te/pdq/data" "$te/pdq/"
cp -r "$tmp/te/vpdq/sample-hashes" "$te/vpdq/" 2>/dev/null || echo "note: vpdq/sample-hashes not found upstream at this revision"
cp -r "$tmp/te/tmk/sample-videos" "$te/tmk/" 2>/dev/null || echo "note: tmk/sample-videos not found upstream at this revision"

# UN Security Council Consolidated List (public UN data): the current publication only.
mkdir -p "$target/sanctions/un"
fetch https://scsanctions.un.org/resources/xml/en/consolidated.xml "$target/sanctions/un/un_sc_consolidated_current.xml"

# HateCheck (CC BY 4.0).
mkdir -p "$target/text/hatecheck_en"
# Raw URLs name HEAD (the default branch) rather than a branch, so a renamed default branch does not break the script.
for f in test_suite_cases.csv template_placeholders.csv LICENSE; do
  fetch "https://raw.githubusercontent.com/paul-rottger/hatecheck-data/HEAD/$f" "$target/text/hatecheck_en/$f"
done

# Davidson et al. 2017 (MIT).
mkdir -p "$target/text/davidson_hate_offensive_en"
fetch https://raw.githubusercontent.com/t-davidson/hate-speech-and-offensive-language/HEAD/data/labeled_data.csv "$target/text/davidson_hate_offensive_en/labeled_data.csv"

echo "done: $target"
echo "not fetched (need an account or a manual download): the Fifth Tribe ISIS tweets (Kaggle, CC0) and the Stormfront corpus (de Gibert et al.)"
