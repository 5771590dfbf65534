#!/usr/bin/env bash
# make bench-scale: times a full `nmirf run` and an incremental run (after adding 1% new records) on
# generated UHRI-scale corpora of each size in SCALE_SIZES, and writes the table to bench-scale.txt.
# Needs ../shared/data (the real texts the corpus is resampled from) and GNU time (/usr/bin/time).
# Exits non-zero when a generation or a run fails; targets missed are reported, not failed.
#
# Environment: SCALE_SIZES (default "30000 90000 270000"), SCALE_SEED (1), GO (go), BIN (bin/nmirf),
# SCALE_SKIP_BUILD=1 to use BIN as it is (make builds it first), SCALE_CONFIG (scripts/scale/scale.toml),
# SCALE_TABLE_ONLY=1 to print the table again from the logs of earlier runs of these sizes.
set -euo pipefail
cd "$(dirname "$0")/../.."

GO=${GO:-go}
BIN=${BIN:-bin/nmirf}
SIZES=${SCALE_SIZES:-30000 90000 270000}
SEED=${SCALE_SEED:-1}
CONFIG=${SCALE_CONFIG:-scripts/scale/scale.toml}  # its paths must stay under _scale/
OUT=_scale                 # the corpus and warehouse paths in scale.toml are under it
LOGS=$OUT/logs
TABLE=bench-scale.txt
# Targets on the 2-core machine, for the largest size (issue 12).
MAX_FULL_S=45 MAX_PEAK_MB=1536 MAX_INCR_PCT=10

TABLE_ONLY=${SCALE_TABLE_ONLY:-}
[ -x /usr/bin/time ] || { echo "bench-scale: /usr/bin/time (GNU time) is needed: apt-get install time" >&2; exit 1; }
if [ -z "${SCALE_SKIP_BUILD:-}" ] && [ -z "$TABLE_ONLY" ]; then
	echo "bench-scale: building $BIN" >&2
	"$GO" build -trimpath -o "$BIN" ./cmd/nmirf
fi
mkdir -p "$LOGS"
[ -n "$TABLE_ONLY" ] || "$GO" build -o "$OUT/scale-gen" ./scripts/scale

# wall_s and peak_mb read GNU time's -v report.
wall_s() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s }' "$1"; }
peak_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
# cpu_s is user plus system time: the work done, which a machine shared with
# other jobs does not inflate the way it does the wall time.
cpu_s() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$1"; }
# stages turns the summary's "  ingest  12.34s" lines into "ingest 12.3, classify …".
stages() { awk '/^  [a-z]+ +[0-9.]+s$/ { sub(/s$/, "", $2); printf "%s%s %.1f", sep, $1, $2; sep = ", " }' "$1"; }
# summary is the run's one-line count summary.
summary() { grep -m1 -E '^run [^ ]+: ' "$1" | sed -E 's/^run [^ ]+: //; s/ in [^ ]+$//'; }

