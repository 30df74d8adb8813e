package io.touchpoint.bench.chaos;

/**
 * One table or topic of the run with faults against the reference run: rows on each side, rows of
 * the reference missing from the run, rows the run has beyond the reference (a duplicate or a wrong
 * value), ids present more than once. {@code replays}: identical copies on an output topic, which
 * is at least once by contract (readers keep the last value per key); not a difference.
 */
public record Comparison(
    String scope,
    String name,
    long referenceRows,
    long rows,
    long missing,
    long extra,
    long duplicateIds,
    long replays) {

  public boolean identical() {
    return missing == 0 && extra == 0 && duplicateIds == 0 && rows == referenceRows;
  }

  @Override
  public String toString() {
    return String.format(
        "%s %s: %d rows (reference %d), %d missing, %d extra, %d duplicate ids%s -> %s",
        scope,
        name,
        rows,
        referenceRows,
        missing,
        extra,
        duplicateIds,
        replays > 0 ? ", " + replays + " identical replays" : "",
        identical() ? "identical" : "DIFFERENT");
  }
}
