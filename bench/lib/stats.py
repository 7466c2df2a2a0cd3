"""Summaries of timing samples for the figures.

    python3 stats.py FILE            "MEDIAN P90 COUNT" of the numbers in FILE (one per line)
    python3 stats.py ratio A B       A / B to two decimals
    python3 stats.py range FILE      "MEDIAN MIN MAX COUNT" of the numbers in FILE
    python3 stats.py chunks FILE N   the median of each run of N consecutive numbers, one per line
    python3 stats.py pairs A B       "MEDIAN MIN MAX" of the ratios of line i of A to line i of B:
                                     A and B hold one figure per repetition, in the same order, so
                                     each ratio compares two programs measured side by side

Quantiles interpolate between the two nearest ranks, as bench/tools/cgi-time.c does.
"""
import sys


def quantile(sorted_values, q):
    position = q * (len(sorted_values) - 1)
    low = int(position)
    if low + 1 >= len(sorted_values):
        return sorted_values[-1]
    return sorted_values[low] + (position - low) * (sorted_values[low + 1] - sorted_values[low])


def numbers(path):
    with open(path) as f:
        values = [float(line) for line in f if line.strip()]
    if not values:
        sys.exit(f"stats.py: {path}: no samples")
    return values


def main():
    args = sys.argv[1:]
    if len(args) == 3 and args[0] == "ratio":
        print(f"{float(args[1]) / float(args[2]):.2f}")
    elif len(args) == 2 and args[0] == "range":
        values = sorted(numbers(args[1]))
        print(f"{quantile(values, 0.5):.2f} {values[0]:.2f} {values[-1]:.2f} {len(values)}")
    elif len(args) == 3 and args[0] == "chunks":
        values, size = numbers(args[1]), int(args[2])
        if len(values) % size:
            sys.exit(f"stats.py: {args[1]}: {len(values)} samples are not whole chunks of {size}")
        for start in range(0, len(values), size):
            print(f"{quantile(sorted(values[start:start + size]), 0.5):.3f}")
    elif len(args) == 3 and args[0] == "pairs":
        a, b = numbers(args[1]), numbers(args[2])
        if len(a) != len(b):
            sys.exit(f"stats.py: {args[1]} and {args[2]} hold {len(a)} and {len(b)} samples")
        ratios = sorted(x / y for x, y in zip(a, b))
        print(f"{quantile(ratios, 0.5):.2f} {ratios[0]:.2f} {ratios[-1]:.2f}")
    elif len(args) == 1:
        values = sorted(numbers(args[0]))
        print(f"{quantile(values, 0.5):.2f} {quantile(values, 0.9):.2f} {len(values)}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
