"""Summaries of timing samples for the figures.

    python3 stats.py FILE          "MEDIAN P90 COUNT" of the numbers in FILE (one per line)
    python3 stats.py ratio A B     A / B to two decimals

Quantiles interpolate between the two nearest ranks, as bench/tools/cgi-time.c does.
"""
import sys


def quantile(sorted_values, q):
    position = q * (len(sorted_values) - 1)
    low = int(position)
    if low + 1 >= len(sorted_values):
        return sorted_values[-1]
    return sorted_values[low] + (position - low) * (sorted_values[low + 1] - sorted_values[low])


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "ratio":
        print(f"{float(sys.argv[2]) / float(sys.argv[3]):.2f}")
        return
    if len(sys.argv) != 2:
        sys.exit("usage: stats.py FILE | stats.py ratio A B")
    with open(sys.argv[1]) as f:
        values = sorted(float(line) for line in f if line.strip())
    if not values:
        sys.exit(f"stats.py: {sys.argv[1]}: no samples")
    print(f"{quantile(values, 0.5):.2f} {quantile(values, 0.9):.2f} {len(values)}")


if __name__ == "__main__":
    main()