# timed NAME: one `nmirf run`, its time report, stderr and manifest kept under $LOGS.
timed() {
	local name=$1 rc=0
	cut -d' ' -f1-3 /proc/loadavg >"$LOGS/$name.load"
	/usr/bin/time -v -o "$LOGS/$name.time" "$BIN" run --config "$CONFIG" 2>"$LOGS/$name.log" || rc=$?
	local manifest
	manifest=$(ls -t "$OUT"/warehouse/runs/*.json 2>/dev/null | head -1 || true)
	if [ -n "$manifest" ]; then cp "$manifest" "$LOGS/$name.json"; fi
	if [ "$rc" -ne 0 ]; then
		echo "bench-scale: $name: nmirf run exited $rc; last lines of $LOGS/$name.log:" >&2
		tail -20 "$LOGS/$name.log" >&2
		exit 1
	fi
}

for n in $SIZES; do
	[ -z "$TABLE_ONLY" ] || break
	echo "bench-scale: $n records: generating" >&2
	rm -rf "$OUT/corpus" "$OUT/corpus-new" "$OUT/warehouse"
	"$OUT/scale-gen" -n "$n" -seed "$SEED" -extra 0.01 -out "$OUT/corpus" 2>"$LOGS/$n-gen.log" ||
		{ cat "$LOGS/$n-gen.log" >&2; exit 1; }
	echo "bench-scale: $n records: full run" >&2
	timed "$n-full"
	cp "$OUT/corpus-new/export-new-en.json" "$OUT/corpus/"
	echo "bench-scale: $n records: incremental run (+1%)" >&2
	timed "$n-incr"
done

rows=() details=()
for n in $SIZES; do
	[ -f "$LOGS/$n-incr.time" ] || { echo "bench-scale: no finished runs of $n records in $LOGS" >&2; exit 1; }
	full=$(wall_s "$LOGS/$n-full.time") incr=$(wall_s "$LOGS/$n-incr.time")
	pf=$(peak_mb "$LOGS/$n-full.time") pi=$(peak_mb "$LOGS/$n-incr.time")
	pct=$(awk -v a="$incr" -v b="$full" 'BEGIN { printf "%.1f", (b > 0 ? 100 * a / b : 0) }')
	rows+=("$(printf '%8s  %8s  %8s  %7s  %8s  %8s  %9s  %9s  %s / %s' "$n" "$full" "$incr" "$pct" \
		"$(cpu_s "$LOGS/$n-full.time")" "$(cpu_s "$LOGS/$n-incr.time")" "$pf" "$pi" \
		"$(cut -d' ' -f1 "$LOGS/$n-full.load")" "$(cut -d' ' -f1 "$LOGS/$n-incr.load")")")
	details+=("$n full: $(summary "$LOGS/$n-full.log")" "    stages (s): $(stages "$LOGS/$n-full.log")"
		"$n incremental: $(summary "$LOGS/$n-incr.log")" "    stages (s): $(stages "$LOGS/$n-incr.log")")
done

{
	echo "make bench-scale  $(date -u +%Y-%m-%dT%H:%MZ)  $("$BIN" --version 2>/dev/null || echo "nmirf ?")  $(nproc) cores  seed $SEED"
	echo
	printf '%8s  %8s  %8s  %7s  %8s  %8s  %9s  %9s  %s\n' records full_s incr_s incr_% cpu_s cpu_s_i peak_MB peak_MB_i "load (1 min) full / incr"
	printf '%s\n' "${rows[@]}"
	echo
	printf '%s\n' "${details[@]}"
	echo
	last=${SIZES##* }
	full=$(wall_s "$LOGS/$last-full.time") incr=$(wall_s "$LOGS/$last-incr.time")
	peak=$(( $(peak_mb "$LOGS/$last-full.time") > $(peak_mb "$LOGS/$last-incr.time") ? $(peak_mb "$LOGS/$last-full.time") : $(peak_mb "$LOGS/$last-incr.time") ))
	awk -v n="$last" -v f="$full" -v i="$incr" -v p="$peak" -v mf=$MAX_FULL_S -v mp=$MAX_PEAK_MB -v mi=$MAX_INCR_PCT 'BEGIN {
		printf "targets at %s records: full run %.1f s (<= %d s: %s), peak %d MB (<= %d MB: %s), incremental %.1f%% of full (<= %d%%: %s)\n",
			n, f, mf, (f <= mf ? "met" : "MISSED"), p, mp, (p <= mp ? "met" : "MISSED"), 100 * i / f, mi, (100 * i / f <= mi ? "met" : "MISSED")
	}'
	first=${SIZES%% *}
	if [ "$first" != "$last" ]; then
		# growth: time(last)/time(first) against last/first; the exponent is 1 for linear growth.
		awk -v n0="$first" -v n1="$last" -v t0="$(wall_s "$LOGS/$first-full.time")" -v t1="$full" 'BEGIN {
			if (t0 > 0 && t1 > 0) printf "growth %s -> %s records (x%.1f): full run x%.2f, time ~ n^%.2f\n", n0, n1, n1 / n0, t1 / t0, log(t1 / t0) / log(n1 / n0)
		}'
		awk -v n0="$first" -v n1="$last" -v t0="$(cpu_s "$LOGS/$first-full.time")" -v t1="$(cpu_s "$LOGS/$last-full.time")" 'BEGIN {
			if (t0 > 0 && t1 > 0) printf "growth %s -> %s records (x%.1f): CPU time x%.2f, ~ n^%.2f\n", n0, n1, n1 / n0, t1 / t0, log(t1 / t0) / log(n1 / n0)
		}'
	fi
	echo "logs, time reports and run manifests: $LOGS/"
} | tee "$TABLE"
